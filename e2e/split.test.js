// The staff app comes in chunks, one per group of screens: the first screen fetches none of
// them, a group's chunk comes when one of its screens first opens, and a chunk that cannot be
// fetched is said in words with a reload, never a blank screen.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { setup, newPage, open, locales } = require('./helpers');

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

const chunk = (url) => /-(split|chunk)_\w+\.wasm$/.test(new URL(url).pathname);

test('the Cards screen is drawn before any screen chunk is asked for; a group\'s chunk comes when it opens, once', async () => {
  // No service worker: it would fetch every chunk ahead, for offline use. The app's own
  // fetching ahead, just after the first screen, is refused here until the test lets it be.
  const page = await newPage(env.browser, { serviceWorkers: 'block' });
  const asked = [];
  const fetched = [];
  page.on('request', (r) => { if (chunk(r.url())) asked.push(new URL(r.url()).pathname); });
  page.on('requestfinished', (r) => { if (chunk(r.url())) fetched.push(new URL(r.url()).pathname); });
  await page.route(/-(split|chunk)_\w+\.wasm$/, (route) => route.abort());
  await page.goto(env.base + '#/cards');
  await page.getByRole('heading', { level: 1, name: locales.en['card.title'] }).waitFor();
  assert.deepEqual(asked, [], 'the first screen needs no chunk');
  for (let i = 0; i < 200 && !asked.some((f) => f.endsWith('-split_settings.wasm')); i += 1) await page.waitForTimeout(50);
  assert.ok(asked.some((f) => f.endsWith('-split_settings.wasm')), 'the app fetches the groups ahead');
  await page.unroute(/-(split|chunk)_\w+\.wasm$/);

  await page.getByRole('link', { name: locales.en['nav.feedback'] }).click();
  await page.getByRole('heading', { level: 1, name: locales.en['nav.feedback'] }).waitFor();
  assert.ok(fetched.some((f) => f.endsWith('-split_feedback.wasm')), `feedback's chunk fetched: ${fetched}`);
  assert.ok(!fetched.some((f) => /split_(assessments|dashboard|settings)/.test(f)), `only what feedback needs: ${fetched}`);
  // The heading a screen reader lands on once the screen is there.
  assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.tagName), 'H1');

  const count = fetched.length;
  await page.getByRole('link', { name: locales.en['nav.cards'] }).click();
  await page.getByRole('link', { name: locales.en['nav.feedback'] }).click();
  await page.getByRole('heading', { level: 1, name: locales.en['nav.feedback'] }).waitFor();
  assert.equal(fetched.length, count, 'a group opens again without fetching');
  // The refused fetches ahead were logged by the loader; nothing else went wrong.
  assert.deepEqual(page.errors, []);
});

test('a moment after the first screen every group is fetched ahead, so every screen opens offline', async () => {
  const page = await newPage(env.browser, { serviceWorkers: 'block' });
  const fetched = new Set();
  page.on('requestfinished', (r) => { if (chunk(r.url())) fetched.add(new URL(r.url()).pathname); });
  await open(page, env.base, '#/cards');
  const all = await page.evaluate(async () => {
    const loader = [...document.querySelectorAll('link[rel="modulepreload"]')].find((l) => /-split\.js$/.test(l.href));
    const text = await (await fetch(loader.href)).text();
    return [...text.matchAll(/"\.\/([^"]+\.wasm)"/g)].map((m) => m[1]);
  });
  assert.ok(all.length > 7, `the loader names every chunk: ${all.length}`);
  await page.waitForFunction((n) => performance.getEntriesByType('resource').filter((e) => /-(split|chunk)_\w+\.wasm$/.test(e.name)).length >= n, all.filter((f) => !/split_sync/.test(f)).length, { timeout: 30_000 });
  // Then the other language's words.
  await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => /\/locales\/fa-[0-9a-f]+\.json$/.test(e.name) && e.responseEnd > 0), null, { timeout: 30_000 });
  await page.context().setOffline(true);
  for (const [hash, key] of [['#/assessments', 'nav.assessments'], ['#/feedback', 'nav.feedback'], ['#/customers', 'nav.customers'], ['#/dashboard', 'nav.dashboard'], ['#/data', 'data.title'], ['#/settings', 'settings.title'], ['#/cards/designer', 'designer.title']]) {
    await page.evaluate((h) => { location.hash = h; }, hash);
    await page.getByRole('heading', { level: 1, name: locales.en[key] }).waitFor();
  }
  await page.getByLabel('Language', { exact: true }).selectOption({ label: 'فارسی' });
  await page.getByRole('heading', { level: 1, name: locales.fa['designer.title'] }).waitFor();
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  assert.deepEqual(page.errors, []);
});

for (const lang of ['en', 'fa']) {
  test(`a screen whose code cannot be fetched says so and reloads into it (${lang})`, async () => {
    const page = await newPage(env.browser, { serviceWorkers: 'block' });
    const t = locales[lang];
    await page.goto(env.base + '#/cards');
    await page.evaluate((l) => localStorage.setItem('lp1-pref:lang', JSON.stringify(l)), lang);
    // As when a newer version was published while the app stayed open.
    await page.route(/-split_dashboard\.wasm$/, (route) => route.fulfill({ status: 404, body: 'gone' }));
    await page.reload();
    await page.locator('main h1').waitFor();
    await page.getByRole('link', { name: t['nav.dashboard'] }).click();
    const alert = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: t['screen.missing.title'] }) });
    await alert.waitFor();
    assert.match(await alert.innerText(), new RegExp(t['screen.missing.body'].slice(0, 30).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    // The rest of the app still works.
    await page.getByRole('link', { name: t['nav.data'] }).click();
    await page.getByRole('heading', { level: 1, name: t['data.title'] }).waitFor();
    await page.getByRole('link', { name: t['nav.dashboard'] }).click();
    await alert.waitFor();
    // The server has it again: Reload opens the screen.
    await page.unroute(/-split_dashboard\.wasm$/);
    await page.getByRole('button', { name: t['screen.missing.reload'] }).click();
    await page.getByRole('heading', { level: 1, name: t['nav.dashboard'] }).waitFor();
    // A failed fetch is logged by the loader; nothing else went wrong.
    assert.deepEqual(page.errors, []);
  });
}

test('a chunk altered on the way is refused by its integrity hash, and said like a missing one', async () => {
  const page = await newPage(env.browser, { serviceWorkers: 'block' });
  await page.route(/-split_assessments\.wasm$/, async (route) => {
    const response = await route.fetch();
    const body = await response.body();
    body[body.length - 1] ^= 0xff;
    await route.fulfill({ response, body });
  });
  await open(page, env.base, '#/cards');
  await page.getByRole('link', { name: locales.en['nav.assessments'] }).click();
  await page.getByRole('alert').filter({ has: page.getByRole('heading', { name: locales.en['screen.missing.title'] }) }).waitFor();
  assert.equal(await page.getByRole('heading', { level: 1, name: locales.en['nav.assessments'] }).count(), 0);
  assert.deepEqual(page.errors, []);
});
