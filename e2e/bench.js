// Prints the app's size and speed figures (not a test: nothing here passes or fails):
//  - gzip size of everything the first page load fetches, in English and in Persian;
//  - the split app: its first screen, what each group of screens fetches the first time it
//    opens and how long that takes, and the whole app's wasm;
//  - time to save one record with 0 and with 20,000 cards stored;
//  - time from navigation to the Data screen showing 20,000 stored records;
//  - time to open an assessment's results, table and charts drawn, with 100 past assessments;
//  - time to search and to filter an inbox of 20,000 feedback items;
//  - time for the dashboard to redraw after a filter change, with 100,000 cards and 20,000 items;
//  - sync through pouchdb-server on loopback: a first sync of 20,000 records into an empty
//    browser (time, requests, memory; then on a second device, the memory it holds with the
//    garbage collected), and one changed record (requests, bytes).
const zlib = require('node:zlib');
const path = require('node:path');
const { setup, newPage, chooseImport } = require('./helpers');
const fx = require('./fixtures');

const RUNS = 7;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function firstLoad(env, lang, path = '') {
  const page = await newPage(env.browser);
  await page.goto(env.base + path);
  await page.evaluate((l) => { localStorage.clear(); localStorage.setItem('lp1-pref:lang', JSON.stringify(l)); }, lang);
  const bodies = [];
  page.on('response', async (r) => { bodies.push(r.body().then((b) => ({ url: r.url(), raw: b.length, gz: zlib.gzipSync(b, { level: 9 }).length, br: brotli(b) })).catch(() => null)); });
  await page.reload();
  await page.locator('main h1').waitFor();
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(300);
  const files = (await Promise.all(bodies)).filter(Boolean);
  await page.context().close();
  // The chunks a page fetches ahead once its first screen is drawn (the app's screen groups,
  // the card page's sending), which that screen does not need (e2e/split.test.js,
  // e2e/card-page.test.js), are not part of the first load: they come after it.
  const after = files.filter((f) => CHUNK.test(new URL(f.url).pathname));
  return Object.assign(files.filter((f) => !after.includes(f)), { after });
}

const CHUNK = /-(split|chunk)_\w+\.wasm$/;

/** Brotli at its highest quality, as the build compresses each file ahead for servers that send
 * it (scripts/finish-dist.js); a font, compressed already, counts as it is. */
function brotli(body) {
  const packed = zlib.brotliCompressSync(body, { params: {
    [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
    [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
  } }).length;
  return Math.min(packed, body.length);
}

// Stores n cards the way a user would: by importing a file on the Data screen.
async function fill(page, base, n) {
  await page.goto(`${base}#/data`);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.locator('main h1').waitFor();
  if (n === 0) return;
  const cards = Array.from({ length: n }, (_, i) => fx.card(i));
  await chooseImport(page, [{ name: 'bench.json', text: fx.file({ cards }) }]);
  await page.getByRole('button', { name: 'Confirm import' }).click();
  await page.getByText(/Import finished/).waitFor({ timeout: 60000 });
}

async function saveTime(env, stored) {
  const page = await newPage(env.browser);
  await fill(page, env.base, stored);
  await page.goto(`${env.base}#/settings`);
  await page.reload();
  await page.locator('main h1').waitFor();
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    await page.getByLabel('Business name').fill(`Shop ${i}`);
    times.push(await page.evaluate(async () => {
      const button = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Save settings');
      const t0 = performance.now();
      button.click();
      // The save is synchronous; wait for the notice it produces to be in the DOM.
      while (!document.body.textContent.includes('Settings saved.')) await new Promise((r) => setTimeout(r, 0));
      const t = performance.now() - t0;
      document.querySelector('.notice button').click();
      return t;
    }));
  }
  await page.context().close();
  return median(times);
}

// Time from navigation to a card whose first rating can be chosen, optionally with the CPU slowed.
async function cardInteractive(env, throttle, address = '#/cards') {
  const page = await newPage(env.browser);
  const cdp = await page.context().newCDPSession(page);
  await page.goto(`${env.base}#/data`);
  await page.evaluate(() => localStorage.clear());
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    await page.goto('about:blank');
    await page.goto(`${env.base}${address}`);
    await page.getByRole('radiogroup').first().getByRole('radio').first().waitFor();
    times.push(await page.evaluate(() => performance.now()));
  }
  await page.context().close();
  return median(times);
}

// Time from pressing Submit to the thank-you, with `stored` cards already kept.
async function cardSaveTime(env, stored) {
  const page = await newPage(env.browser);
  await fill(page, env.base, stored);
  await page.goto(`${env.base}#/cards`);
  await page.reload();
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    await page.getByRole('radiogroup').first().getByRole('radio', { name: 'Satisfied', exact: true }).check();
    times.push(await page.evaluate(async () => {
      const button = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Submit');
      const t0 = performance.now();
      button.click();
      while (![...document.querySelectorAll('h1')].some((h) => h.textContent === 'Thank you!')) await new Promise((r) => setTimeout(r, 0));
      return performance.now() - t0;
    }));
    await page.getByRole('button', { name: 'Fill another card' }).click();
  }
  await page.context().close();
  return median(times);
}

