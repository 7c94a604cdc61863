// Shared by the journeys: a static server on the built dist/, Chromium, and small page helpers.
const { start } = require('./server');
const { launch } = require('./browser');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const locales = {
  en: JSON.parse(fs.readFileSync(path.join(ROOT, 'locales/en.json'), 'utf8')),
  fa: JSON.parse(fs.readFileSync(path.join(ROOT, 'locales/fa.json'), 'utf8')),
};
const SHOTS = path.join(ROOT, 'test-results', 'screenshots');

/** Starts the server and the browser; returns { base, browser, close }. */
async function setup(basePath = '/') {
  const server = await start(path.join(ROOT, 'dist'), basePath);
  const browser = await launch();
  const base = `http://127.0.0.1:${server.address().port}${basePath}`;
  return {
    base,
    browser,
    async close() {
      await browser.close();
      server.close();
    },
  };
}

/** A new page whose uncaught errors fail the test, and that refuses any request off loopback. */
async function newPage(browser, options = {}) {
  const context = await browser.newContext({ acceptDownloads: true, ...options });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  // Anything the Content-Security-Policy blocked is a fault of the app's own code.
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) page.errors.push(`CSP: ${m.text()}`);
  });
  await context.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname;
    if (host === '127.0.0.1' || host === 'localhost') return route.continue();
    page.errors.push(`off-site request: ${route.request().url()}`);
    return route.abort();
  });
  return page;
}

/** Opens a screen and waits until the app has rendered it. */
async function open(page, base, hash = '#/cards') {
  await page.goto(base + hash);
  await page.locator('main h1').waitFor();
}

/** Reads a download triggered by `action` as text. */
async function download(page, action) {
  const [dl] = await Promise.all([page.waitForEvent('download'), action()]);
  const file = await dl.path();
  return { name: dl.suggestedFilename(), text: fs.readFileSync(file, 'utf8') };
}

/** Chooses files in the Import control and waits for the preview. */
async function chooseImport(page, files, label = locales.en['data.import.label']) {
  await page.getByLabel(label, { exact: true }).setInputFiles(
    files.map((f) => ({ name: f.name, mimeType: 'application/json', buffer: Buffer.from(f.text, 'utf8') })),
  );
  await page.locator('.preview').waitFor();
}

/** Makes a one-question card template in the designer: names and question in both languages. */
async function makeTemplate(page, base, { name, question }) {
  await open(page, base, '#/cards/designer');
  await page.getByRole('button', { name: 'New card template' }).click();
  await page.getByLabel('Name in English').fill(name[0]);
  await page.getByLabel('Name in Persian').fill(name[1]);
  await page.getByLabel('Question in English').fill(question[0]);
  await page.getByLabel('Question in Persian').fill(question[1]);
  await page.getByRole('button', { name: 'Save template' }).click();
  await page.getByText('Template saved.').waitFor();
}

/** Every localStorage entry, to compare storage before and after. */
function storageSnapshot(page) {
  return page.evaluate(() => {
    const out = {};
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      out[k] = localStorage.getItem(k);
    }
    return out;
  });
}

/**
 * The records stored under keys starting with `prefix`, as their JSON text: plain JSON as
 * written, or the packed JSON layout of src/store/codec.rs (UTF-8 packed 15 bits to a character
 * from U+4000, after a layout byte of 2) unpacked. Packed cards (layout 1) are left out.
 */
function storedJson(page, prefix = 'lp1:') {
  return page.evaluate((prefix) => {
    const unpack = (text) => {
      const out = [];
      let acc = 0;
      let bits = 0;
      for (const ch of text) {
        acc = ((acc << 15) | (ch.codePointAt(0) - 0x4000)) >>> 0;
        bits += 15;
        while (bits >= 8) { bits -= 8; out.push((acc >>> bits) & 0xff); }
        acc &= (1 << bits) - 1;
      }
      return out;
    };
    const texts = [];
    for (const [k, v] of Object.entries(localStorage)) {
      if (!k.startsWith(prefix)) continue;
      if (v.startsWith('{')) { texts.push(v); continue; }
      const bytes = unpack(v);
      if (bytes[0] !== 2) continue;
      texts.push(new TextDecoder().decode(new Uint8Array(bytes.slice(1))).replace(/\0+$/, ''));
    }
    return texts;
  }, prefix);
}

/** The number in the Data screen's record table for one row. */
async function countOf(page, rowName) {
  const row = page.getByRole('row', { name: new RegExp(`^${rowName}`) });
  return Number((await row.getByRole('cell').first().textContent()).replace(/[^0-9]/g, ''));
}

/** axe-core's violations on the page as it is now, one line each. */
async function violations(page) {
  // Evaluated through the DevTools protocol: the page's policy allows no injected script tag.
  await page.evaluate(fs.readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8'));
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

/**
 * A locale text with its `{name}` placeholders filled, as the app's `i18n::tf` does: a counted
 * word `{name:one|other}` follows its number.
 */
function fmt(text, args) {
  return text.replace(/\{(\w+)(?::([^}|]*)\|([^}]*))?\}/g, (whole, name, one, other) => {
    if (!(name in args)) return whole;
    const value = String(args[name]);
    if (one === undefined) return value;
    const ascii = value.replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0));
    return ascii === '1' ? one : other;
  });
}

/** Saves the page as `name`.png among the screenshots: the whole page, or what is in view. */
function screenshot(page, name, { fullPage = true } = {}) {
  fs.mkdirSync(SHOTS, { recursive: true });
  return page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage });
}

module.exports = { fmt, setup, newPage, open, makeTemplate, download, chooseImport, storageSnapshot, storedJson, countOf, screenshot, violations, locales, ROOT };
