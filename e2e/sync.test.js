// Sync between the devices of one shop through a CouchDB-protocol server (pouchdb-server) on
// another loopback port than the app: a kiosk and a manager's laptop, each a browser context of
// its own with its own storage.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { setup, newPage, open, screenshot, violations, countOf, chooseImport, locales } = require('./helpers');
const fixtures = require('./fixtures');
const { startCouch, connect, synced, syncNow } = require('./couch');

const en = locales.en;
let env;
let couch;
let n = 0;

before(async () => {
  env = await setup();
  couch = await startCouch();
});
after(async () => {
  await couch.close();
  await env.close();
});

/** A fresh database with a kiosk user and a laptop user. */
async function shop() {
  n += 1;
  const db = `shop${n}`;
  await couch.setup(db, [`kiosk${n}:kiosk-pw`, `laptop${n}:laptop-pw`]);
  return {
    db,
    kiosk: { url: couch.url, db, user: `kiosk${n}`, password: 'kiosk-pw' },
    laptop: { url: couch.url, db, user: `laptop${n}`, password: 'laptop-pw' },
  };
}

/** Counts the requests a page sends to the CouchDB server. */
function countRequests(page) {
  const seen = { n: 0 };
  page.on('request', (r) => {
    if (r.url().startsWith(couch.url)) seen.n += 1;
  });
  return seen;
}

async function sendCard(page, rating, comment) {
  await page.getByRole('radiogroup').first().getByRole('radio', { name: rating, exact: true }).check();
  if (comment) await page.getByLabel('What could we improve?').fill(comment);
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('button', { name: 'Fill another card' }).click();
}

async function newComplaint(page, description) {
  await open(page, env.base, '#/feedback');
  await page.getByRole('button', { name: 'New feedback' }).click();
  const form = page.getByRole('form', { name: 'Register feedback' });
  await form.getByLabel(en['fb.kind'], { exact: true }).selectOption({ label: en['feedback.kind.complaint'] });
  await form.getByLabel(en['fb.description'], { exact: true }).fill(description);
  await page.getByRole('button', { name: en['fb.save'], exact: true }).click();
  await page.getByText(en['fb.saved']).waitFor();
}

/**
 * Passes the page's requests to the server, refusing them as a closed port would once it is
 * gone, and calls `then()` after each page of changes has been handed to the page.
 */
function afterEachPage(page, then) {
  return page.route(`${couch.url}/**`, async (route) => {
    let response;
    try {
      response = await route.fetch();
    } catch {
      return route.abort('connectionrefused');
    }
    await route.fulfill({ response }).catch(() => {});
    if (route.request().url().includes('/_changes')) await then();
  });
}

/** The Sync screen's status region (the notices at the foot of the screen are another). */
const syncStatus = (page) => page.getByRole('status').and(page.locator('.sync-status'));

const tile = (page, name) => page.locator('.tile', { has: page.getByRole('heading', { name, exact: true }) }).locator('.tile-value');

