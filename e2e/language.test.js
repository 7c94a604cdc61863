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
