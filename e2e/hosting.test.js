// dist/ copied under a subpath of a plain static server (no SPA fallback) works, reloads on
// every screen, and fetches nothing from anywhere else.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { setup, newPage, open } = require('./helpers');

let env;
before(async () => { env = await setup('/tools/lp/'); });
after(async () => { await env.close(); });

test('the app runs under /tools/lp/ and every screen reloads in place', async () => {
  const page = await newPage(env.browser);
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  for (const hash of ['#/cards', '#/assessments', '#/feedback', '#/dashboard', '#/data', '#/settings']) {
    await open(page, env.base, hash);
    await page.reload();
    await page.locator('main h1').waitFor();
  }
  assert.ok(requests.length > 0);
  for (const url of requests) {
    assert.ok(url.startsWith(env.base), `fetched outside the app's folder: ${url}`);
  }
  assert.deepEqual(page.errors, []);
});

test('the Persian font is only fetched for Persian text, from the app\'s own folder', async () => {
  const page = await newPage(env.browser);
  const fonts = [];
  page.on('request', (r) => { if (r.url().endsWith('.woff2')) fonts.push(r.url()); });
  await open(page, env.base, '#/data');
  await page.evaluate(() => localStorage.setItem('lp1-pref:lang', '"en"'));
  await page.reload();
  await page.locator('main h1').waitFor();
  await page.evaluate(() => document.fonts.ready);
  const english = fonts.length;
  await page.getByLabel('Language', { exact: true }).selectOption({ label: 'فارسی' });
  await page.waitForFunction(() => document.documentElement.dir === 'rtl');
  await page.evaluate(() => document.fonts.ready);
  await page.waitForFunction(() => [...document.fonts].some((f) => f.family.includes('Vazirmatn') && f.status === 'loaded'));
  assert.ok(fonts.length > english, 'Vazirmatn was not fetched for Persian');
  for (const f of fonts) assert.ok(f.startsWith(`${env.base}fonts/`), f);
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).fontFamily.startsWith('Vazirmatn')), true);
});

test('the bundled server answers malformed paths with 400 and keeps serving', async () => {
  const http = require('node:http');
  const { port } = new URL(env.base);
  const status = (path) => new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path }, (res) => { res.resume(); resolve(res.statusCode); }).on('error', reject);
  });
  assert.equal(await status('//'), 400);
  assert.equal(await status('/tools/lp/%E0%A4%A'), 400);
  assert.equal(await status('/tools/lp/../../etc/passwd'), 404);
  assert.equal(await status('/tools/lp/'), 200);
});
