// The app as an installed, offline tool: after one visit it opens and works with no network,
// from a subpath; a new build is picked up on a later visit without switching a page that is
// open; and no inline script or remote origin is allowed by the page's policy.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const { start } = require('./server');
const { launch } = require('./browser');
const { newPage, open, countOf, screenshot, locales, ROOT } = require('./helpers');

const BASE_PATH = '/tools/lp/';
let browser;
let server;
let dir;
let base;

before(async () => {
  // A copy of dist/, so that a new build can be put in its place.
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lp-offline-'));
  fs.cpSync(path.join(ROOT, 'dist'), dir, { recursive: true });
  server = await start(dir, BASE_PATH);
  base = `http://127.0.0.1:${server.address().port}${BASE_PATH}`;
  browser = await launch();
});
after(async () => {
  await browser.close();
  server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Polls `check` in the page until it gives true (Playwright's waitForFunction does not wait
 * for a promise). */
async function until(page, check, arg) {
  for (let i = 0; i < 300; i += 1) {
    if (await page.evaluate(check, arg)) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`never true: ${check}`);
}

/** Waits until the service worker of the app's folder is active and has cached the build. */
function installed(page) {
  return page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    return { scope: reg.scope, caches: await caches.keys() };
  });
}

test('after one visit the app opens, works and takes cards with no network', async () => {
  const page = await newPage(browser);
  await open(page, base, '#/cards');
  const sw = await installed(page);
  assert.equal(sw.scope, base);
  assert.equal(sw.caches.filter((c) => c.startsWith(`listening-post ${base} `)).length, 1);
  // Chromium finds nothing in the app that keeps it from offering to install it (a test's
  // browser context is private, which Chromium names as the one reason).
  const cdp = await page.context().newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  assert.deepEqual(installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito'), []);

  await page.context().setOffline(true);
  await page.reload();
  await page.locator('main h1').waitFor();
  await page.getByRole('radiogroup').first().getByRole('radio', { name: 'Satisfied', exact: true }).check();
  await page.getByLabel('What could we improve?').fill('Sent with no network');
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('button', { name: 'Fill another card' }).waitFor();
  for (const hash of ['#/dashboard', '#/feedback', '#/settings', '#/data']) {
    await open(page, base, hash);
    await page.reload();
    await page.locator('main h1').waitFor();
  }
  assert.equal(await countOf(page, 'Satisfaction cards'), 1);
  // The other language's words were kept too: Persian opens with no network.
  await page.getByLabel('Language', { exact: true }).selectOption({ label: 'فارسی' });
  await page.waitForFunction(() => document.documentElement.dir === 'rtl');
  await page.getByLabel(locales.fa['lang.label'], { exact: true }).selectOption({ label: 'English' });
  await page.waitForFunction(() => document.documentElement.dir === 'ltr');
  // A customer's card link opens too, with its query string.
  const card = await page.context().newPage();
  await card.goto(`${base}card.html?branch=Tajrish`);
  await card.getByRole('button', { name: 'Submit' }).waitFor();
  await screenshot(page, 'offline-data-en');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a first visit fetches each screen\'s code once: the service worker keeps it and the page takes it from there', async () => {
  const page = await newPage(browser);
  const chunk = (url) => /-(split|chunk)_\w+\.wasm$/.test(new URL(url).pathname);
  const fetched = { page: [], worker: [] };
  page.context().on('requestfinished', async (r) => {
    if (!chunk(r.url())) return;
    const response = await r.response();
    if (r.serviceWorker()) fetched.worker.push(r.url());
    else if (response && !response.fromServiceWorker()) fetched.page.push(r.url());
  });
  await open(page, base, '#/cards');
  await installed(page);
  // The page fetches ahead once the worker looks after it, from the worker's cache.
  await until(page, async () => performance.getEntriesByType('resource').filter((e) => /-(split|chunk)_\w+\.wasm$/.test(e.name)).length > 20);
  await page.waitForTimeout(300);
  assert.ok(fetched.worker.length > 20, `the worker kept the chunks: ${fetched.worker.length}`);
  assert.deepEqual(fetched.page, [], 'the page fetched no chunk from the network');
  await page.context().setOffline(true);
  for (const [hash, name] of [['#/assessments', 'Assessments'], ['#/dashboard', 'Dashboard'], ['#/settings', 'Settings']]) {
    await page.evaluate((h) => { location.hash = h; }, hash);
    await page.getByRole('heading', { level: 1, name }).waitFor();
  }
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a new build waits while a page is open, and the next visit opens it', async () => {
  const context = await browser.newContext();
  const first = await context.newPage();
  const errors = [];
  first.on('pageerror', (e) => errors.push(String(e)));
  await open(first, base, '#/cards');
  const old = (await installed(first)).caches.filter((c) => c.startsWith(`listening-post ${base} `));
  await first.reload(); // now controlled by the worker
  await first.locator('main h1').waitFor();
  await first.getByRole('radiogroup').first().getByRole('radio', { name: 'Dissatisfied', exact: true }).check();

  // A new build is put on the server: new version, and a page that says which build it is.
  const sw = fs.readFileSync(path.join(dir, 'sw.js'), 'utf8');
  fs.writeFileSync(path.join(dir, 'sw.js'), sw.replace(/const VERSION = "([0-9a-f]+)"/, 'const VERSION = "$1-next"'));
  const index = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
  fs.writeFileSync(path.join(dir, 'index.html'), index.replace('<head>', '<head><meta name="build" content="next" />'));
  // The server sends a file's compressed forms in its place: the new build's are these files'.
  for (const f of ['sw.js', 'index.html']) {
    fs.writeFileSync(path.join(dir, `${f}.gz`), zlib.gzipSync(fs.readFileSync(path.join(dir, f))));
    fs.rmSync(path.join(dir, `${f}.br`), { force: true });
  }

  // Another visit while the card is half filled: the new build is fetched and waits.
  const second = await context.newPage();
  await open(second, base, '#/dashboard');
  await until(second, async () => {
    const reg = await navigator.serviceWorker.getRegistration();
    return Boolean(reg && reg.waiting);
  });
  assert.equal(await second.locator('meta[name=build]').count(), 0);
  // The half-filled card is still there and still sends.
  await first.getByLabel('What could we improve?').fill('Sent across an update');
  await first.getByRole('button', { name: 'Submit' }).click();
  await first.getByRole('button', { name: 'Fill another card' }).waitFor();
  assert.deepEqual(errors, []);

  // Once every page of the old build is closed, the next visit opens the new one.
  await first.close();
  await second.close();
  const third = await context.newPage();
  await third.goto(`http://127.0.0.1:${server.address().port}/`); // outside the app's folder
  await until(third, async (scope) => {
    const reg = await navigator.serviceWorker.getRegistration(scope);
    return Boolean(reg && reg.waiting === null && reg.active && reg.active.state === 'activated'
      && (await caches.keys()).some((c) => c.endsWith('-next')));
  }, base);
  await open(third, base, '#/cards');
  assert.equal(await third.locator('meta[name=build]').count(), 1);
  const now = (await installed(third)).caches.filter((c) => c.startsWith(`listening-post ${base} `));
  assert.equal(now.length, 1);
  assert.notDeepEqual(now, old);
  await open(third, base, '#/data');
  assert.equal(await countOf(third, 'Satisfaction cards'), 1);
  await context.close();
});

test('every page of the build loads no inline script and nothing from another origin', () => {
  for (const page of ['index.html', 'card.html']) {
    const html = fs.readFileSync(path.join(ROOT, 'dist', page), 'utf8');
    const csp = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)"/);
    assert.ok(csp, `${page} has no policy`);
    const rules = Object.fromEntries(csp[1].split(';').map((r) => r.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    assert.deepEqual(rules['script-src'], ["'self'", "'wasm-unsafe-eval'"]);
    assert.deepEqual(rules['default-src'], ["'self'"]);
    assert.deepEqual(rules['object-src'], ["'none'"]);
    // The build the tests use names the test CouchDB's loopback origin (LP_COUCHDB_ORIGIN) in
    // connect-src, after 'self', and nothing else anywhere.
    assert.equal(rules['connect-src'][0], "'self'");
    for (const v of rules['connect-src'].slice(1)) assert.match(v, /^http:\/\/127\.0\.0\.1:(\d+|\*)$/, `${page}: ${v}`);
    for (const [name, values] of Object.entries(rules)) {
      if (name === 'connect-src') continue;
      for (const v of values) assert.ok(!/^https?:|\*|^'unsafe-inline'$|^'unsafe-eval'$/.test(v), `${page}: ${v}`);
    }
    for (const tag of html.match(/<script[^>]*>/g)) assert.match(tag, /\ssrc="\.\/boot-[0-9a-f]+\.js"/, `${page}: ${tag}`);
    assert.doesNotMatch(html, /\son[a-z]+=/i, `${page} has an inline event handler`);
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'dist', 'manifest.webmanifest'), 'utf8'));
  assert.equal(manifest.start_url, './');
  assert.equal(manifest.display, 'standalone');
});