// Time from opening an assessment's results to its table and both charts drawn, with `past`
// other assessments stored (each with a few actions), optionally with the CPU slowed.
async function resultsTime(env, past, throttle) {
  const page = await newPage(env.browser);
  await page.goto(`${env.base}#/data`);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.locator('main h1').waitFor();
  const action = (i, k) => ({ id: require('node:crypto').randomUUID(), dimension: 'reliability', text: `Action ${i}.${k}`, owner: 'Reza', due: '2026-01-10', status: 'planned' });
  const list = Array.from({ length: past }, (_, i) => {
    const day = new Date(Date.UTC(2024, 0, 1) + i * 7 * 86400000).toISOString().slice(0, 10);
    return fx.assessment(day, 1 + (i % 6), { actions: [0, 1, 2].map((k) => action(i, k)) });
  });
  const target = fx.assessment('2026-11-01', 3, { actions: [action('t', 0)] });
  await chooseImport(page, [{ name: 'bench.json', text: fx.file({ assessments: [...list, target] }) }]);
  await page.getByRole('button', { name: 'Confirm import' }).click();
  await page.getByText(/Import finished/).waitFor({ timeout: 60000 });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    await page.goto(`${env.base}#/assessments`);
    await page.locator('main h1').waitFor();
    times.push(await page.evaluate(async (id) => {
      const t0 = performance.now();
      location.hash = `#/assessments/results?id=${id}`;
      const drawn = () => document.querySelectorAll('#gap-table tbody tr').length === 5
        && document.querySelector('svg.radar polygon.current') && document.querySelectorAll('svg.bars rect').length === 5;
      while (!drawn()) await new Promise((r) => setTimeout(r, 0));
      return performance.now() - t0;
    }, target.id));
  }
  await page.context().close();
  return median(times);
}

// Time from changing the inbox's search text or kind filter to the count of matching items
// shown, with 20,000 feedback items stored.
async function inboxTimes(env, stored) {
  const page = await newPage(env.browser);
  await page.goto(`${env.base}#/data`);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.locator('main h1').waitFor();
  const kinds = ['complaint', 'suggestion', 'criticism', 'compliment'];
  const words = ['queue', 'parking', 'price', 'staff', 'delivery', 'website', 'phone', 'refund'];
  const items = Array.from({ length: stored }, (_, i) => ({
    ...fx.feedback(`Item ${i}: the ${words[i % 8]} was a problem, number ${i * 7919 % 100000}`,
      new Date(Date.UTC(2025, 0, 1) + i * 1800000).toISOString()),
    kind: kinds[i % 4],
    status: i % 3 ? 'new' : 'closed',
  }));
  await chooseImport(page, [{ name: 'bench.json', text: fx.file({ feedback: items }) }]);
  await page.getByRole('button', { name: 'Confirm import' }).click();
  await page.getByText(/Import finished/).waitFor({ timeout: 120000 });
  await page.goto(`${env.base}#/feedback`);
  await page.reload();
  await page.locator('main h1').waitFor();
  const measure = (change) => page.evaluate(async (change) => {
    const summary = document.querySelector('p.summary');
    const before = summary.textContent;
    const t0 = performance.now();
    if (change.search !== undefined) {
      const input = document.getElementById('fb-search');
      input.value = change.search;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    } else {
      const select = document.getElementById('fb-f-kind');
      select.value = change.kind;
      select.dispatchEvent(new Event('change', { bubbles: true }));
    }
    while (summary.textContent === before) await new Promise((r) => setTimeout(r, 0));
    return performance.now() - t0;
  }, change);
  const search = [];
  const filter = [];
  for (let i = 0; i < RUNS; i++) {
    search.push(await measure({ search: `${words[i % 8]} was` }));
    await measure({ search: '' });
    filter.push(await measure({ kind: kinds[i % 4] }));
    await measure({ kind: '' });
  }
  await page.context().close();
  return { search: median(search), filter: median(filter) };
}

// Time from changing the dashboard's branch filter to every figure redrawn, with `cards` cards
// and `items` feedback items stored.
// localStorage without its quota, for the one figure whose data (100,000 cards and 20,000
// feedback items) is larger than Chromium's 5 MB allows today: a Map behind the same methods
// the app calls. It lives as long as the page, so the dashboard is reached without a reload.
function unlimitedStorage() {
  const data = new Map();
  let keys = null;
  const storage = {
    getItem: (k) => (data.has(String(k)) ? data.get(String(k)) : null),
    setItem: (k, v) => { if (!data.has(String(k))) keys = null; data.set(String(k), String(v)); },
    removeItem: (k) => { if (data.delete(String(k))) keys = null; },
    clear: () => { data.clear(); keys = null; },
    key: (i) => { keys = keys || [...data.keys()]; return keys[i] ?? null; },
    get length() { return data.size; },
  };
  Object.defineProperty(window, 'localStorage', { value: storage, configurable: true });
}

/** Median time for the dashboard to show new figures after `change` runs in the page. */
async function redrawTime(page, change, values) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    times.push(await page.evaluate(async ([id, value]) => {
      const report = document.querySelector('main');
      const before = report.textContent;
      const control = document.getElementById(id);
      const t0 = performance.now();
      control.value = value;
      control.dispatchEvent(new Event(control.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true }));
      while (report.textContent === before) await new Promise((r) => setTimeout(r, 0));
      await new Promise((r) => requestAnimationFrame(() => r()));
      return performance.now() - t0;
    }, [change, values[i % values.length]]));
  }
  return median(times);
}

async function dashboardTimes(env, cardCount, itemCount) {
  const page = await newPage(env.browser);
  await page.addInitScript(unlimitedStorage);
  await page.goto(`${env.base}#/data`);
  await page.locator('main h1').waitFor();
  const now = Date.now();
  const cards = Array.from({ length: cardCount }, (_, i) => ({
    ...fx.card(i, new Date(now - (i % 80) * 86400000 - i * 1000).toISOString()),
    template: '4c504341-5244-4445-4641-000000000001',
    branch: i % 2 ? 'Tajrish' : 'Vanak',
    answers: { overall: { rating: 1 + (i % 5) }, recommend: { rating: i % 11 }, rater_empathy: { rating: 1 + (i % 5) } },
  }));
  const feedback = Array.from({ length: itemCount }, (_, i) =>
    fx.feedback(`Item ${i}`, new Date(now - (i % 80) * 86400000 - i * 1000).toISOString()));
  await chooseImport(page, [{ name: 'bench.json', text: fx.file({ cards, feedback }) }]);
  await page.getByRole('button', { name: 'Confirm import' }).click();
  await page.getByText(/Import finished/).waitFor({ timeout: 300000 });
  await page.evaluate(() => { window.location.hash = '#/dashboard'; });
  await page.locator('.tile-value').first().waitFor();
  // A branch redraws the cards and the assessments; the span redraws every section.
  const branch = await redrawTime(page, 'dash-branch', ['Tajrish', 'Vanak']);
  const span = await redrawTime(page, 'dash-span', ['week', 'quarter', 'month']);
  const iso = (days) => new Date(now - days * 86400000).toISOString().slice(0, 10);
  const range = await redrawTime(page, 'dash-from', [iso(30), iso(60)]);
  const stored = await page.evaluate(() => localStorage.length);
  await page.context().close();
  return { branch, span, range, stored };
}

