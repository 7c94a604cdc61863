// The card page customers open (card.html): it loads only its own build, stores a card the app
// reads as its own (with the customer its contact names), honours the links' template, branch
// and touchpoint, keeps a draft over a reload, and reads in both languages.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { setup, newPage, open, makeTemplate, download, screenshot, violations, locales } = require('./helpers');

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

/** Opens the card page at `query` and waits for the card. */
async function openCard(page, query = '') {
  await page.goto(`${env.base}card.html${query}`);
  await page.locator('main h1').waitFor();
}

test('a card sent from the card page is one the app reads, with its branch, touchpoint and customer', async () => {
  const page = await newPage(env.browser);
  const fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await open(page, env.base, '#/settings');
  await page.getByLabel('Business name').fill('Café Tajrish');
  await page.getByLabel('Branches').fill('Tajrish\nVanak');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByText('Settings saved.').waitFor();

  fetched.length = 0;
  await openCard(page, '?branch=Vanak&touchpoint=qr');
  // The card page fetches its own build, never the app's.
  assert.ok(fetched.some((p) => /\/card-[0-9a-f]+_bg\.wasm$/.test(p)), fetched.join(' '));
  // Not the app's own script or wasm (the small storage helper both pages share is allowed).
  assert.ok(!fetched.some((p) => /\/listening-post-[0-9a-f]+(_bg\.wasm|\.js)$/.test(p)), fetched.join(' '));
  await page.getByText('Café Tajrish').waitFor();
  assert.equal(await page.getByRole('navigation').count(), 0, 'no staff navigation on the card page');
  assert.deepEqual(await violations(page), []);
  await screenshot(page, 'card-page-en');

  const groups = page.getByRole('radiogroup');
  await groups.first().getByRole('radio', { name: 'Satisfied', exact: true }).check();
  // A reload keeps the answer as a draft.
  await page.reload();
  await page.getByText(locales.en['card.draft_kept']).waitFor();
  assert.equal(await groups.first().getByRole('radio', { name: 'Satisfied', exact: true }).isChecked(), true);
  await page.getByLabel(/^Phone or email/).fill('0912 345 6789');
  await page.getByLabel(locales.en['card.consent']).check();
  await page.getByRole('button', { name: locales.en['card.submit'] }).click();
  await page.getByRole('heading', { name: locales.en['card.thanks.title'] }).waitFor();

  // The app reads it as its own: in the export, with its branch, touchpoint and customer.
  await open(page, env.base, '#/data');
  const all = await download(page, () => page.getByRole('button', { name: 'Export all' }).click());
  const doc = JSON.parse(all.text);
  assert.equal(doc.cards.length, 1);
  assert.equal(doc.cards[0].branch, 'Vanak');
  assert.equal(doc.cards[0].touchpoint, 'qr');
  assert.deepEqual(doc.cards[0].answers.overall, { rating: 4 });
  assert.equal(doc.customers.length, 1);
  assert.equal(doc.customers[0].consent.given, true);
  // A second card with the same number written another way is the same customer.
  await openCard(page, '?branch=Vanak');
  await groups.first().getByRole('radio', { name: 'Very satisfied', exact: true }).check();
  await page.getByLabel(/^Phone or email/).fill('+98 912 345 6789');
  await page.getByRole('button', { name: locales.en['card.submit'] }).click();
  await page.getByRole('heading', { name: locales.en['card.thanks.title'] }).waitFor();
  await open(page, env.base, '#/customers');
  assert.equal(await page.locator('#customers-table tbody tr').count(), 1);
  await page.locator('#customers-table').getByText('2 cards, 0 feedback items').waitFor();
  assert.deepEqual(page.errors, []);
});

