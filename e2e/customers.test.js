// Customers: two cards and two feedback items from one person, their contact written four
// ways, end on one profile once a person confirms the likely duplicate; erasing that customer
// leaves no trace of the name or contact in an export of everything; the screens are accessible
// in both languages.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { setup, newPage, open, download, screenshot, violations, locales } = require('./helpers');

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

/** Submits a card with an overall rating and a contact given with consent. */
async function sendCard(page, rating, contact, consent = true) {
  await page.getByRole('radiogroup').first().getByRole('radio', { name: rating, exact: true }).check();
  await page.getByLabel(/Phone or email/).fill(contact);
  if (consent) await page.getByRole('checkbox', { name: locales.en['card.consent'] }).check();
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('button', { name: 'Fill another card' }).click();
}

/** Registers a feedback item for a named customer. */
async function logFeedback(page, kind, description, name, contact) {
  await open(page, env.base, '#/feedback');
  await page.getByRole('button', { name: 'New feedback' }).click();
  await page.locator('form').getByLabel('Kind', { exact: true }).selectOption(kind);
  await page.getByLabel('Description', { exact: true }).fill(description);
  await page.getByLabel('Customer name', { exact: true }).fill(name);
  await page.getByLabel('Phone or email', { exact: true }).fill(contact);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByText(locales.en['fb.saved']).waitFor();
}

test('one person written four ways ends on one profile after confirming, and erasing leaves no trace', async () => {
  const page = await newPage(env.browser);
  await open(page, env.base, '#/cards');
  await sendCard(page, 'Very dissatisfied', '0912 345 6789');
  await sendCard(page, 'Very satisfied', '+98 912 345 6789');
  // The same number in Persian digits with dashes: the same customer, who now has a name.
  await logFeedback(page, 'complaint', 'Waited forty minutes at the counter', 'Sara Ahmadi', '۰۹۱۲-۳۴۵-۶۷۸۹');
  // The same name with an email: only possibly the same person.
  await logFeedback(page, 'compliment', 'The new manager was kind', 'sara  AHMADI', 'Sara.Ahmadi@Example.com');

  await page.getByRole('navigation').getByRole('link', { name: 'Customers' }).click();
  await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
  const rows = page.locator('#customers-table tbody tr');
  assert.equal(await rows.count(), 2);
  const pair = page.getByRole('group', { name: /^Sara Ahmadi · 0912 345 6789 and sara\s+AHMADI · Sara\.Ahmadi@Example\.com$/ });
  await pair.waitFor();
  assert.deepEqual(await violations(page), []);
  await screenshot(page, 'customers-duplicates-en');
  await pair.getByRole('button', { name: 'Same person: merge' }).click();
  await page.getByText('Merged into one customer.').waitFor();
  assert.equal(await rows.count(), 1);
  assert.equal(await page.getByRole('heading', { name: 'Possible duplicates' }).count(), 0);
  // One customer: two cards, two items, a mean of (1 + 5) / 2, one open complaint.
  assert.deepEqual(await rows.first().locator('td').allTextContents().then((t) => [t[0], t[1], t[2], t[4]]),
    ['3.0 from 2 cards', '1', '2 cards, 2 feedback items', '']);
  // Heard from today: among the recent, not among those gone quiet.
  await page.getByLabel('Last contact').selectOption({ label: 'Not for 90 days or more' });
  await page.getByText('0 customers shown').waitFor();
  await page.getByLabel('Last contact').selectOption({ label: 'Within the last 30 days' });
  await page.getByText('1 customer shown').waitFor();

  await rows.first().getByRole('link', { name: 'Sara Ahmadi' }).click();
  await page.getByRole('heading', { name: 'Sara Ahmadi', level: 1 }).waitFor();
  await page.getByText('0912 345 6789, Sara.Ahmadi@Example.com').waitFor();
  const moments = page.locator('ol.timeline > li');
  assert.equal(await moments.count(), 4);
  await page.getByRole('link', { name: 'Waited forty minutes at the counter' }).waitFor();
  assert.deepEqual(await violations(page), []);
  await screenshot(page, 'customer-profile-en');

  // Their own export holds their records.
  const own = await download(page, () => page.getByRole('button', { name: 'Export customer data' }).click());
  const doc = JSON.parse(own.text);
  assert.equal(doc.customer.name, 'Sara Ahmadi');
  assert.equal(doc.cards.length, 2);
  assert.equal(doc.feedback.length, 2);

  await page.getByRole('button', { name: 'Erase customer' }).click();
  await page.getByRole('dialog', { name: 'Erase this customer everywhere?' }).getByRole('button', { name: 'Erase' }).click();
  await page.getByText('The customer was erased everywhere.').waitFor();
  await page.getByText(locales.en['cust.none']).waitFor();
  await open(page, env.base, '#/data');
  const all = await download(page, () => page.getByRole('button', { name: 'Export all' }).click());
  const data = JSON.parse(all.text);
  // (Short digit runs such as 912 could turn up by chance in an id or a time.)
  for (const trace of ['Sara', 'sara', 'Ahmadi', 'AHMADI', '345 6789', '3456789', '۳۴۵', 'xample.com']) {
    assert.equal(all.text.includes(trace), false, `the export still holds ${trace}`);
  }
  // What they said and how they rated stay.
  assert.equal(data.cards.length, 2);
  assert.equal(data.feedback.length, 2);
  assert.equal(data.customers.length, 0);
  assert.ok(all.text.includes('Waited forty minutes at the counter'));
  assert.deepEqual(page.errors, []);
});

