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

test('the build carries brotli and gzip forms of every file a server may send compressed, which read back to it', async () => {
  const fs = require('node:fs');
  const path = require('node:path');
  const zlib = require('node:zlib');
  const dist = path.join(__dirname, '..', 'dist');
  const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  const files = walk(dist).filter((f) => /\.(html|js|wasm|css|json|webmanifest)$/.test(f));
  assert.ok(files.some((f) => f.endsWith('_bg.wasm')) && files.some((f) => /locales\/fa-/.test(f)), 'the build is there');
  for (const f of files) {
    const body = fs.readFileSync(f);
    const forms = [['.br', zlib.brotliDecompressSync, zlib.brotliCompressSync], ['.gz', zlib.gunzipSync, zlib.gzipSync]];
    for (const [ext, unpack, pack] of forms) {
      if (!fs.existsSync(f + ext)) {
        // Left out only where it would be no smaller (a tiny file).
        assert.ok(pack(body).length >= body.length, `${path.relative(dist, f)}${ext} is missing`);
        continue;
      }
      assert.ok(unpack(fs.readFileSync(f + ext)).equals(body), `${path.relative(dist, f)}${ext} is that file`);
    }
  }
  // The service worker keeps each file once, never its compressed forms.
  const sw = fs.readFileSync(path.join(dist, 'sw.js'), 'utf8');
  assert.doesNotMatch(sw, /\.(br|gz)"/);

  // A browser that takes brotli is sent the brotli form; one that takes nothing, the file.
  const http = require('node:http');
  const get = (headers) => new Promise((resolve, reject) => {
    http.get(new URL('card.html', env.base), { headers }, (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () => resolve({ coding: res.headers['content-encoding'], body: Buffer.concat(parts) }));
    }).on('error', reject);
  });
  const card = fs.readFileSync(path.join(dist, 'card.html'));
  const br = await get({ 'accept-encoding': 'gzip, deflate, br' });
  assert.equal(br.coding, 'br');
  assert.ok(zlib.brotliDecompressSync(br.body).equals(card));
  const plain = await get({});
  assert.equal(plain.coding, undefined);
  assert.ok(plain.body.equals(card));
});
