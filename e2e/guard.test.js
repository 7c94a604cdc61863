// Guarding the data: retention of personal data, what no export holds yet and the reminder to
// export, the browser's promise to keep storage, and two tabs taking cards at once.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fx = require('./fixtures');
const { setup, newPage, open, chooseImport, download, countOf, screenshot, violations, locales } = require('./helpers');

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

const DAY = 24 * 3600 * 1000;
const ago = (days) => new Date(Date.now() - days * DAY).toISOString();

async function importFile(page, text) {
  await open(page, env.base, '#/data');
  await chooseImport(page, [{ name: 'seed.json', text }]);
  await page.getByRole('button', { name: 'Confirm import' }).click();
  await page.getByRole('status').filter({ hasText: /Import finished/ }).waitFor();
}

function withContact(card, value) {
  card.answers.contact = { contact: { value, consent: true } };
  return card;
}

test('names and contacts older than the retention period are erased at startup and the run is logged', async () => {
  const page = await newPage(env.browser);
  const s = { ...fx.settings('Cafe', ago(200)), retention_days: 30 };
  const oldCard = withContact(fx.card(1, ago(60)), '09120000001');
  const newCard = withContact(fx.card(2, ago(5)), '09120000002');
  const oldItem = { ...fx.feedback('Cold coffee', ago(60)), customer: 'Sara', contact: { value: '09120000003', consent: true } };
  const oldCustomer = {
    id: '00000000-0000-4000-8000-0000000000c1', created: ago(90), updated: ago(90), v: 1,
    name: 'Reza', contacts: ['reza@example.com'], segments: [], notes: '', consent: null, distinct: [],
  };
  const file = JSON.parse(fx.file({ settings: [s], cards: [oldCard, newCard], feedback: [oldItem] }));
  file.customers = [oldCustomer];
  await importFile(page, JSON.stringify(file));

  // The next start applies the rule, says what went, and logs it in Settings.
  await page.reload();
  await page.getByText('Names and contacts older than 30 days were erased (cards: 1, feedback items: 1, customer profiles deleted: 3).').waitFor();
  const exported = JSON.parse((await download(page, () => page.getByRole('button', { name: 'Export all' }).click())).text);
  const card = (id) => exported.cards.find((c) => c.id === id);
  assert.equal(card(oldCard.id).answers.contact, undefined);
  assert.deepEqual(card(oldCard.id).answers.overall, oldCard.answers.overall, 'the rating stays for the figures');
  assert.deepEqual(card(oldCard.id).answers.improve, oldCard.answers.improve, 'the comment stays');
  assert.equal(card(newCard.id).answers.contact.contact.value, '09120000002');
  const item = exported.feedback.find((i) => i.id === oldItem.id);
  assert.deepEqual([item.customer, item.contact, item.description], ['', null, 'Cold coffee']);
  assert.equal(exported.customers.find((c) => c.id === oldCustomer.id), undefined);
  // Profiles heard from only in the erased records go too; the recent customer's stays.
  const contacts = exported.customers.flatMap((c) => c.contacts);
  assert.deepEqual(contacts, ['09120000002']);
  assert.equal(exported.settings[0].retention_log.length, 1);

  await open(page, env.base, '#/settings');
  const log = page.getByRole('list', { name: 'Erased so far' });
  await log.getByText(/cards: 1, feedback items: 1, customer profiles deleted: 3/).waitFor();
  assert.equal(await page.getByLabel("Erase customers' names and contacts after this many days").inputValue(), '30');
  await screenshot(page, 'settings-retention-en');

  // Nothing is left to erase: the next start says nothing and logs nothing.
  await page.reload();
  await page.locator('main h1').waitFor();
  assert.equal(await page.getByText(/were erased/).count(), 1, 'only the log entry, no new notice');
  assert.equal(await log.getByRole('listitem').count(), 1);
  assert.deepEqual(page.errors, []);
});