test('cards taken on the kiosk reach the laptop\'s dashboard, and a complaint logged on the laptop reaches the kiosk', { timeout: 120_000 }, async () => {
  const s = await shop();
  const kiosk = await newPage(env.browser);
  const laptop = await newPage(env.browser);
  await connect(kiosk, env.base, s.kiosk);
  await synced(kiosk);
  await kiosk.locator('.notice-slot').getByText(en['sync.connected']).waitFor();
  await screenshot(kiosk, 'sync-connected-en');
  assert.deepEqual(await violations(kiosk), []);

  await open(kiosk, env.base, '#/cards');
  await sendCard(kiosk, 'Very satisfied', 'Quick and kind');
  await sendCard(kiosk, 'Dissatisfied', 'Queue was long');
  await sendCard(kiosk, 'Satisfied', null);
  // Sent on its own a few seconds after the change.
  await kiosk.goto(`${env.base}#/settings/sync`);
  await synced(kiosk);

  await connect(laptop, env.base, s.laptop);
  await synced(laptop);
  await open(laptop, env.base, '#/dashboard');
  assert.equal((await tile(laptop, en['dash.cards']).textContent()).trim(), '3');

  await newComplaint(laptop, 'The card reader at the counter failed twice');
  await laptop.goto(`${env.base}#/settings/sync`);
  await synced(laptop);
  await syncNow(kiosk, env.base);
  await open(kiosk, env.base, '#/feedback');
  await kiosk.getByText('The card reader at the counter failed twice').waitFor();

  // Every record once on the server, and no conflicts left.
  const docs = await couch.docs(s.db);
  assert.equal(docs.filter((d) => d._id.startsWith('card-')).length, 3);
  assert.equal(docs.filter((d) => d._id.startsWith('feedback-')).length, 1);
  assert.equal(await couch.conflicts(s.db), 0);
  // The password is never in the export.
  const stored = await kiosk.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('lp1:')).map((k) => localStorage.getItem(k)).join('\n'));
  assert.ok(!stored.includes('kiosk-pw'));
  assert.deepEqual(kiosk.errors, []);
  assert.deepEqual(laptop.errors, []);
});

test('one feedback item changed on both devices while the network is cut keeps both changes in its history', { timeout: 120_000 }, async () => {
  const s = await shop();
  const kiosk = await newPage(env.browser);
  const laptop = await newPage(env.browser);
  await connect(laptop, env.base, s.laptop);
  await synced(laptop);
  await newComplaint(laptop, 'Cold coffee at table 4');
  const itemUrl = laptop.url();
  await laptop.goto(`${env.base}#/settings/sync`);
  await synced(laptop);
  await connect(kiosk, env.base, s.kiosk);
  await synced(kiosk);
  // The item is on the kiosk, and the feedback screens' code with it, before the network goes.
  const hash = itemUrl.slice(itemUrl.indexOf('#'));
  await open(kiosk, env.base, hash);
  await kiosk.getByLabel(en['fb.me'], { exact: true }).waitFor();

  await kiosk.context().setOffline(true);
  await laptop.context().setOffline(true);
  for (const [page, who, status] of [[kiosk, 'Nasrin', 'in_progress'], [laptop, 'Reza', 'waiting_on_customer']]) {
    await open(page, env.base, hash);
    await page.getByLabel(en['fb.me'], { exact: true }).fill(who);
    await page.getByLabel(en['fb.status'], { exact: true }).selectOption({ label: en[`feedback.status.${status}`] });
    await page.getByRole('button', { name: en['fb.save'], exact: true }).click();
    await page.locator('.badges .badge.status', { hasText: en[`feedback.status.${status}`] }).waitFor();
  }
  // Back online: each device sends its change on its own.
  await kiosk.context().setOffline(false);
  await kiosk.goto(`${env.base}#/settings/sync`);
  await synced(kiosk);
  await laptop.context().setOffline(false);
  await laptop.goto(`${env.base}#/settings/sync`);
  await synced(laptop);
  await syncNow(kiosk, env.base);

  const lines = [];
  for (const page of [kiosk, laptop]) {
    await open(page, env.base, hash);
    const history = await page.locator('ol.history li').allTextContents();
    assert.ok(history.some((h) => h.includes('Nasrin')), history.join(' | '));
    assert.ok(history.some((h) => h.includes('Reza')), history.join(' | '));
    lines.push(history);
  }
  assert.deepEqual(lines[0], lines[1], 'both devices show the same history');
  // The newer change is the status on both.
  for (const page of [kiosk, laptop]) {
    await page.locator('.badges .badge.status', { hasText: en['feedback.status.waiting_on_customer'] }).waitFor();
  }
  assert.equal(await couch.conflicts(s.db), 0);
});