/** A new page that keeps the app's wasm memory as `window.__wasmMemory`, to read its size. */
async function pageKeepingWasmMemory(env) {
  const page = await newPage(env.browser);
  await page.addInitScript(() => addEventListener('TrunkApplicationStarted', (e) => { window.__wasmMemory = e.detail.wasm.memory; }));
  return page;
}

async function startupTime(env, stored) {
  const page = await pageKeepingWasmMemory(env);
  await fill(page, env.base, stored);
  const expected = stored.toLocaleString('en-US');
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    await page.reload();
    await page.getByRole('row', { name: new RegExp(`^Satisfaction cards ${expected}$`) }).waitFor();
    times.push(await page.evaluate(() => performance.now()));
  }
  // What stays alive once loaded: garbage collected first, then the JavaScript heap and the
  // wasm module's linear memory (which the JavaScript heap figure does not include).
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await page.evaluate(() => performance.memory && performance.memory.usedJSHeapSize);
  const wasm = await page.evaluate(() => window.__wasmMemory && window.__wasmMemory.buffer.byteLength);
  await page.context().close();
  return { ms: median(times), heap, wasm };
}

// Importing a file of 45,000 cards and 5,000 feedback items: from the file input's change event
// to the preview, and from the click on Confirm to the finished notice, timed in the page (so
// the test harness's transfer of the file into the browser is not counted). Also counts the
// progress messages the user saw while it worked.
async function importTime(env) {
  const page = await newPage(env.browser);
  await page.goto(`${env.base}#/data`);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.locator('main h1').waitFor();
  const cards = Array.from({ length: 45000 }, (_, i) => fx.card(i));
  const feedback = Array.from({ length: 5000 }, (_, i) => fx.feedback(`Item ${i}`));
  const text = fx.file({ cards, feedback });
  await page.evaluate(() => {
    const t = (window.__import = { updates: new Set() });
    document.addEventListener('change', () => { t.change = performance.now(); }, true);
    document.addEventListener('click', (e) => { if (e.target.textContent === 'Confirm import') t.confirm = performance.now(); }, true);
    new MutationObserver(() => {
      const status = document.getElementById('import-progress-text');
      if (status && status.textContent) t.updates.add(status.textContent);
      if (!t.preview && document.querySelector('.preview')) t.preview = performance.now();
      if (!t.done && document.querySelector('.notice')?.textContent.includes('Import finished')) t.done = performance.now();
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
  await chooseImport(page, [{ name: 'bench.json', text }]);
  await page.getByRole('button', { name: 'Confirm import' }).click();
  await page.getByText(/Import finished/).waitFor({ timeout: 120000 });
  const t = await page.evaluate(() => ({ ...window.__import, updates: window.__import.updates.size }));
  // The floor: a bare loop of localStorage.setItem over the same keys and values the import
  // wrote, in the same page, after clearing them and letting the browser finish its own work on
  // the removals, so that work is not timed as part of the loop.
  const floor = await page.evaluate(async () => {
    const entries = Object.entries(localStorage).filter(([k]) => k.startsWith('lp1:'));
    for (const [k] of entries) localStorage.removeItem(k);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const t0 = performance.now();
    for (const [k, v] of entries) localStorage.setItem(k, v);
    return { ms: performance.now() - t0, keys: entries.length };
  });
  await page.context().close();
  return {
    preview: Math.round(t.preview - t.change), write: Math.round(t.done - t.confirm), updates: t.updates, mb: text.length / 1048576,
    floor: Math.round(floor.ms), keys: floor.keys,
  };
}

// A first sync of 20,000 cards into an empty browser through the Sync screen, from Connect to
// "0 records waiting", with the requests it took and the most memory seen while it ran
// (JavaScript heap and the wasm module's linear memory, sampled every 100 ms); then one card
// taken on that device, and the requests and bytes of the pass that sends it.
async function syncTimes(env) {
  const { startCouch, connect, synced } = require('./couch');
  const couch = await startCouch();
  try {
    await couch.setup('bench', ['device:device-pw']);
    const cards = Array.from({ length: 20000 }, (_, i) => fx.card(i));
    for (let i = 0; i < cards.length; i += 2000) {
      await couch.put('bench', cards.slice(i, i + 2000).map((c) => ({ ...c, _id: `card-${c.id}` })));
    }
    const page = await pageKeepingWasmMemory(env);
    const traffic = { requests: 0, sent: 0, received: 0 };
    page.on('request', (r) => {
      if (!r.url().startsWith(couch.url) || r.method() === 'OPTIONS') return;
      traffic.requests += 1;
      traffic.sent += Buffer.byteLength(r.postData() || '');
    });
    page.on('response', async (r) => {
      if (!r.url().startsWith(couch.url) || r.request().method() === 'OPTIONS') return;
      try { traffic.received += (await r.body()).length; } catch {}
    });
    await page.goto(`${env.base}#/settings/sync`);
    await page.locator('main h1').waitFor();
    await page.evaluate(() => {
      const peak = (window.__peak = { heap: 0, wasm: 0 });
      setInterval(() => {
        peak.heap = Math.max(peak.heap, (performance.memory && performance.memory.usedJSHeapSize) || 0);
        peak.wasm = Math.max(peak.wasm, (window.__wasmMemory && window.__wasmMemory.buffer.byteLength) || 0);
      }, 100);
      document.addEventListener('submit', () => { window.__t0 = performance.now(); }, true);
    });
    const setupBaseline = { ...traffic };
    await connect(page, env.base, { url: couch.url, db: 'bench', user: 'device', password: 'device-pw' });
    await page.locator('.sync-status').filter({ hasText: /Last synced/ }).filter({ hasText: /\b0 records waiting/ }).waitFor({ timeout: 600_000 });
    const ms = await page.evaluate(() => performance.now() - window.__t0);
    const first = { ms, requests: traffic.requests - setupBaseline.requests, received: traffic.received, peak: await page.evaluate(() => window.__peak) };
    const stored = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('lp1:c')).length);

    // One card taken here: the pass a few seconds later. The first card on a device also stores
    // the card design it answers, so the second card is the one measured.
    let before;
    for (const round of [1, 2]) {
      before = { ...traffic };
      const passes = await page.locator('.sync-status').getAttribute('data-passes').then(Number);
      await page.goto(`${env.base}#/cards`);
      await page.getByRole('radiogroup').first().getByRole('radio', { name: 'Satisfied', exact: true }).check();
      await page.getByRole('button', { name: 'Submit' }).click();
      await page.getByRole('button', { name: 'Fill another card' }).waitFor();
      await page.goto(`${env.base}#/settings/sync`);
      await page.waitForFunction((n) => Number(document.querySelector('.sync-status')?.getAttribute('data-passes')) > n, passes, { timeout: 30_000 });
      await synced(page);
      if (round === 1) await page.waitForTimeout(500);
    }
    const one = { requests: traffic.requests - before.requests, sent: traffic.sent - before.sent, received: traffic.received - before.received };
    await page.context().close();
    return { first, stored, one, live: await liveMemory(env, couch, connect) };
  } finally {
    await couch.close();
  }
}

// The same first sync into another empty device, for what the page holds while it runs: every
// 250 ms the garbage is collected, then the JavaScript heap (with the browser's own objects) and
// the wasm module's memory are read. The peak above, sampled without collecting, counts what the
// collector had yet to free, so it moves with the collector's timing; this run is not timed.
async function liveMemory(env, couch, connect) {
  const page = await pageKeepingWasmMemory(env);
  await page.goto(`${env.base}#/settings/sync`);
  await page.locator('main h1').waitFor();
  const cdp = await page.context().newCDPSession(page);
  const peak = { heap: 0, wasm: 0 };
  const sample = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const use = await cdp.send('Runtime.getHeapUsage');
    const wasm = await page.evaluate(() => (window.__wasmMemory ? window.__wasmMemory.buffer.byteLength : 0));
    peak.heap = Math.max(peak.heap, use.usedSize + (use.embedderHeapUsedSize || 0));
    peak.wasm = Math.max(peak.wasm, wasm);
  };
  let running = true;
  const sampling = (async () => {
    while (running) {
      await sample();
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  try {
    await connect(page, env.base, { url: couch.url, db: 'bench', user: 'device', password: 'device-pw' });
    await page.locator('.sync-status').filter({ hasText: /Last synced/ }).filter({ hasText: /\b0 records waiting/ }).waitFor({ timeout: 600_000 });
  } finally {
    running = false;
    await sampling;
  }
  // Once more after the pass, whose end is where the wasm memory grew last.
  await sample();
  const stored = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('lp1:c')).length);
  await page.context().close();
  return { ...peak, stored };
}

// Every figure, or only those named on the command line (`node e2e/bench.js dashboard inbox`).
// The staff app's screen groups (src/screens.rs), each opened at its first screen.
const GROUPS = [
  ['cards designer and received cards', '#/cards/received'],
  ['assessments', '#/assessments'],
  ['feedback and customers', '#/feedback'],
  ['dashboard', '#/dashboard'],
  ['settings, standards, schedules, sync and data', '#/settings'],
];

/** Opens the app at the Cards screen, then `hash`: the bytes fetched for it and the time from
 *  the address change to its heading. No service worker, and the app's fetching ahead of the
 *  groups is refused, so every byte of the group comes from the server when it opens. */
async function groupOpen(env, hash) {
  const page = await newPage(env.browser, { serviceWorkers: 'block' });
  await page.route(CHUNK, (route) => route.abort());
  await page.goto(env.base + '#/cards');
  await page.locator('main h1').waitFor();
  await page.waitForTimeout(1000);
  await page.unroute(CHUNK);
  const bodies = [];
  page.on('response', (r) => { bodies.push(r.body().then((b) => zlib.gzipSync(b, { level: 9 }).length).catch(() => 0)); });
  const ms = await page.evaluate((to) => new Promise((done) => {
    const before = document.querySelector('main h1');
    const t0 = performance.now();
    location.hash = to;
    const check = () => {
      const h = document.querySelector('main h1');
      if (h && h !== before && !document.querySelector('.screen-loading')) done(performance.now() - t0);
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  }), hash);
  const gz = (await Promise.all(bodies)).reduce((a, b) => a + b, 0);
  await page.context().close();
  return { ms, gz, files: bodies.length };
}


// A shop's whole history on its server and a device that keeps a window of it: the server
// seeded with cards over three years at 20 branches (100,000, then 300,000 with
// LP_BENCH_HISTORY=300000), its views built; a new device keeping 90 days of one branch, against
// the same records synced alone into an empty database; the dashboard's three years by month
// from the server's views; a device at its storage's edge.
async function historyTimes(env) {
  const { startCouch, connect, synced } = require('./couch');
  const crypto = require('node:crypto');
  const first = Number(process.env.LP_BENCH_HISTORY_FIRST || 100000);
  const sizes = [first, Number(process.env.LP_BENCH_HISTORY || 0)].filter((n, i) => i === 0 || n > first);
  const couch = await startCouch();
  const DAY = 24 * 3600 * 1000;
  const now = Date.now();
  const branches = Array.from({ length: 20 }, (_, i) => `Branch ${String(i + 1).padStart(2, '0')}`);
  const auth = { authorization: `Basic ${Buffer.from(couch.admin).toString('base64')}` };
  const traffic = (page) => {
    const t = { requests: 0, received: 0 };
    page.on('request', (r) => { if (r.url().startsWith(couch.url) && r.method() !== 'OPTIONS') t.requests += 1; });
    page.on('response', async (r) => {
      if (!r.url().startsWith(couch.url) || r.request().method() === 'OPTIONS') return;
      try { t.received += (await r.body()).length; } catch {}
    });
    return t;
  };
  const card = (i, n) => {
    const back = Math.floor((i * 1095) / n);
    const c = { ...fx.card(i, new Date(now - back * DAY - (i % 600) * 60000).toISOString()), id: crypto.randomUUID(), branch: branches[i % 20] };
    return { _id: `card-${c.id}`, ...c };
  };
  const seed = async (db, docs) => {
    for (let i = 0; i < docs.length; i += 5000) await couch.put(db, docs.slice(i, i + 5000));
  };
  const units = (page) => page.evaluate(() => {
    let u = 0;
    for (let i = 0; i < localStorage.length; i += 1) { const k = localStorage.key(i); u += k.length + localStorage.getItem(k).length; }
    return u;
  });
  const firstSync = async (db, user, days, branch) => {
    const page = await newPage(env.browser);
    const t = traffic(page);
    await page.goto(`${env.base}#/settings/sync`);
    if (days) await page.getByLabel('Days of cards', { exact: true }).selectOption({ label: `The last ${days} days` });
    if (branch) {
      await page.getByLabel('Branches', { exact: true }).fill(branch);
      await page.getByLabel('Branches', { exact: true }).press('Tab');
    }
    const t0 = Date.now();
    await connect(page, env.base, { url: couch.url, db, user, password: 'pw' });
    await synced(page).catch(() => page.locator('.sync-status').filter({ hasText: /\b0 records waiting/ }).waitFor({ timeout: 600_000 }));
    const ms = Date.now() - t0;
    const cards = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('lp1:c')).length);
    return { page, ms, requests: t.requests, received: t.received, cards, units: await units(page) };
  };
  try {
    await couch.setup('history', ['window:pw', 'whole:pw', 'edge:pw']);
    const settings = { ...fx.settings('Twenty branches'), branches };
    await couch.put('history', [{ _id: `settings-${settings.id}`, ...settings }]);
    let seeded = 0;
    let docs = [];
    for (const n of sizes) {
      const t0 = Date.now();
      const more = Array.from({ length: n - seeded }, (_, k) => card(seeded + k, n));
      docs = docs.concat(more);
      await seed('history', more);
      const seededMs = Date.now() - t0;
      seeded = n;
      const b0 = Date.now();
      const built = await fetch(`${couch.url}/history/_design/listening-post-figures/_view/cards?limit=1`, { headers: auth });
      await built.text();
      const r0 = Date.now();
      await (await fetch(`${couch.url}/history/_design/listening-post-figures/_view/ratings?limit=1`, { headers: auth })).text();
      console.log(`history: ${n.toLocaleString('en')} cards over three years at 20 branches seeded in ${(seededMs / 1000).toFixed(1)} s; views brought up to date in ${((r0 - b0) / 1000).toFixed(1)} s (cards) and ${((Date.now() - r0) / 1000).toFixed(1)} s (ratings)`);
    }
    // A new device keeping 90 days of Branch 01, against exactly those records alone.
    const win = await firstSync('history', 'window', 90, 'Branch 01');
    const from = new Date(now - 90 * DAY).toISOString().slice(0, 10);
    const kept = docs.filter((d) => d.branch === 'Branch 01' && d.created.slice(0, 10) >= from);
    await couch.setup('alone', ['alone:pw']);
    await seed('alone', [{ _id: `settings-${settings.id}`, ...settings }, ...kept]);
    const alone = await firstSync('alone', 'alone', 0, null);
    const mb = (b) => (b / 1e6).toFixed(2);
    console.log(`history: new device keeping 90 days of one branch (${kept.length} of ${seeded.toLocaleString('en')} cards): ${(win.ms / 1000).toFixed(1)} s from Connect to synced, ${win.requests} requests, ${mb(win.received)} MB received, ${win.cards} cards and ${win.units.toLocaleString('en')} storage units kept`);
    console.log(`history: the same records synced alone into an empty database: ${(alone.ms / 1000).toFixed(1)} s, ${alone.requests} requests, ${mb(alone.received)} MB received, ${alone.cards} cards and ${alone.units.toLocaleString('en')} storage units`);
    await alone.page.context().close();

    // The dashboard over the three years by month, every branch, from the server's views.
    const page = win.page;
    await page.goto(`${env.base}#/dashboard`);
    await page.locator('#dash-filters').evaluate((d) => { d.open = true; });
    await page.getByLabel('Branch', { exact: true }).selectOption({ index: 0 });
    await page.getByLabel('Trend by', { exact: true }).selectOption('month');
    const runs = [];
    for (let i = 0; i < 5; i += 1) {
      const fromDay = new Date(now - (1095 + i) * DAY).toISOString().slice(0, 10);
      const t0 = Date.now();
      await page.getByLabel('From', { exact: true }).fill(fromDay);
      await page.locator('.dash-source').filter({ hasText: /come from the shop's server/ }).waitFor({ timeout: 120_000 });
      runs.push(Date.now() - t0);
      await page.locator('.dash-source').filter({ hasText: 'Asking' }).count();
    }
    console.log(`history: dashboard over three years by month, every branch, from the server's views: ${median(runs)} ms from the new From day to drawn (median of 5; first ${runs[0]} ms)`);
    await page.context().close();

    // A device at its storage's edge keeping every day of every branch.
    const edge = await newPage(env.browser);
    await edge.goto(`${env.base}#/settings/sync`);
    await edge.evaluate(() => localStorage.setItem('other-app-data', 'x'.repeat(4_400_000)));
    const before = (await (await fetch(`${couch.url}/history`, { headers: auth })).json()).doc_count;
    const t0 = Date.now();
    await connect(edge, env.base, { url: couch.url, db: 'history', user: 'edge', password: 'pw' });
    await edge.locator('.sync-kept').filter({ hasText: /storage passed 85%/ }).waitFor({ timeout: 600_000 });
    await synced(edge).catch(() => {});
    const after = (await (await fetch(`${couch.url}/history`, { headers: auth })).json()).doc_count;
    const words = await edge.locator('.sync-kept').innerText();
    const errors = await edge.locator('.sync-error').count();
    const cards = await edge.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('lp1:c')).length);
    console.log(`history: device with 4,400,000 units (84%) taken by other data: pass completed in ${((Date.now() - t0) / 1000).toFixed(1)} s with ${errors} errors, ${cards} cards kept, ${(await units(edge)).toLocaleString('en')} units used; server documents ${before} before, ${after} after; "${words.split('\n').find((l) => /85%/.test(l))}"`);
    await edge.context().close();
  } finally {
    await couch.close();
  }
}

const FIGURES = {
  history: historyTimes,
  async size(env) {
    const kb = (b) => (b / 1024).toFixed(1);
    for (const [what, path] of [['card page', 'card.html'], ['app', '']]) for (const lang of ['en', 'fa']) {
      const files = await firstLoad(env, lang, path);
      const gz = files.reduce((s, f) => s + f.gz, 0);
      const raw = files.reduce((s, f) => s + f.raw, 0);
      const br = files.reduce((s, f) => s + f.br, 0);
      console.log(`first load, ${what} (${lang}): ${kb(gz)} KB gzip, ${kb(raw)} KB raw, ${files.length} files; ${kb(br)} KB from a server that sends the brotli files`);
      for (const f of files) console.log(`  ${kb(f.gz).padStart(7)} KB gzip ${kb(f.br).padStart(7)} KB brotli  ${new URL(f.url).pathname}`);
      if (what === 'card page') {
        for (const f of files.after) console.log(`  then, once the card is drawn: ${kb(f.gz).padStart(7)} KB gzip ${kb(f.br).padStart(7)} KB brotli  ${new URL(f.url).pathname}`);
      }
    }
  },
  async split(env) {
    const kb = (b) => (b / 1024).toFixed(1);
    for (const lang of ['en', 'fa']) {
      const files = await firstLoad(env, lang, '#/cards');
      const wasm = files.filter((f) => f.url.endsWith('.wasm')).reduce((s, f) => s + f.gz, 0);
      console.log(`staff app's first screen (Cards, ${lang}): ${kb(files.reduce((s, f) => s + f.gz, 0))} KB gzip in all, wasm ${kb(wasm)} KB, ${files.length} files; ${kb(files.reduce((s, f) => s + f.br, 0))} KB brotli`);
    }
    for (const [name, hash] of GROUPS) {
      const runs = [];
      for (let i = 0; i < 5; i++) runs.push(await groupOpen(env, hash));
      console.log(`  first open of ${name} (${hash}): +${kb(median(runs.map((r) => r.gz)))} KB gzip in ${median(runs.map((r) => r.files))} files, ${median(runs.map((r) => r.ms)).toFixed(0)} ms (median of 5)`);
    }
    const fs = require('node:fs');
    const dist = path.join(__dirname, '..', 'dist');
    const app = fs.readdirSync(dist).filter((f) => /^listening-post-.*\.(wasm|js)$/.test(f));
    const gz = (f) => zlib.gzipSync(fs.readFileSync(path.join(dist, f)), { level: 9 }).length;
    const wasm = app.filter((f) => f.endsWith('.wasm'));
    console.log(`the whole app's wasm: ${kb(wasm.reduce((s, f) => s + gz(f), 0))} KB gzip in ${wasm.length} modules (${wasm.length - 1} chunks); with its JS ${kb(app.reduce((s, f) => s + gz(f), 0))} KB`);
  },
  async save(env) {
    const s0 = await saveTime(env, 0);
    const s20 = await saveTime(env, 20000);
    console.log(`save one record: ${s0.toFixed(1)} ms with 0 stored, ${s20.toFixed(1)} ms with 20,000 stored (median of ${RUNS})`);
  },
  async startup(env) {
    const st0 = await startupTime(env, 0);
    const st20 = await startupTime(env, 20000);
    console.log(`startup to Data screen: ${st0.ms.toFixed(0)} ms with 0 stored, ${st20.ms.toFixed(0)} ms with 20,000 stored (median of ${RUNS})`);
    const mb = (b) => (b / 1048576).toFixed(1);
    console.log(`memory with 20,000 records loaded: JS heap ${mb(st20.heap)} MB, wasm memory ${mb(st20.wasm)} MB (${mb(st0.heap)} MB and ${mb(st0.wasm)} MB with none)`);
  },
  async card(env) {
    for (const [what, address] of [['card page', 'card.html'], ['the app\'s Cards screen', '#/cards']]) {
      const ci1 = await cardInteractive(env, 1, address);
      const ci4 = await cardInteractive(env, 4, address);
      console.log(`card interactive after navigation, ${what}: ${ci1.toFixed(0)} ms, ${ci4.toFixed(0)} ms with 4x CPU throttling (median of ${RUNS})`);
    }
    const cs0 = await cardSaveTime(env, 0);
    const cs20 = await cardSaveTime(env, 20000);
    console.log(`submit a card: ${cs0.toFixed(1)} ms with 0 stored, ${cs20.toFixed(1)} ms with 20,000 stored (median of ${RUNS})`);
  },
  async import(env) {
    // Each run takes several seconds, so fewer of them than the other figures; five, since the
    // floor moves by half from one run to the next.
    const IMPORT_RUNS = 5;
    const runs = [];
    for (let i = 0; i < IMPORT_RUNS; i++) runs.push(await importTime(env));
    const t = { preview: median(runs.map((r) => r.preview)), write: median(runs.map((r) => r.write)), all: median(runs.map((r) => r.preview + r.write)) };
    console.log(`import 50,000 records (${runs[0].mb.toFixed(1)} MB file): preview in ${t.preview} ms, stored in ${t.write} ms, ${t.all} ms in all; ${runs[0].updates} progress messages shown (median of ${IMPORT_RUNS})`);
    const floor = median(runs.map((r) => r.floor));
    console.log(`import's store step against a bare localStorage.setItem loop over the same ${runs[0].keys.toLocaleString('en-US')} keys and values in the same page: ` +
      `${t.write} ms / ${floor} ms = ${(t.write / floor).toFixed(2)}x (the aim: at most 1.3x; median of ${IMPORT_RUNS})`);
  },
  async results(env) {
    const r1 = await resultsTime(env, 100, 1);
    const r4 = await resultsTime(env, 100, 4);
    console.log(`assessment results and charts with 100 past assessments: ${r1.toFixed(1)} ms, ${r4.toFixed(1)} ms with 4x CPU throttling (median of ${RUNS})`);
  },
  async inbox(env) {
    const inbox = await inboxTimes(env, 20000);
    console.log(`feedback inbox of 20,000 items: search ${inbox.search.toFixed(1)} ms, filter by kind ${inbox.filter.toFixed(1)} ms (median of ${RUNS})`);
  },
  async dashboard(env) {
    const dash = await dashboardTimes(env, 100000, 20000);
    console.log(`dashboard with 100,000 cards and 20,000 feedback items (${dash.stored.toLocaleString('en-US')} records, storage quota lifted): ` +
      `branch changed ${dash.branch.toFixed(1)} ms, start date changed ${dash.range.toFixed(1)} ms, ` +
      `trend span changed ${dash.span.toFixed(1)} ms (median of ${RUNS})`);
  },
};

FIGURES.sync = async (env) => {
  const s = await syncTimes(env);
  const mb = (b) => (b / 1048576).toFixed(1);
  console.log(`browser first sync of 20,000 records into an empty device: ${(s.first.ms / 1000).toFixed(1)} s, ${s.first.requests} requests, ` +
    `${mb(s.first.received)} MB received, ${s.stored.toLocaleString('en-US')} cards stored; peak memory while it ran: JS heap ${mb(s.first.peak.heap)} MB, wasm memory ${mb(s.first.peak.wasm)} MB`);
  console.log(`memory that first sync holds, most seen with the garbage collected (every 250 ms, another empty device, ${s.live.stored.toLocaleString('en-US')} cards): ` +
    `JS heap ${mb(s.live.heap)} MB, wasm memory ${mb(s.live.wasm)} MB, at most ${mb(s.live.heap + s.live.wasm)} MB in all (budget 30 MB)`);
  console.log(`browser sync of one changed record: ${s.one.requests} requests, ${s.one.sent} bytes sent, ${s.one.received} bytes received`);
  // What the sync code adds to the app's wasm, from the raw build's function names.
  const { share } = require('../scripts/wasm-share');
  const raw = path.join(process.env.CARGO_TARGET_DIR || path.join(__dirname, '..', 'target'), 'wasm32-unknown-unknown/release/listening-post.wasm');
  try {
    const sync = ['engine', 'device', 'fetch', 'keep', 'ledger', 'transport'].map((m) => `listening_post::sync::${m}`);
    const client = share(raw, [...sync, 'listening_post::domain::couch_doc', 'listening_post::domain::converge']);
    const screen = share(raw, ['listening_post::pages::sync']);
    const service = ['inbox_step', 'inbox_step_now', 'open_card', 'set_up_inbox', 'make_keys'].map((f) => `listening_post::sync::device::SyncService::${f}`);
    const inbox = share(raw, ['listening_post::sync::inbox', 'listening_post::sync::seal', 'listening_post::pages::card_links',
      'listening_post::domain::card_link', 'listening_post::domain::qr', 'qrcodegen', ...service]);
    console.log(`wasm the sync client adds (engine, browser service, transport, documents, merging, the inbox's part of a pass): ${(client.addedGzip / 1024).toFixed(1)} KB gzip ` +
      `(${client.functions} functions, ${(client.raw / 1024).toFixed(1)} KB before wasm-opt); the Sync screen's own functions: ${(screen.addedGzip / 1024).toFixed(1)} KB gzip; ` +
      `of all that and the Sync screen, the inbox for customers' phones (its key, designs, taking cards in, card links, QR codes, posters): ${(inbox.addedGzip / 1024).toFixed(1)} KB gzip`);
  } catch (e) {
    console.log(`wasm the sync client adds: not measured (${e.message})`);
  }
};

/**
 * A customer's phone on loopback: the time from pressing Submit on a card opened from a card
 * link to the page saying the shop has it (sealing, queueing, the PUT to the inbox).
 */
async function phoneTimes(env) {
  const { startCouch, connect, synced, syncNow } = require('./couch');
  const en = require('./helpers').locales.en;
  const couch = await startCouch();
  try {
    await couch.setup('bench', ['manager:manager-pw']);
    const manager = await newPage(env.browser);
    await connect(manager, env.base, { url: couch.url, db: 'bench', user: 'manager', password: 'manager-pw' });
    await synced(manager);
    await manager.getByRole('button', { name: en['inbox.setup'], exact: true }).click();
    const field = manager.getByLabel(en['links.link'], { exact: true });
    await field.waitFor();
    const link = await field.inputValue();
    await syncNow(manager, env.base);
    const phone = await newPage(env.browser, { viewport: { width: 390, height: 844 } });
    await phone.goto(link);
    await phone.getByRole('button', { name: en['card.submit'], exact: true }).waitFor();
    await phone.evaluate((delivered) => {
      document.addEventListener('submit', () => { window.__t0 = performance.now(); window.__t1 = 0; }, true);
      new MutationObserver(() => {
        if (!window.__t1 && document.body.innerText.includes(delivered)) window.__t1 = performance.now();
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    }, en['outbox.delivered']);
    const times = [];
    for (let i = 0; i < RUNS; i++) {
      // As when a customer answers: the card's stamp is found while the card is filled.
      await phone.waitForFunction((n) => performance.getEntriesByType('mark').filter((m) => m.name.startsWith('lp-stamp-found:')).length >= n, i + 1, { timeout: 60_000 });
      await phone.getByRole('radiogroup').first().getByRole('radio', { name: 'Satisfied', exact: true }).check();
      await phone.getByRole('button', { name: en['card.submit'], exact: true }).click();
      await phone.getByText(en['outbox.delivered']).waitFor();
      times.push(await phone.evaluate(() => window.__t1 - window.__t0));
      await phone.getByRole('button', { name: en['card.thanks.again'], exact: true }).click();
    }
    const sealed = (await couch.docs('bench-inbox')).filter((d) => !d._id.startsWith('design-'));
    await phone.context().close();
    const stamp = await stampTimes(env, link, en);
    await manager.context().close();
    return { ms: median(times), cards: sealed.length, bytes: median(sealed.map((d) => JSON.stringify(d).length)), stamp };
  } finally {
    await couch.close();
  }
}

/**
 * The proof of work on a phone at 4× CPU throttling: each card's stamp, searched while the
 * customer answers (the card page's `lp-stamp-start` and `lp-stamp-found:<tries>` marks). A
 * search's length is random, so the hash rate gives the expected time as well.
 */
async function stampTimes(env, link, en) {
  const phone = await newPage(env.browser, { viewport: { width: 390, height: 844 } });
  const cdp = await phone.context().newCDPSession(phone);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await phone.goto(link);
  const found = (n) => phone.waitForFunction((n) => performance.getEntriesByType('mark').filter((m) => m.name.startsWith('lp-stamp-found:')).length >= n, n, { timeout: 120_000 });
  for (let i = 1; i <= RUNS; i++) {
    await found(i);
    if (i < RUNS) {
      await phone.getByRole('radiogroup').first().getByRole('radio', { name: 'Satisfied', exact: true }).check();
      await phone.getByRole('button', { name: en['card.submit'], exact: true }).click();
      await phone.getByText(en['outbox.delivered']).waitFor({ timeout: 60_000 });
      await phone.getByRole('button', { name: en['card.thanks.again'], exact: true }).click();
    }
  }
  const runs = await phone.evaluate(() => {
    const marks = performance.getEntriesByType('mark');
    const starts = marks.filter((m) => m.name === 'lp-stamp-start');
    const ends = marks.filter((m) => m.name.startsWith('lp-stamp-found:'));
    return ends.map((e, i) => ({ ms: e.startTime - starts[i].startTime, tries: Number(e.name.split(':')[1]) }));
  });
  await phone.context().close();
  const ms = runs.reduce((a, r) => a + r.ms, 0);
  const tries = runs.reduce((a, r) => a + r.tries, 0);
  return { median: median(runs.map((r) => r.ms)), perSecond: tries / (ms / 1000), runs: runs.length };
}

FIGURES.phone = async (env) => {
  const t = await phoneTimes(env);
  console.log(`customer's phone, Submit to "the shop has your card" on loopback: ${t.ms.toFixed(0)} ms (median of ${RUNS}); ` +
    `${t.cards} sealed cards in the inbox, ${t.bytes} bytes each`);
  // The stamp's zero bits, as src/domain/stamp.rs sets them.
  const bits = Number(require('node:fs').readFileSync(path.join(__dirname, '..', 'src/domain/stamp.rs'), 'utf8').match(/pub const BITS: u32 = (\d+);/)[1]);
  const expected = 2 ** bits / t.stamp.perSecond;
  console.log(`a card's proof of work (${bits} zero bits) on a phone at 4× CPU throttling: ${t.stamp.median.toFixed(0)} ms median of ${t.stamp.runs} searches ` +
    `(a search's length is random); ${(t.stamp.perSecond / 1000).toFixed(0)} thousand hashes a second, so ${expected.toFixed(2)} s expected`);
  // What sealing and the outbox (with the transport they send through) add to the card page,
  // and with them the design's fetching and the card link.
  const { share } = require('../scripts/wasm-share');
  const raw = path.join(process.env.CARGO_TARGET_DIR || path.join(__dirname, '..', 'target'), 'wasm32-unknown-unknown/release/card.wasm');
  try {
    const kb = (b) => (b / 1024).toFixed(1);
    const queue = share(raw, ['listening_post::sync::seal', 'listening_post::sync::outbox', 'listening_post::sync::fetch']);
    const all = share(raw, ['listening_post::sync', 'listening_post::domain::card_link']);
    console.log(`wasm sealing and the outbox (with their transport) add to the card page: ${kb(queue.addedGzip)} KB gzip ` +
      `(${queue.functions} functions, ${kb(queue.raw)} KB before wasm-opt); with the design's fetching and the card link: ${kb(all.addedGzip)} KB gzip; ` +
      `the card page's code in all: ${kb(all.allGzip)} KB gzip before wasm-opt`);
  } catch (e) {
    console.log(`wasm the phone's sending adds: not measured (${e.message})`);
  }
};

(async () => {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !(w in FIGURES));
  if (unknown.length) {
    console.error(`unknown figure: ${unknown.join(', ')}; known: ${Object.keys(FIGURES).join(', ')}`);
    process.exit(2);
  }
  const env = await setup();
  // A figure that fails is reported as failed, and the others are still measured.
  const failed = [];
  for (const [name, run] of Object.entries(FIGURES)) {
    if (wanted.length > 0 && !wanted.includes(name)) continue;
    try {
      await run(env);
    } catch (e) {
      failed.push(name);
      console.log(`${name}: FAILED: ${String(e && e.message ? e.message : e).split('\n')[0]}`);
    }
  }
  await env.close();
  if (failed.length) {
    console.log(`figures that failed: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
})();
