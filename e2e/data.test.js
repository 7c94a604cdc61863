// The Data screen as a person uses it: export, delete all, import back; refused files; the
// preview; entries set aside; another tab's changes; hostile strings.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const Ajv = require('ajv');
const { setup, newPage, open, download, chooseImport, storageSnapshot, storedJson, countOf, screenshot, locales, ROOT } = require('./helpers');
const fx = require('./fixtures');

const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schema/export-v1.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true }).compile(schema);

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

const HOSTILE = `<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>"'\`; DROP TABLE; ‮ -- =1+1`;

async function importAndConfirm(page, files) {
  await chooseImport(page, files);
  await page.getByRole('button', { name: 'Confirm import' }).click();
  await page.getByRole('status').filter({ hasText: /Import finished|Nothing to import/ }).waitFor();
}

test('export, delete all and import give back identical data, and the export matches the schema', async () => {
  const page = await newPage(env.browser);
  await open(page, env.base, '#/data');
  const cards = Array.from({ length: 12 }, (_, i) => fx.card(i));
  await importAndConfirm(page, [{ name: 'kiosk.json', text: fx.file({ settings: [fx.settings('Sangak bakery')], cards, feedback: [fx.feedback(HOSTILE)] }) }]);
  assert.equal(await countOf(page, 'Satisfaction cards'), 12);
  assert.equal(await countOf(page, 'Feedback items'), 1);
  // Records only: the export adds this device's "last export" preference beside them.
  const records = async () => Object.fromEntries(Object.entries(await storageSnapshot(page)).filter(([k]) => k.startsWith('lp1:')));
  const stored = await records();

  const first = await download(page, () => page.getByRole('button', { name: 'Export all' }).click());
  assert.match(first.name, /^listening-post-\d{4}-\d{2}-\d{2}\.json$/);
  const doc = JSON.parse(first.text);
  assert.ok(validate(doc), JSON.stringify(validate.errors, null, 1));
  assert.equal(doc.cards.length, 12);
  await page.getByText(/Last export from this device/).waitFor();

  await page.getByRole('button', { name: 'Delete all data' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete all data?' });
  await screenshot(page, 'data-delete-confirm-en');
  await dialog.getByRole('button', { name: 'Delete everything' }).click();
  await page.getByText('All data was deleted from this browser.').waitFor();
  assert.equal(await countOf(page, 'Total'), 0);
  await page.reload();
  assert.equal(await countOf(page, 'Total'), 0);

  await chooseImport(page, [{ name: first.name, text: first.text }]);
  const preview = page.getByRole('region', { name: 'What this import would do' });
  assert.equal(await countOf(preview, 'Added'), 14);
  assert.equal(await countOf(preview, 'Rejected'), 0);
  await screenshot(page, 'data-import-preview-en');
  await page.getByRole('button', { name: 'Confirm import' }).click();
  await page.getByText(/Import finished: 14 added/).waitFor();
  assert.deepEqual(await records(), stored);

  const second = await download(page, () => page.getByRole('button', { name: 'Export all' }).click());
  const a = JSON.parse(first.text); const b = JSON.parse(second.text);
  delete a.exported; delete b.exported;
  assert.deepEqual(b, a);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.deepEqual(page.errors, []);
});

test('malformed, foreign and newer files are refused and leave storage byte-identical', async () => {
  const page = await newPage(env.browser);
  await open(page, env.base, '#/data');
  await importAndConfirm(page, [{ name: 'seed.json', text: fx.file({ cards: [fx.card(1), fx.card(2)] }) }]);
  const before = await storageSnapshot(page);

  const bad = [
    { name: 'broken.json', text: '{"format": "listening-post", "version": 1, "cards": [' },
    { name: 'other.json', text: '{"hello": "world"}' },
    { name: 'future.json', text: JSON.stringify({ format: 'listening-post', version: 9, cards: [] }) },
  ];
  await chooseImport(page, bad);
  const alert = page.locator('.preview [role="alert"]');
  await alert.getByText('broken.json').waitFor();
  const text = await alert.textContent();
  assert.match(text, /not valid JSON/);
  assert.match(text, /not a Listening Post export/);
  assert.match(text, /newer version of Listening Post \(format 9\)/);
  await screenshot(page, 'data-import-refused-en');
  await page.getByRole('button', { name: 'Confirm import' }).click();
  await page.getByText(/Nothing to import/).first().waitFor();
  assert.deepEqual(await storageSnapshot(page), before);
  await page.reload();
  assert.equal(await countOf(page, 'Satisfaction cards'), 2);
  assert.deepEqual(page.errors, []);
});

test('bad records inside a good file are listed with their reason; cancel changes nothing', async () => {
  const page = await newPage(env.browser);
  await open(page, env.base, '#/data');
  const good = fx.card(3);
  const tooLong = { ...fx.card(4), branch: 'x'.repeat(500) };
  const control = fx.feedback('bell \u0007 inside');
  const noId = { hello: 1 };
  const before = await storageSnapshot(page);
  await chooseImport(page, [{ name: 'mixed.json', text: fx.file({ cards: [good, tooLong, noId], feedback: [control] }) }]);
  const preview = page.getByRole('region', { name: 'What this import would do' });
  assert.equal(await countOf(preview, 'Added'), 1);
  assert.equal(await countOf(preview, 'Rejected'), 3);
  await preview.getByText(/A text is too long/).waitFor();
  await preview.getByText(/invisible control characters/).waitFor();
  await preview.getByText(/Satisfaction cards no\. 3: the record cannot be read/).waitFor();
  await page.getByRole('button', { name: 'Cancel import' }).click();
  assert.equal(await preview.count(), 0);
  assert.deepEqual(await storageSnapshot(page), before);
});

test('importing the same record from two kiosks keeps the newer copy, and a same-time clash is reported', async () => {
  const page = await newPage(env.browser);
  await open(page, env.base, '#/data');
  const older = fx.settings('Old name', '2026-05-01T08:00:00Z');
  const newer = fx.settings('New name', '2026-05-01T09:00:00Z');
  await importAndConfirm(page, [{ name: 'a.json', text: fx.file({ settings: [newer] }) }, { name: 'b.json', text: fx.file({ settings: [older] }) }]);
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  assert.equal(await page.getByLabel('Business name').inputValue(), 'New name');
  await page.getByRole('link', { name: 'Data', exact: true }).click();
  const clash = fx.settings('Clash', '2026-05-01T09:00:00Z');
  await chooseImport(page, [{ name: 'c.json', text: fx.file({ settings: [clash] }) }]);
  const preview = page.getByRole('region', { name: 'What this import would do' });
  assert.equal(await countOf(preview, 'Conflicting'), 1);
  await preview.getByText(/c\.json.?: Settings with id/).waitFor();
});

test('corrupt entries under the app\'s keys are set aside and reported, and the app still loads', async () => {
  const page = await newPage(env.browser);
  await open(page, env.base, '#/data');
  await page.evaluate(() => {
    localStorage.setItem('lp1:card:00000000-0000-4000-8000-00000000dead', '{"id": 5');
    localStorage.setItem('lp1:unknown:whatever', 'x');
  });
  await page.reload();
  await page.getByRole('heading', { name: 'Entries set aside' }).waitFor();
  await page.getByText(/Stored entries that could not be read: 2\./).waitFor();
  await screenshot(page, 'data-set-aside-en');
  const aside = await download(page, () => page.getByRole('button', { name: 'Download set-aside entries' }).click());
  assert.ok(Object.values(JSON.parse(aside.text)).includes('{"id": 5'));
  await page.getByRole('button', { name: 'Discard set-aside entries' }).click();
  assert.equal(await page.getByRole('heading', { name: 'Entries set aside' }).count(), 0);
  assert.deepEqual(page.errors, []);
});

test('a second tab sees the first tab\'s import without reloading', async () => {
  const a = await newPage(env.browser);
  await open(a, env.base, '#/data');
  const b = await a.context().newPage();
  await b.goto(`${env.base}#/data`);
  await b.locator('main h1').waitFor();
  const start = await countOf(b, 'Satisfaction cards');
  await importAndConfirm(a, [{ name: 'tab.json', text: fx.file({ cards: [fx.card(7), fx.card(8), fx.card(9)] }) }]);
  await b.waitForFunction((n) => {
    const row = [...document.querySelectorAll('tr')].find((r) => r.textContent.startsWith('Satisfaction cards'));
    return row && Number(row.querySelector('td').textContent.replace(/[^0-9]/g, '')) === n;
  }, start + 3);
});

test('settings accept Persian digits, persist, and refuse out-of-range numbers with a clear message', async () => {
  const page = await newPage(env.browser);
  await open(page, env.base, '#/settings');
  await page.getByLabel('Business name').fill('کافه <b>نارنج</b>');
  await page.getByLabel('Branches').fill('Tajrish\nونک\n');
  await page.getByLabel('Complaint').fill('۱۲');
  await page.getByLabel('Follow-up call after resolving (days)').fill('٥');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByText('Settings saved.').waitFor();
  await page.reload();
  assert.equal(await page.getByLabel('Business name').inputValue(), 'کافه <b>نارنج</b>');
  assert.equal(await page.getByLabel('Complaint').inputValue(), '12');
  assert.equal(await page.getByLabel('Follow-up call after resolving (days)').inputValue(), '5');
  assert.equal(await page.getByLabel('Branches').inputValue(), 'Tajrish\nونک');

  const before = await storageSnapshot(page);
  await page.getByLabel('Complaint').fill('0');
  await page.getByLabel('Reliability').fill('abc');
  await page.getByRole('button', { name: 'Save settings' }).click();
  const alert = page.locator('form [role="alert"]');
  await alert.getByText('Complaint: enter a whole number from 1 to 2,000.').waitFor();
  await alert.getByText('Reliability: enter a number from 0 to 100.').waitFor();
  assert.equal(await page.getByLabel('Complaint').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByLabel('Criticism').getAttribute('aria-invalid'), null);
  await screenshot(page, 'settings-errors-en');
  assert.deepEqual(await storageSnapshot(page), before);
  assert.equal(await page.locator('b').count(), 0);
});

test('a full storage refuses the save with a clear message, keeps the record in the tab and loses nothing', async () => {
  const page = await newPage(env.browser);
  await open(page, env.base, '#/data');
  await importAndConfirm(page, [{ name: 'seed.json', text: fx.file({ cards: [fx.card(1)] }) }]);
  // Fill what is left of the quota with another site's data, halving the chunk until it fits.
  await page.evaluate(() => {
    let chunk = 4_000_000; let n = 0;
    while (chunk > 16) {
      try { localStorage.setItem(`filler-${n}`, 'x'.repeat(chunk)); n++; } catch { chunk = Math.floor(chunk / 2); }
    }
  });
  const before = await storageSnapshot(page);
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await page.getByLabel('Business name').fill('A name long enough not to fit in what is left of the quota');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByRole('alert').getByText(/Storage in this browser is full, so this was not saved/).waitFor();
  assert.deepEqual(await storageSnapshot(page), before);
  await page.getByRole('link', { name: 'Data', exact: true }).click();
  await page.getByRole('heading', { name: 'Not saved' }).waitFor();
  await screenshot(page, 'data-unsaved-en');
  const saved = await download(page, () => page.getByRole('button', { name: 'Export unsaved records' }).click());
  assert.equal(JSON.parse(saved.text).settings[0].business_name, 'A name long enough not to fit in what is left of the quota');
  assert.equal(await countOf(page, 'Satisfaction cards'), 1);
  // Once there is room again, the record can be saved from the Data screen.
  await page.evaluate(() => { for (const k of Object.keys(localStorage)) if (k.startsWith('filler-')) localStorage.removeItem(k); });
  await page.getByRole('button', { name: 'Try saving again' }).click();
  await page.getByRole('heading', { name: 'Not saved' }).waitFor({ state: 'detached' });
  assert.equal(await countOf(page, 'Settings'), 1);
  assert.deepEqual(page.errors, []);
});

test('a long import shows how far it has got; one that fills storage part way is undone whole', async () => {
  const page = await newPage(env.browser);
  await open(page, env.base, '#/data');
  await importAndConfirm(page, [{ name: 'seed.json', text: fx.file({ cards: [fx.card(1)] }) }]);
  // Every progress message and bar value the page shows, in order.
  await page.evaluate(() => {
    window.__seen = [];
    new MutationObserver(() => {
      const text = document.getElementById('import-progress-text')?.textContent;
      const bar = document.querySelector('.import-progress progress');
      if (text && window.__seen.at(-1)?.text !== text) window.__seen.push({ text, value: bar.getAttribute('value'), label: bar.getAttribute('aria-label'), canDelete: !document.querySelector('.danger-zone button.danger').disabled });
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
  const many = (from, n) => Array.from({ length: n }, (_, i) => fx.card(from + i));
  // Storing pauses to show its progress about every 150 ms, so a slow device (the CPU slowed
  // down here while it stores) sees it move; a fast one may finish before the first pause.
  const cdp = await page.context().newCDPSession(page);
  const slowly = async (store) => {
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 20 });
    try { await store(); } finally { await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 }); }
  };
  const meter = () => page.locator('#usage-meter').getAttribute('value').then(Number);
  const usedBefore = await meter();
  assert.ok(usedBefore > 0, 'the meter counts the card stored first');
  await chooseImport(page, [{ name: 'big.json', text: fx.file({ cards: many(100, 12000) }) }]);
  await slowly(async () => {
    await page.getByRole('button', { name: 'Confirm import' }).click();
    await page.getByRole('status').filter({ hasText: /Import finished/ }).waitFor({ timeout: 30000 });
  });
  const seen = (await page.evaluate(() => window.__seen)).map((s) => s.text);
  for (const step of ['Reading records: 5,000 of 12,000', 'Reading records: 10,000 of 12,000', 'Comparing with the stored records…']) {
    assert.ok(seen.includes(step), `"${step}" was shown (saw ${JSON.stringify(seen)})`);
  }
  const stored = (texts, total) => texts.map((t) => t.match(new RegExp(`^Storing records: ([\\d,]+) of ${total}\\. Keep this tab open\\.$`)))
    .filter(Boolean).map((m) => Number(m[1].replace(/,/g, '')));
  const storing = stored(seen, '12,000');
  assert.ok(storing.some((n) => n > 0 && n < 12000), `storing showed how far it had got (saw ${JSON.stringify(seen)})`);
  assert.deepEqual(storing, [...storing].sort((a, b) => a - b), 'and only ever went forward');
  const bars = await page.evaluate(() => window.__seen);
  assert.ok(bars.every((b) => b.label === 'Import progress'));
  assert.ok(bars.some((b) => Number(b.value) > 0 && Number(b.value) < 1), 'the bar moved part way');
  // Deleting everything waits until the import is done, so no part of it is left behind.
  assert.ok(bars.every((b) => !b.canDelete), 'Delete all data is off while importing');
  await page.getByRole('status').filter({ hasText: 'Import finished: 12,000 added' }).waitFor();
  assert.equal(await countOf(page, 'Satisfaction cards'), 12001);
  // The storage meter counts again a moment after the import, and says what it counted.
  await page.waitForFunction((before) => Number(document.getElementById('usage-meter').getAttribute('value')) > before + 12000 * 20, usedBefore);
  const used = await meter();
  assert.equal(used, await page.evaluate(() => Object.entries(localStorage).reduce((n, [k, v]) => n + k.length + v.length, 0)));
  assert.ok((await page.locator('#usage-meter + p').innerText()).includes(used.toLocaleString('en-US')));
  assert.ok(await page.locator('.import-progress').isHidden());
  assert.ok(await page.getByRole('button', { name: 'Delete all data' }).isEnabled());

  // Room for a few thousand more cards, not twenty thousand: the import fails after its first
  // steps are written, and every one of them is taken back.
  await page.evaluate(() => {
    localStorage.setItem('reserve', 'x'.repeat(300_000));
    let chunk = 4_000_000; let n = 0;
    while (chunk > 16) {
      try { localStorage.setItem(`filler-${n}`, 'x'.repeat(chunk)); n++; } catch { chunk = Math.floor(chunk / 2); }
    }
    localStorage.removeItem('reserve');
  });
  const before = await storageSnapshot(page);
  await chooseImport(page, [{ name: 'too-big.json', text: fx.file({ cards: many(20000, 20000) }) }]);
  await slowly(async () => {
    await page.getByRole('button', { name: 'Confirm import' }).click();
    await page.getByRole('alert').getByText(/Import failed and was undone: Storage in this browser is full/).waitFor({ timeout: 60000 });
  });
  assert.ok(stored((await page.evaluate(() => window.__seen)).map((s) => s.text), '20,000').some((n) => n > 0),
    'the failure came after a step had been written');
  assert.deepEqual(await storageSnapshot(page), before);
  assert.equal(await countOf(page, 'Satisfaction cards'), 12001);
  await page.evaluate(() => { for (const k of Object.keys(localStorage)) if (k.startsWith('filler-')) localStorage.removeItem(k); });
  assert.deepEqual(page.errors, []);
});

test('hostile file names and record text are shown as text, never run', async () => {
  const page = await newPage(env.browser);
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs++; d.dismiss(); });
  await open(page, env.base, '#/data');
  await page.evaluate(() => { window.alert = () => { window.__xss = 1; }; });
  const name = '<img src=x onerror=alert(1)>.json';
  await chooseImport(page, [
    { name, text: '{' },
    { name: 'ok.json', text: fx.file({ settings: [fx.settings(HOSTILE)], feedback: [fx.feedback(HOSTILE)] }) },
  ]);
  await page.locator('.preview').getByText(name).waitFor();
  await page.getByRole('button', { name: 'Confirm import' }).click();
  await page.getByText(/Import finished/).waitFor();
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  assert.equal(await page.getByLabel('Business name').inputValue(), HOSTILE);
  assert.equal(await page.locator('main img, main script').count(), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.equal(dialogs, 0);
});

test('settings changed in another tab are never overwritten by a stale form', async () => {
  const a = await newPage(env.browser);
  await open(a, env.base, '#/settings');
  const b = await a.context().newPage();
  await b.goto(`${env.base}#/settings`);
  await b.locator('main h1').waitFor();
  await a.getByLabel('Business name').fill('From tab A');
  await a.getByRole('button', { name: 'Save settings' }).click();
  await a.getByText('Settings saved.').waitFor();
  await b.getByRole('alert').getByText(/changed in another tab or window/).waitFor();
  await b.getByLabel('Business name').fill('Stale tab B');
  await b.getByRole('button', { name: 'Save settings' }).click();
  const stored = (await storedJson(b, 'lp1:s')).map((t) => JSON.parse(t).business_name);
  assert.deepEqual(stored, ['From tab A']);
  await b.getByRole('button', { name: 'Show the latest settings' }).click();
  assert.equal(await b.getByLabel('Business name').inputValue(), 'From tab A');
  await b.getByLabel('Business name').fill('Tab B, after seeing A');
  await b.getByRole('button', { name: 'Save settings' }).click();
  await b.getByText('Settings saved.').waitFor();
  await a.getByRole('alert').getByText(/changed in another tab or window/).waitFor();
});