test('a card deleted on one device disappears from the other, and Delete all data asks where', { timeout: 120_000 }, async () => {
  const s = await shop();
  const kiosk = await newPage(env.browser);
  const laptop = await newPage(env.browser);
  await connect(kiosk, env.base, s.kiosk);
  await synced(kiosk);
  await open(kiosk, env.base, '#/cards');
  await sendCard(kiosk, 'Very dissatisfied', 'Rude at the door');
  await sendCard(kiosk, 'Very satisfied', 'Lovely');
  await kiosk.goto(`${env.base}#/settings/sync`);
  await synced(kiosk);
  await connect(laptop, env.base, s.laptop);
  await synced(laptop);
  await open(laptop, env.base, '#/data');
  assert.equal(await countOf(laptop, 'Satisfaction cards'), 2);

  // Deleted on the laptop.
  await open(laptop, env.base, '#/cards/received');
  const row = laptop.locator('article.card-item', { hasText: 'Rude at the door' });
  await row.locator('summary').click();
  await row.getByRole('button', { name: 'Delete card' }).click();
  await laptop.getByRole('dialog', { name: 'Delete this card?' }).getByRole('button', { name: 'Delete card' }).click();
  await laptop.getByText('The card was deleted.').waitFor();
  await laptop.goto(`${env.base}#/settings/sync`);
  await synced(laptop);
  await syncNow(kiosk, env.base);
  await open(kiosk, env.base, '#/data');
  assert.equal(await countOf(kiosk, 'Satisfaction cards'), 1);

  // Delete all data on the kiosk, this device only (the default): the kiosk forgets the server
  // with every sync secret, the laptop keeps all.
  await kiosk.getByRole('button', { name: en['data.delete.button'], exact: true }).click();
  const dialog = kiosk.getByRole('dialog');
  await dialog.getByRole('group', { name: en['data.delete.where'] }).waitFor();
  assert.equal(await dialog.getByRole('radio', { name: en['data.delete.here'] }).isChecked(), true);
  await screenshot(kiosk, 'sync-delete-where-en', { fullPage: false });
  await dialog.getByRole('button', { name: en['confirm.delete.yes'], exact: true }).click();
  await kiosk.getByText(en['data.delete.done_here']).waitFor();
  assert.equal(await countOf(kiosk, 'Satisfaction cards'), 0);
  const secrets = () => kiosk.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('lp1-sync:')));
  assert.deepEqual(await secrets(), []);
  assert.doesNotMatch(await kiosk.evaluate(() => Object.values(localStorage).join('\n')), new RegExp(s.kiosk.password));
  await syncNow(laptop, env.base);
  await open(laptop, env.base, '#/data');
  assert.equal(await countOf(laptop, 'Satisfaction cards'), 1);

  // Connecting again brings the shop's records back; then delete everywhere.
  await connect(kiosk, env.base, s.kiosk);
  await synced(kiosk);
  await open(kiosk, env.base, '#/data');
  assert.equal(await countOf(kiosk, 'Satisfaction cards'), 1);
  await kiosk.getByRole('button', { name: en['data.delete.button'], exact: true }).click();
  await dialog.getByRole('radio', { name: en['data.delete.everywhere'] }).check();
  await dialog.getByRole('button', { name: en['confirm.delete.yes'], exact: true }).click();
  await kiosk.getByText(en['data.delete.done_everywhere']).waitFor();
  // Once the deletions are on the server, the kiosk keeps no sync secret.
  await kiosk.waitForFunction(() => !Object.keys(localStorage).some((k) => k.startsWith('lp1-sync:')), null, { timeout: 20_000 });
  await syncNow(laptop, env.base);
  await open(laptop, env.base, '#/data');
  assert.equal(await countOf(laptop, 'Satisfaction cards'), 0);
  assert.equal((await couch.docs(s.db)).length, 0);
  assert.deepEqual(kiosk.errors, []);
  assert.deepEqual(laptop.errors, []);
});

