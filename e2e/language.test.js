// The language choice: Persian sets lang="fa" dir="rtl", Persian digits and names; it survives a
// reload; English puts everything back.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { setup, newPage, open, locales, screenshot } = require('./helpers');

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

test('choosing فارسی switches to right-to-left Persian and survives a reload', async () => {
  const page = await newPage(env.browser);
  await open(page, env.base, '#/data');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.getAttribute('html', 'dir'), 'ltr');
  const nav = page.getByRole('navigation');
  for (const name of ['Cards', 'Assessments', 'Feedback', 'Dashboard', 'Data', 'Settings']) {
    await nav.getByRole('link', { name, exact: true }).waitFor();
  }

  await page.getByLabel('Language', { exact: true }).selectOption({ label: 'فارسی' });
  await page.waitForFunction(() => document.documentElement.dir === 'rtl');
  assert.equal(await page.getAttribute('html', 'lang'), 'fa');

  await page.reload();
  await page.locator('main h1').waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'fa');
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  assert.equal(await page.locator('main h1').textContent(), locales.fa['data.title']);
  await page.getByRole('navigation').getByRole('link', { name: locales.fa['nav.settings'], exact: true }).waitFor();
  // Numbers are written in Persian digits: the total row reads ۰, never 0.
  const total = await page.getByRole('row', { name: new RegExp(`^${locales.fa['data.records.total']}`) }).textContent();
  assert.match(total, /۰/);
  assert.doesNotMatch(total, /[0-9]/);
  await screenshot(page, 'language-fa-data');

  await page.getByLabel(locales.fa['lang.label'], { exact: true }).selectOption({ label: 'English' });
  await page.waitForFunction(() => document.documentElement.dir === 'ltr');
  await page.reload();
  await page.locator('main h1').waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.locator('main h1').textContent(), 'Data');
  assert.deepEqual(page.errors, []);
});

test('every screen is reachable from the navigation and reloads in place', async () => {
  const page = await newPage(env.browser);
  await open(page, env.base, '#/cards');
  for (const [name, hash] of [['Assessments', '#/assessments'], ['Feedback', '#/feedback'], ['Dashboard', '#/dashboard'],
    ['Data', '#/data'], ['Settings', '#/settings'], ['Cards', '#/cards']]) {
    await page.getByRole('navigation').getByRole('link', { name, exact: true }).click();
    await page.waitForFunction((h) => location.hash === h, hash);
    const link = page.getByRole('navigation').getByRole('link', { name, exact: true });
    assert.equal(await link.getAttribute('aria-current'), 'page');
    await page.reload();
    // The Cards section opens on the customer's card, whose heading speaks to the customer.
    const heading = name === 'Cards' ? locales.en['card.title'] : name;
    assert.equal(await page.locator('main h1').textContent(), heading);
  }
  await page.goto(`${env.base}#/no-such-screen`);
  assert.equal(await page.locator('main h1').textContent(), locales.en['page.not_found.title']);
  assert.deepEqual(page.errors, []);
});

test('a language whose words cannot be fetched is not switched to, and the designer still previews the card in it', async () => {
  const page = await newPage(env.browser, { serviceWorkers: 'block' });
  // The Persian file is out of reach, as on a tablet that lost its connection before it came.
  let refused = true;
  await page.route(/\/locales\/fa-[0-9a-f]+\.json$/, (route) => (refused ? route.fulfill({ status: 503, body: 'down' }) : route.continue()));
  await open(page, env.base, '#/cards/designer');
  await page.getByRole('button', { name: locales.en['designer.edit'], exact: true }).click();
  // The card is written in both languages from the words the app always carries.
  const preview = page.locator('section.preview-card').filter({ has: page.getByRole('heading', { name: locales.en['designer.preview_fa'] }) });
  await preview.getByText(locales.fa['card.default.overall']).waitFor();
  const text = await preview.innerText();
  assert.ok(text.includes(locales.fa['card.default.name']), text);
  assert.doesNotMatch(text, /\b(card|scale|rating|designer)\.[a-z_]+/);

  const select = page.getByLabel('Language', { exact: true });
  await select.selectOption({ label: 'فارسی' });
  // The other language's name is isolated, so it cannot turn the English sentence around.
  const said = locales.en['boot.switch_failed'].replace('{lang}', '\u2068فارسی\u2069');
  await page.getByRole('alert').filter({ hasText: said }).waitFor();
  await screenshot(page, 'language-unfetched-en');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await select.inputValue(), 'en');
  assert.equal(await page.locator('main h1').textContent(), locales.en['designer.title']);

  // Once it can be fetched, choosing it again switches.
  refused = false;
  await select.selectOption({ label: 'فارسی' });
  await page.waitForFunction(() => document.documentElement.dir === 'rtl');
  assert.equal(await page.locator('main h1').textContent(), locales.fa['designer.title']);
  assert.deepEqual(page.errors, []);
});

for (const lang of ['en', 'fa']) {
  test(`an app whose words cannot be fetched at the start says so and opens on a reload (${lang})`, async () => {
    const page = await newPage(env.browser, { serviceWorkers: 'block' });
    const t = locales[lang];
    await open(page, env.base, '#/data');
    await page.evaluate((l) => localStorage.setItem('lp1-pref:lang', JSON.stringify(l)), lang);
    // As when the app was updated on the server while this tab kept the old page.
    const file = new RegExp(`/locales/${lang}-[0-9a-f]+\\.json$`);
    await page.route(file, (route) => route.fulfill({ status: 404, body: 'gone' }));
    await page.reload();
    const alert = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: t['boot.failed.title'] }) });
    await alert.waitFor();
    assert.equal(await alert.getAttribute('lang'), lang);
    assert.match(await alert.innerText(), new RegExp(t['boot.failed.body'].slice(0, 25).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    await screenshot(page, `language-unfetched-start-${lang}`);
    await page.unroute(file);
    await alert.getByRole('button', { name: t['crash.reload'] }).click();
    await page.locator('main h1').waitFor();
    assert.equal(await page.locator('main h1').textContent(), t['data.title']);
    assert.equal(await page.getAttribute('html', 'lang'), lang);
    assert.deepEqual(page.errors, []);
  });
}