test('in Persian the customers screens read right to left and stay accessible; a missing profile says so', async () => {
  const page = await newPage(env.browser);
  await open(page, env.base, '#/cards');
  await sendCard(page, 'Satisfied', '09350001122');
  await page.getByLabel('Language').selectOption('fa');
  await page.waitForFunction(() => document.documentElement.lang === 'fa');
  const l = locales.fa;
  await open(page, env.base, '#/customers');
  await page.getByRole('heading', { name: l['nav.customers'], level: 1 }).waitFor();
  // A number typed in Persian digits finds the customer.
  await page.getByLabel(l['cust.search'], { exact: true }).fill('۰۹۳۵۰۰۰');
  assert.equal(await page.locator('#customers-table tbody tr').count(), 1);
  await page.getByLabel(l['cust.search'], { exact: true }).fill('۰۹۱۲');
  await page.getByText(l['cust.none']).waitFor();
  await page.getByLabel(l['cust.search'], { exact: true }).fill('');
  assert.deepEqual(await violations(page), []);
  await screenshot(page, 'customers-fa');
  await page.getByRole('link', { name: l['cust.unnamed'] }).click();
  await page.getByRole('heading', { name: l['cust.unnamed'], level: 1 }).waitFor();
  await page.getByLabel(l['cust.name'], { exact: true }).fill('رضا کریمی');
  await page.getByRole('button', { name: l['cust.save'] }).click();
  await page.getByRole('heading', { name: 'رضا کریمی', level: 1 }).waitFor();
  assert.deepEqual(await violations(page), []);
  await screenshot(page, 'customer-profile-fa');
  await open(page, env.base, '#/customers/profile?id=00000000-0000-4000-8000-000000000000');
  await page.getByRole('heading', { name: l['cust.missing.title'] }).waitFor();
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(page.errors, []);
});

test('with Settings asking so, a contact given without consent is neither shown nor exported', async () => {
  const page = await newPage(env.browser);
  await open(page, env.base, '#/cards');
  await sendCard(page, 'Dissatisfied', '0912 111 2233', false);
  await open(page, env.base, '#/settings');
  await page.getByRole('checkbox', { name: locales.en['settings.hide_unconsented'] }).check();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByText('Settings saved.').waitFor();
  await open(page, env.base, '#/customers');
  const row = page.locator('#customers-table tbody tr');
  assert.equal(await row.locator('td.contact').textContent(), locales.en['cust.hidden']);
  await row.getByRole('link', { name: locales.en['cust.unnamed'] }).click();
  const own = await download(page, () => page.getByRole('button', { name: 'Export customer data' }).click());
  assert.equal(own.text.includes('111 2233'), false);
  assert.deepEqual(JSON.parse(own.text).customer.contacts, []);
  await open(page, env.base, '#/cards/received');
  await page.locator('article.card-item summary').first().click();
  await page.getByText(locales.en['cust.hidden']).waitFor();
  assert.equal(await page.getByText('0912 111 2233').count(), 0);
  assert.deepEqual(page.errors, []);
});