test('a wrong password is said in words and nothing more is sent until it is entered again', { timeout: 120_000 }, async () => {
  const s = await shop();
  const page = await newPage(env.browser);
  const sent = countRequests(page);
  await connect(page, env.base, { ...s.kiosk, password: 'not-the-password' });
  await syncStatus(page).getByText(/refused the user name or password/).waitFor();
  await syncStatus(page).getByText(en['sync.status.password']).waitFor();
  // Said at the foot of the screen too, and the person is back in the Password field.
  await page.getByRole('alert').getByText(/^Could not sync: the server refused/).waitFor();
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'sync-password');
  await screenshot(page, 'sync-refused-en');
  const after401 = sent.n;
  assert.ok(after401 >= 1);
  // A change, coming back online, and time: no request.
  await open(page, env.base, '#/cards');
  await sendCard(page, 'Satisfied', null);
  await page.context().setOffline(true);
  await page.context().setOffline(false);
  await page.waitForTimeout(4_500);
  assert.equal(sent.n, after401, 'no automatic retry after a refused password');
  const stored = await page.evaluate(() => localStorage.getItem('lp1-sync:config'));
  assert.ok(!stored.includes('not-the-password'), 'the refused password is not kept');

  // The right password: the waiting card goes.
  await page.goto(`${env.base}#/settings/sync`);
  await page.getByLabel(en['sync.password'], { exact: true }).fill(s.kiosk.password);
  await page.getByRole('button', { name: en['sync.connect'], exact: true }).click();
  await synced(page);
  assert.equal((await couch.docs(s.db)).filter((d) => d._id.startsWith('card-')).length, 1);
  assert.deepEqual(page.errors, []);
});

test('a device that cannot fetch its sync code says so, keeps its cards, and syncs them once reloaded', { timeout: 120_000 }, async () => {
  const s = await shop();
  const page = await newPage(env.browser, { serviceWorkers: 'block' });
  // As when a newer version was published while the app stayed open: the sync pass's code is
  // gone from the server.
  const gone = /-split_sync\.wasm$/;
  await page.route(gone, (route) => route.fulfill({ status: 404, body: 'gone' }));
  await open(page, env.base, '#/cards');
  await sendCard(page, 'Satisfied', null);
  await connect(page, env.base, s.kiosk);
  await syncStatus(page).getByText(/could not fetch its sync code/).waitFor();
  await page.getByRole('alert').getByText(/could not fetch its sync code/).waitFor();
  assert.equal((await couch.docs(s.db)).filter((d) => d._id.startsWith('card-')).length, 0);
  // The server has it again: after a reload the waiting card goes.
  await page.unroute(gone);
  await page.reload();
  await page.locator('.sync-status').waitFor();
  await syncNow(page, env.base);
  await synced(page);
  assert.equal((await couch.docs(s.db)).filter((d) => d._id.startsWith('card-')).length, 1);
  assert.deepEqual(page.errors, []);
});