test('the Data screen counts what no export holds, and staff screens remind until it is exported', async () => {
  const page = await newPage(env.browser);
  const s = { ...fx.settings('Cafe', ago(20)), export_reminder_days: 3 };
  await importFile(page, fx.file({ settings: [s], cards: [fx.card(1, ago(10)), fx.card(2, ago(9))] }));
  await page.getByText('3 records are not in any export from this device yet.').waitFor();
  // The Data screen says it already; every other staff screen reminds.
  assert.equal(await page.getByRole('complementary').count(), 0);
  await open(page, env.base, '#/dashboard');
  const reminder = page.getByRole('complementary', { name: /3 records have never been exported/ });
  await reminder.waitFor();
  assert.deepEqual(await violations(page), []);
  await screenshot(page, 'export-reminder-en');
  await reminder.getByRole('link', { name: 'Go to export' }).click();
  await page.getByRole('heading', { name: 'Data', level: 1 }).waitFor();
  await download(page, () => page.getByRole('button', { name: 'Export all' }).click());
  await page.getByText('Every record is in the last export.').waitFor();
  await open(page, env.base, '#/cards');
  assert.equal(await page.getByRole('complementary').count(), 0);

  // A change after the export counts; it is new, so no reminder yet.
  await page.getByRole('radiogroup').first().getByRole('radio', { name: 'Satisfied', exact: true }).check();
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('button', { name: 'Fill another card' }).waitFor();
  assert.equal(await page.getByRole('complementary').count(), 0);
  await open(page, env.base, '#/data');
  // The card, and the default card template, stored with the first card filled on it.
  await page.getByText('2 records are not in any export from this device yet.').waitFor();
  assert.equal(await countOf(page, 'Card templates'), 1);

  // In Persian, with Persian digits.
  await page.evaluate(() => localStorage.setItem('lp1-pref:lang', '"fa"'));
  await page.evaluate(() => localStorage.removeItem('lp1-pref:last-export'));
  await open(page, env.base, '#/feedback');
  await page.reload();
  await page.getByRole('complementary', { name: /۵ رکورد هرگز در خروجی نیامده است/ }).waitFor();
  assert.deepEqual(await violations(page), []);
  await screenshot(page, 'export-reminder-fa');
  assert.deepEqual(page.errors, []);
});

test('the Data screen says whether the browser promised to keep the data, and can ask', async () => {
  const page = await newPage(env.browser);
  await open(page, env.base, '#/data');
  const kept = await page.evaluate(() => navigator.storage.persisted());
  if (kept) {
    await page.getByText(locales.en['data.usage.persisted']).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Ask the browser to keep this data' }).count(), 0);
  } else {
    await page.getByText(locales.en['data.usage.not_persisted']).waitFor();
    await page.getByRole('button', { name: 'Ask the browser to keep this data' }).click();
    const granted = await page.evaluate(() => navigator.storage.persisted());
    await page.getByText(locales.en[granted ? 'data.usage.persisted' : 'data.usage.refused']).waitFor();
  }
  assert.deepEqual(page.errors, []);
});

test('two tabs taking 500 cards each at the same time end with exactly 1,000 stored', async () => {
  const a = await newPage(env.browser);
  const b = await a.context().newPage();
  await open(a, env.base, '#/cards');
  await b.goto(`${env.base}card.html`);
  await b.getByRole('button', { name: 'Submit' }).waitFor();
  // Each tab is driven from inside the page, by the same clicks and typing a person makes: a
  // thousand round trips from the test would take minutes.
  const fill = (page, n, comment) => page.evaluate(async ({ n, comment }) => {
    const until = async (find) => {
      for (;;) {
        const found = find();
        if (found) return found;
        await new Promise((r) => setTimeout(r, 0));
      }
    };
    const labelled = (text) => [...document.querySelectorAll('label')].find((l) => l.textContent.includes(text));
    const button = (text) => [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === text);
    for (let i = 0; i < n; i += 1) {
      const rating = await until(() => [...document.querySelectorAll('[role=radiogroup]')][0]
        ?.querySelector('input[type=radio][value="4"]'));
      rating.click();
      const comment_ = document.getElementById(labelled('What could we improve?').htmlFor);
      comment_.value = `${comment} ${i}`;
      comment_.dispatchEvent(new Event('input', { bubbles: true }));
      button('Submit').click();
      (await until(() => button('Fill another card'))).click();
    }
  }, { n, comment });
  // One tab is the app's Cards screen, the other the card page customers open.
  await Promise.all([fill(a, 500, 'app'), fill(b, 500, 'card page')]);
  const stored = await a.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('lp1:c')).length);
  assert.equal(stored, 1000);
  // The app's tab heard every card of the other tab, without reloading.
  await a.getByRole('link', { name: 'Data' }).click();
  assert.equal(await countOf(a, 'Satisfaction cards'), 1000);
  await a.reload();
  await a.locator('main h1').waitFor();
  assert.equal(await countOf(a, 'Satisfaction cards'), 1000);
  assert.deepEqual(a.errors, []);
});