test('the link a template gives opens that card, and in Persian the page reads right to left', async () => {
  const page = await newPage(env.browser);
  await makeTemplate(page, env.base, { name: ['Delivery check', 'بررسی تحویل'], question: ['Did it arrive on time?', 'به‌موقع رسید؟'] });
  const link = (await page.locator('.template-list li', { hasText: 'Delivery check' })
    .getByText(/^On this device's own tablets and kiosks: /).textContent()).replace("On this device's own tablets and kiosks: ", '');
  assert.match(link, /^card\.html\?template=[0-9a-f-]{36}$/);
  await page.goto(env.base + link);
  await page.getByText('Did it arrive on time?').waitFor();

  await page.getByLabel('Language').selectOption('fa');
  await page.waitForFunction(() => document.documentElement.lang === 'fa' && document.documentElement.dir === 'rtl');
  await page.getByText('به‌موقع رسید؟').waitFor();
  await page.getByRole('heading', { name: locales.fa['card.title'], level: 1 }).waitFor();
  // Every word on the page comes from its locale: no key shows through.
  const text = await page.locator('body').innerText();
  assert.doesNotMatch(text, /\b(card|scale|lang|notice|app)\.[a-z_.]+\b/);
  assert.deepEqual(await violations(page), []);
  await screenshot(page, 'card-page-fa');
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'card-page-fa-phone');
  assert.deepEqual(page.errors, []);
});

// The code that sends a card is a chunk of its own, fetched once the card is drawn.
const SENDING = /\/card-[0-9a-f]+-(split|chunk)_\w+\.wasm$/;

/** How many cards this device has stored (one localStorage entry each, under `lp1:c`). */
const storedCards = (page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('lp1:c')).length);

test('the card is drawn before the code that sends it arrives, and a card sent meanwhile goes once it does', async () => {
  const page = await newPage(env.browser, { serviceWorkers: 'block', viewport: { width: 390, height: 844 } });
  let release;
  const held = new Promise((r) => { release = r; });
  let asked = 0;
  await page.route(SENDING, async (route) => { asked += 1; await held; await route.continue(); });
  await openCard(page, '?branch=Vanak');
  const groups = page.getByRole('radiogroup');
  await groups.first().getByRole('radio', { name: 'Satisfied', exact: true }).check();
  assert.ok(asked > 0, 'the sending code is asked for once the card is drawn');
  await page.getByRole('button', { name: locales.en['card.submit'] }).click();
  // Said where the customer is looking, and nothing is lost or sent twice meanwhile.
  await page.getByRole('status').getByText(locales.en['card.send.loading']).waitFor();
  await screenshot(page, 'card-page-sending-held-phone');
  assert.equal(await storedCards(page), 0);
  release();
  await page.getByRole('heading', { name: locales.en['card.thanks.title'] }).waitFor();
  assert.equal(await page.getByText(locales.en['card.send.loading']).count(), 0);
  assert.deepEqual(page.errors, []);
  // The app reads the one card, as answered.
  await open(page, env.base, '#/data');
  const doc = JSON.parse((await download(page, () => page.getByRole('button', { name: 'Export all' }).click())).text);
  assert.equal(doc.cards.length, 1);
  assert.equal(doc.cards[0].branch, 'Vanak');
  assert.deepEqual(doc.cards[0].answers.overall, { rating: 4 });
});

test('a card page that cannot fetch the code that sends says so with a Reload button, and keeps the answers', async () => {
  const page = await newPage(env.browser, { serviceWorkers: 'block', viewport: { width: 390, height: 844 } });
  await page.route(SENDING, (route) => route.fulfill({ status: 404, body: '' }));
  await page.addInitScript(() => { localStorage.setItem('lp1-pref:lang', JSON.stringify('fa')); });
  await openCard(page, '?branch=Vanak');
  const fa = locales.fa;
  await page.getByRole('radiogroup').first().getByRole('radio').nth(3).check();
  await page.getByRole('button', { name: fa['card.submit'] }).click();
  const alert = page.getByRole('alert').filter({ hasText: fa['card.send.missing'] });
  await alert.waitFor();
  await alert.getByRole('button', { name: fa['notice.reload'] }).waitFor();
  assert.ok(await alert.isVisible());
  await screenshot(page, 'card-page-sending-missing-fa-phone');
  assert.equal(await page.getByRole('heading', { name: fa['card.thanks.title'] }).count(), 0);
  assert.equal(await storedCards(page), 0);

  // Once the page can be fetched again, Reload brings the answers back and the card goes.
  await page.unroute(SENDING);
  await alert.getByRole('button', { name: fa['notice.reload'] }).click();
  await page.getByText(fa['card.draft_kept']).waitFor();
  assert.equal(await page.getByRole('radiogroup').first().getByRole('radio').nth(3).isChecked(), true);
  await page.getByRole('button', { name: fa['card.submit'] }).click();
  await page.getByRole('heading', { name: fa['card.thanks.title'] }).waitFor();
  assert.equal(await storedCards(page), 1);
});