test('the form names each wrong field beside it, in Persian too', { timeout: 120_000 }, async () => {
  const page = await newPage(env.browser, { viewport: { width: 390, height: 844 } });
  // With sync off, the app asks nothing of any server but its own.
  const elsewhere = [];
  page.on('request', (r) => { if (!r.url().startsWith(env.base)) elsewhere.push(r.url()); });
  await open(page, env.base, '#/settings/sync');
  await page.getByRole('button', { name: en['sync.connect'], exact: true }).click();
  const server = page.getByLabel(en['sync.server'], { exact: true });
  assert.equal(await server.getAttribute('aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'sync-server');
  await page.getByText(en['sync.problem.server_empty']).waitFor();
  await server.fill('couch.example.com');
  await page.getByLabel(en['sync.db'], { exact: true }).fill('Shop');
  await page.getByRole('button', { name: en['sync.connect'], exact: true }).click();
  await page.getByText(en['sync.problem.server_form']).waitFor();
  await page.getByText(en['sync.problem.db_form']).waitFor();
  await screenshot(page, 'sync-form-errors-en-phone');
  // Nothing was kept, and no request went anywhere.
  assert.equal(await page.evaluate(() => localStorage.getItem('lp1-sync:config')), null);
  assert.deepEqual(elsewhere, []);
  await page.getByLabel('Language').selectOption('fa');
  await page.getByRole('heading', { level: 1, name: locales.fa['sync.title'] }).waitFor();
  await page.getByText(locales.fa['sync.status.off']).waitFor();
  await screenshot(page, 'sync-fa-phone');
  assert.deepEqual(await violations(page), []);
});

test('stopping the server mid-sync loses nothing, and the next sync completes without duplicates', { timeout: 120_000 }, async () => {
  const s = await shop();
  // 1,200 cards on the server: three pages of changes.
  const cards = Array.from({ length: 1200 }, (_, i) => fixtures.card(i));
  await couch.put(s.db, cards.map((c) => ({ ...c, _id: `card-${c.id}` })));
  const page = await newPage(env.browser);
  let pages = 0;
  await afterEachPage(page, async () => {
    pages += 1;
    // The server goes away after the first page has arrived.
    if (pages === 1) await couch.stop();
  });
  await connect(page, env.base, s.laptop);
  await syncStatus(page).getByText(/could not be reached/).waitFor({ timeout: 20_000 });
  await open(page, env.base, '#/data');
  const partial = await countOf(page, 'Satisfaction cards');
  assert.ok(partial > 0 && partial < 1200, `part arrived: ${partial}`);

  await couch.restart();
  await syncNow(page, env.base);
  await synced(page);
  await open(page, env.base, '#/data');
  assert.equal(await countOf(page, 'Satisfaction cards'), 1200);
  assert.equal((await couch.docs(s.db)).length, 1200, 'nothing doubled on the server');
  assert.deepEqual(page.errors, []);
});

test('a reload in the middle of a first sync does not hold the next one back', { timeout: 120_000 }, async () => {
  const s = await shop();
  const cards = Array.from({ length: 1200 }, (_, i) => fixtures.card(i));
  await couch.put(s.db, cards.map((c) => ({ ...c, _id: `card-${c.id}` })));
  const page = await newPage(env.browser);
  let firstPage;
  const arrived = new Promise((resolve) => { firstPage = resolve; });
  await afterEachPage(page, firstPage);
  await connect(page, env.base, s.laptop);
  await arrived;
  // Reloaded mid-pass: the tab hands back its claim to sync, and the reloaded page syncs at once
  // rather than after the claim's minute.
  await page.reload();
  await page.locator('main h1').waitFor();
  await synced(page);
  await open(page, env.base, '#/data');
  assert.equal(await countOf(page, 'Satisfaction cards'), 1200);
  assert.deepEqual(page.errors, []);
});

test('500 cards taken on the kiosk while offline all arrive, once each', { timeout: 120_000 }, async () => {
  const s = await shop();
  const kiosk = await newPage(env.browser);
  const laptop = await newPage(env.browser);
  await connect(kiosk, env.base, s.kiosk);
  await synced(kiosk);
  await kiosk.context().setOffline(true);
  // Twenty by hand, the rest from a file another tablet wrote (with the card design, 501 records).
  await open(kiosk, env.base, '#/cards');
  for (let i = 0; i < 20; i += 1) await sendCard(kiosk, i % 2 ? 'Satisfied' : 'Very satisfied', null);
  await open(kiosk, env.base, '#/data');
  const file = fixtures.file({ cards: Array.from({ length: 480 }, (_, i) => fixtures.card(i)) });
  await chooseImport(kiosk, [{ name: 'tablet.json', text: file }]);
  await kiosk.getByRole('button', { name: en['data.import.confirm'], exact: true }).click();
  await kiosk.getByText(/Import finished: 480 added/).waitFor().catch(async (e) => { await screenshot(kiosk, 'sync-import-failed', { fullPage: true }); throw e; });
  await kiosk.goto(`${env.base}#/settings/sync`);
  await syncStatus(kiosk).getByText(/501 records waiting/).waitFor({ timeout: 20_000 }).catch(async (e) => { await screenshot(kiosk, 'sync-offline-waiting', { fullPage: true }); throw e; });

  await kiosk.context().setOffline(false);
  await synced(kiosk);
  await connect(laptop, env.base, s.laptop);
  await synced(laptop);
  await open(laptop, env.base, '#/data');
  assert.equal(await countOf(laptop, 'Satisfaction cards'), 500);
  const docs = await couch.docs(s.db);
  assert.equal(docs.filter((d) => d._id.startsWith('card-')).length, 500);
  assert.deepEqual(kiosk.errors, []);
});

test('two tabs of one device take cards at once: every card arrives once and both tabs count them all', { timeout: 120_000 }, async () => {
  const s = await shop();
  const first = await newPage(env.browser);
  await connect(first, env.base, s.kiosk);
  await synced(first);
  // A second tab of the same browser: the same storage, the same server.
  const second = await first.context().newPage();
  second.errors = [];
  second.on('pageerror', (e) => second.errors.push(String(e)));
  // Which tabs talked to the server.
  const spans = [];
  for (const [tab, page] of [['first', first], ['second', second]]) {
    page.on('request', (r) => { if (r.url().startsWith(couch.url)) spans.push({ tab, at: Date.now(), url: r.url() }); });
  }
  await open(second, env.base, '#/cards');
  await open(first, env.base, '#/cards');
  for (let i = 0; i < 5; i += 1) {
    await Promise.all([sendCard(first, 'Satisfied', null), sendCard(second, 'Very satisfied', null)]);
  }
  await first.goto(`${env.base}#/settings/sync`);
  await synced(first);
  await syncNow(second, env.base);
  await synced(second);
  const cards = (await couch.docs(s.db)).filter((d) => d._id.startsWith('card-'));
  assert.equal(cards.length, 10);
  assert.equal(await couch.conflicts(s.db), 0);
  // Both tabs count the ten cards (the other tab's arrived through storage events).
  for (const page of [first, second]) {
    await open(page, env.base, '#/data');
    assert.equal(await countOf(page, 'Satisfaction cards'), 10);
  }
  assert.ok(spans.some((x) => x.tab === 'first'), 'the first tab synced');
  assert.deepEqual(first.errors, []);
  assert.deepEqual(second.errors, []);
});

test('garbage, huge and script documents on the server are set aside or shown as text, and a garbled answer is said in words', { timeout: 120_000 }, async () => {
  const s = await shop();
  const hostile = fixtures.card(1);
  hostile.answers.improve = { text: '<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>' };
  const huge = fixtures.card(2);
  huge.answers.improve = { text: 'x'.repeat(1_200_000) };
  const garbage = { _id: 'card-6d1f4c1e-3c7a-4e8b-9b4f-2f7d8c9a0b1c', hello: 'world' };
  const notOurs = { _id: 'somebody-else', value: 1 };
  await couch.put(s.db, [
    { ...hostile, _id: `card-${hostile.id}` },
    { ...huge, _id: `card-${huge.id}` },
    garbage,
    notOurs,
  ]);
  const page = await newPage(env.browser);
  await connect(page, env.base, s.laptop);
  await syncStatus(page).getByText(/3 documents from the server could not be read/).waitFor({ timeout: 20_000 });
  await screenshot(page, 'sync-set-aside-en');
  await open(page, env.base, '#/cards/received');
  const row = page.locator('article.card-item').first();
  await row.locator('summary').click();
  await row.locator('dd').getByText('<script>window.__xss=1</script>', { exact: false }).waitFor();
  assert.equal(await page.locator('main img, main script').count(), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  await open(page, env.base, '#/data');
  assert.equal(await countOf(page, 'Satisfaction cards'), 1);
  await page.getByRole('heading', { name: en['data.aside.title'] }).waitFor();

  // A server that answers with something other than JSON.
  await page.route(`${couch.url}/**/_changes*`, (route) => route.fulfill({ status: 200, body: '<html>proxy error</html>' }));
  await syncNow(page, env.base).catch(() => {});
  await syncStatus(page).getByText(/could not be read. Check the server address/).waitFor();
  assert.deepEqual(page.errors, []);
});
