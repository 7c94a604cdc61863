// Cards from customers' own phones: a manager sets up the shop's inbox and prints a card link;
// a stranger's phone opens it from the QR code, fills the card, and it reaches the shop sealed.
// The server is a CouchDB-protocol server (pouchdb-server) on another loopback port.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const path = require('node:path');
const { setup, newPage, open, screenshot, violations, chooseImport, locales, ROOT } = require('./helpers');
const fx = require('./fixtures');
const { startCouch, connect, synced, syncNow } = require('./couch');

const en = locales.en;
const fa = locales.fa;
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

/** A fresh shop database (and its inbox) with a manager user. */
async function shop() {
  n += 1;
  const db = `inboxshop${n}`;
  await couch.setup(db, [`manager${n}:manager-pw`]);
  return { db, inbox: `${db}-inbox`, manager: { url: couch.url, db, user: `manager${n}`, password: 'manager-pw' } };
}


/** A manager's laptop: the shop's settings imported, connected, the inbox set up. */
async function managerWithInbox(s) {
  const page = await newPage(env.browser);
  await open(page, env.base, '#/data');
  await chooseImport(page, [{ name: 'seed.json', text: fx.file({ settings: [fx.shopSettings()] }) }]);
  await page.getByRole('button', { name: en['data.import.confirm'], exact: true }).click();
  await page.getByRole('status').filter({ hasText: en['data.import.done'].split('{')[0].trim() }).first().waitFor();
  await connect(page, env.base, s.manager);
  await synced(page);
  await page.getByRole('button', { name: en['inbox.setup'], exact: true }).click();
  await page.locator('.notice-slot').getByText(en['inbox.ready']).waitFor();
  return page;
}

/** Decodes a QR code drawn as SVG the way a phone's camera would see it: drawn to pixels, then read. */
async function decodeQr(svg) {
  const page = await env.browser.newPage();
  try {
    await page.addScriptTag({ path: path.join(ROOT, 'node_modules/jsqr/dist/jsQR.js') });
    return await page.evaluate(async (svg) => {
      const img = new Image();
      img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
      await img.decode();
      const size = 600;
      const canvas = document.createElement('canvas');
      canvas.width = size;
      canvas.height = size;
      const ctx = canvas.getContext('2d');
      ctx.drawImage(img, 0, 0, size, size);
      const found = jsQR(ctx.getImageData(0, 0, size, size).data, size, size);
      return found ? found.data : null;
    }, svg);
  } finally {
    await page.close();
  }
}

/** Every value in the page's localStorage, joined, to search for what must not be there. */
function storageText(page) {
  return page.evaluate(() => Object.entries(localStorage).map(([k, v]) => `${k}=${v}`).join('\n'));
}

test('a card filled on a stranger\'s phone from the printed QR code reaches the shop sealed, once, and leaves nothing on the phone', async () => {
  const s = await shop();
  const manager = await managerWithInbox(s);
  // The card links: a branch, the QR touchpoint, the shop's card.
  await manager.getByLabel(en['links.branch'], { exact: true }).selectOption('Vanak');
  await manager.getByLabel(en['links.touchpoint'], { exact: true }).selectOption({ label: en['touchpoint.qr'] });
  const link = await manager.getByLabel(en['links.link'], { exact: true }).inputValue();
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/card\.html#v=2&i=/);
  const qr = manager.getByRole('img', { name: en['links.qr'], exact: true });
  const decoded = await decodeQr(await qr.evaluate((el) => el.outerHTML));
  assert.equal(decoded, link);
  await syncNow(manager, env.base);
  // The design is published; the private key is nowhere but the shop's database.
  const designs = await couch.docs(s.inbox);
  assert.equal(designs.length, 1);
  assert.match(designs[0]._id, /^design-/);
  assert.equal(designs[0].business_fa, 'لوازم خانگی نور');
  assert.doesNotMatch(JSON.stringify(designs), /"d":/);
  // Print poster prints the poster alone: the business's name, the invitation in both
  // languages, the branch and the QR code.
  await manager.evaluate(() => {
    window.print = () => {
      const copy = document.querySelector('body > .print-copy');
      window.printed = copy && document.documentElement.classList.contains('printing-copy')
        ? { text: copy.innerText, qr: copy.querySelector('svg') !== null } : null;
    };
  });
  await manager.getByRole('button', { name: en['links.print'], exact: true }).click();
  const printed = await manager.evaluate(() => window.printed);
  assert.ok(printed && printed.qr, 'the poster went to the printer with its QR code');
  for (const line of ['Nour Home Goods', 'لوازم خانگی نور', en['links.poster.invite'], fa['links.poster.invite'], 'Vanak', 'ونک']) {
    assert.ok(printed.text.includes(line), `the poster says ${line}`);
  }
  assert.equal(await manager.locator('.print-copy').count(), 0);
  await screenshot(manager, 'card-links-en');
  assert.deepEqual(await violations(manager), []);

  // A stranger's phone with empty storage opens the link read from the QR code.
  const phone = await newPage(env.browser, { viewport: { width: 390, height: 844 } });
  await phone.goto(decoded);
  await phone.getByLabel('Language').selectOption('fa');
  await phone.getByText('لوازم خانگی نور').waitFor();
  await phone.getByRole('heading', { name: fa['card.title'], level: 1 }).waitFor();
  assert.equal(await phone.getByText(fa['link.absent']).count(), 0);
  await phone.getByRole('radiogroup').first().getByRole('radio').last().check();
  const contact = '0912 345 6789';
  await phone.getByLabel(fa['card.default.contact']).fill(contact);
  await phone.getByLabel(fa['card.consent']).check();
  await screenshot(phone, 'card-phone-fa');

  // The network goes as the customer presses Submit: the card waits, sealed.
  await phone.context().setOffline(true);
  await phone.getByRole('button', { name: fa['card.submit'], exact: true }).click();
  await phone.getByText(fa['outbox.offline']).waitFor();
  const waiting = await storageText(phone);
  assert.match(waiting, /lp1-outbox:/);
  assert.ok(!waiting.includes(contact) && !waiting.includes('09123456789'), 'the contact is never kept in clear');
  await screenshot(phone, 'card-phone-offline-fa');
  await phone.context().setOffline(false);
  await phone.getByText(fa['outbox.delivered']).waitFor({ timeout: 20_000 });
  const left = await storageText(phone);
  assert.doesNotMatch(left, /lp1-outbox:/);
  assert.ok(!left.includes(contact), 'nothing of the card is left on the phone');
  assert.deepEqual(phone.errors, []);

  // The manager's next sync takes the card in, decrypted, with its branch and touchpoint.
  await syncNow(manager, env.base);
  await syncNow(manager, env.base);
  await open(manager, env.base, '#/cards/received');
  await manager.locator('main').getByText(/· cards: 1$/).waitFor();
  assert.equal((await couch.docs(s.inbox)).filter((d) => !d._id.startsWith('design-')).length, 0);
  const cards = (await couch.docs(s.db)).filter((d) => d._id.startsWith('card-'));
  assert.equal(cards.length, 1, 'the card reached the shop exactly once');
  assert.equal(cards[0].branch, 'Vanak');
  assert.equal(cards[0].touchpoint, 'qr');
  assert.equal(cards[0].lang, 'fa');
  await open(manager, env.base, '#/customers');
  await manager.locator('main').getByText(/0912/).first().waitFor();

  // The Sync screen counts the card that came through a link, under its branch.
  await open(manager, env.base, '#/settings/sync');
  const arrivals = manager.getByRole('table').filter({ has: manager.getByRole('columnheader', { name: en['inbox.arrivals.last_hour'] }) });
  const vanak = arrivals.getByRole('row', { name: /Vanak/ });
  await vanak.waitFor();
  assert.deepEqual((await vanak.getByRole('cell').allInnerTexts()).slice(0, 2), ['1', '1']);
  assert.equal(await manager.getByRole('alert').filter({ hasText: /usual rate/ }).count(), 0);
  await arrivals.scrollIntoViewIfNeeded();
  await screenshot(manager, 'sync-arrivals-en', { fullPage: false });

  // The designer leads to the card's link, that card chosen.
  await open(manager, env.base, '#/cards/designer');
  await manager.locator('.template-list li', { hasText: 'Satisfaction card' }).getByRole('link', { name: en['designer.phones'] }).click();
  const chosen = manager.getByLabel(en['links.card'], { exact: true });
  await chosen.waitFor();
  assert.equal(await chosen.inputValue(), '4c504341-5244-4445-4641-000000000001');
  await manager.waitForFunction(() => document.activeElement && document.activeElement.id === 'link-card');
  assert.deepEqual(manager.errors, []);
});

/** A stranger's request to the inbox: no user, no password. */
async function stranger(method, url, body) {
  const r = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, body: await r.json().catch(() => null) };
}

/** Fills the shop's card on a phone from its link and waits until the shop has it. */
async function phoneCard(link, contact) {
  const phone = await newPage(env.browser, { viewport: { width: 390, height: 844 } });
  await phone.goto(link);
  await phone.getByRole('radiogroup').first().getByRole('radio', { name: 'Satisfied', exact: true }).check();
  await phone.getByLabel(en['card.default.contact']).fill(contact);
  await phone.getByRole('button', { name: en['card.submit'], exact: true }).click();
  await phone.getByText(en['outbox.delivered']).waitFor({ timeout: 20_000 });
  assert.deepEqual(phone.errors, []);
  await phone.context().close();
}

test('strangers can only add sealed cards to the inbox, and junk that gets in is set aside with its reason', async () => {
  const s = await shop();
  const manager = await managerWithInbox(s);
  const link = await manager.getByLabel(en['links.link'], { exact: true }).inputValue();
  await syncNow(manager, env.base);
  // Sync is stopped while the stranger works, so the card waits in the inbox.
  await manager.getByRole('button', { name: en['sync.stop'], exact: true }).click();
  await phoneCard(link, 'someone@example.com');
  const inbox = `${couch.url}/${s.inbox}`;

  // Reading the inbox gives ciphertext only.
  const read = await stranger('GET', `${inbox}/_all_docs?include_docs=true`);
  assert.equal(read.status, 200);
  const sealed = read.body.rows.map((r) => r.doc).filter((d) => !d._id.startsWith('design-') && !d._id.startsWith('_'));
  assert.equal(sealed.length, 1);
  // HPKE: the encapsulated key and the ciphertext, the design's id, the day and the stamp.
  assert.deepEqual(Object.keys(sealed[0]).sort(), ['_id', '_rev', 'ct', 'd', 'enc', 'lp', 't', 'w']);
  assert.equal(sealed[0].lp, 2);
  assert.doesNotMatch(JSON.stringify(read.body), /someone@example\.com|Satisfied/);
  // The shop's database, where the private key lives, is closed to strangers.
  assert.equal((await stranger('GET', `${couch.url}/${s.db}/listening-post-inbox-keys`)).status, 401);

  const card = sealed[0];
  const fresh = () => crypto.randomUUID();
  const shape = { lp: 2, t: card.t, enc: card.enc, ct: card.ct, d: card.d, w: card.w };
  const refused = [
    ['an update', stranger('PUT', `${inbox}/${card._id}`, { ...shape, _rev: card._rev })],
    ['a deletion', stranger('DELETE', `${inbox}/${card._id}?rev=${card._rev}`)],
    ['a second branch', stranger('POST', `${inbox}/_bulk_docs`, { new_edits: false, docs: [{ ...shape, _id: card._id, _rev: '1-0123456789abcdef0123456789abcdef' }] })],
    ['an oversized card', stranger('PUT', `${inbox}/${fresh()}`, { ...shape, ct: 'A'.repeat(70_000) })],
    ['another shape', stranger('PUT', `${inbox}/${fresh()}`, { ...shape, note: 'hello' })],
    ['a card under another id', stranger('PUT', `${inbox}/not-a-uuid`, shape)],
    ['a card design', stranger('PUT', `${inbox}/design-${fresh()}`, { lp: 1, template: {}, business: 'Fake' })],
    ['an attachment', stranger('PUT', `${inbox}/${fresh()}`, { ...shape, _attachments: { 'x.html': { content_type: 'text/html', data: Buffer.from('<script>alert(1)</script>').toString('base64') } } })],
    ['a stamp that is not a number', stranger('PUT', `${inbox}/${fresh()}`, { ...shape, w: '12; drop' })],
  ];
  for (const [what, answer] of refused) {
    const { status, body } = await answer;
    const failed = status >= 400 || (Array.isArray(body) && body.every((r) => r.error));
    assert.ok(failed, `${what} was refused (HTTP ${status} ${JSON.stringify(body)})`);
  }
  // The card itself is untouched by all that.
  const after = await stranger('GET', `${inbox}/${card._id}`);
  assert.equal(after.body._rev, card._rev);

  // Junk that does get in: a forged card with no stamp, and the genuine sealed card copied
  // under a new id (its stamp names the first id, so it carries none for the new one).
  const junk = fresh();
  const { d, w, ...unstamped } = shape;
  assert.equal((await stranger('PUT', `${inbox}/${junk}`, { ...unstamped, d: '2026-01-01', w: '7' })).status, 201);
  const copied = fresh();
  assert.equal((await stranger('PUT', `${inbox}/${copied}`, shape)).status, 201);

  await syncNow(manager, env.base);
  const status = manager.locator('.sync-status');
  await status.getByText(`inbox:${junk}: ${en['inbox.reject.unstamped']}`).waitFor();
  await status.getByText(`inbox:${copied}: ${en['inbox.reject.unstamped']}`).waitFor();
  await screenshot(manager, 'sync-inbox-aside-en');
  // The genuine card is in, once; the forged ones are set aside unread and stay in the inbox.
  const cards = (await couch.docs(s.db)).filter((d) => d._id.startsWith('card-'));
  assert.equal(cards.length, 1);
  assert.equal(cards[0].id, card._id);
  const left = (await couch.docs(s.inbox)).filter((doc) => !doc._id.startsWith('design-')).map((doc) => doc._id).sort();
  assert.deepEqual(left, [junk, copied].sort());
  assert.deepEqual(manager.errors, []);
});

/** A P-256 public key of a stranger's own, raw (65 bytes), and its fingerprint as a link carries it. */
function strangersKey() {
  const { publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const raw = publicKey.export({ format: 'jwk' });
  const bytes = Buffer.concat([Buffer.from([4]), Buffer.from(raw.x, 'base64url'), Buffer.from(raw.y, 'base64url')]);
  const fingerprint = crypto.createHash('sha256').update(bytes).digest().subarray(0, 16);
  return { key: bytes.toString('base64url'), fingerprint: fingerprint.toString('base64url') };
}

test('a poster whose QR code was swapped for a stranger\'s key is refused before anything is answered, and nothing reaches the inbox', async () => {
  const s = await shop();
  const manager = await managerWithInbox(s);
  const link = await manager.getByLabel(en['links.link'], { exact: true }).inputValue();
  await syncNow(manager, env.base);
  // Sync is stopped, so what reaches the inbox stays there to be looked at.
  await manager.getByRole('button', { name: en['sync.stop'], exact: true }).click();
  assert.match(link, /#v=2&i=[^&]+&f=[A-Za-z0-9_-]{22}&/);
  assert.doesNotMatch(link, /&k=/, 'the link carries a fingerprint, not the key');
  const theirs = strangersKey();
  const design = (await couch.docs(s.inbox)).find((doc) => doc._id.startsWith('design-'));
  const ours = design.keys[design.keys.length - 1];
  const oldStyle = (key) => link.replace('#v=2&', '#v=1&').replace(/&f=[^&]+/, `&k=${key}`);

  for (const [lang, swapped] of [['en', link.replace(/&f=[^&]+/, `&f=${theirs.fingerprint}`)], ['fa', oldStyle(theirs.key)]]) {
    const phone = await newPage(env.browser, { viewport: { width: 390, height: 844 } });
    if (lang === 'fa') await phone.addInitScript(() => localStorage.setItem('lp1-pref:lang', '"fa"'));
    const writes = [];
    phone.on('request', (r) => { if (r.url().startsWith(couch.url) && r.method() !== 'GET') writes.push(`${r.method()} ${r.url()}`); });
    await phone.goto(swapped);
    await phone.getByRole('alert').getByText(locales[lang]['link.not_shops']).waitFor();
    // Nothing to answer, nothing to retry, nothing sent.
    assert.equal(await phone.getByRole('radiogroup').count(), 0);
    assert.equal(await phone.getByRole('button', { name: locales[lang]['card.submit'] }).count(), 0);
    assert.equal(await phone.getByRole('button', { name: locales[lang]['link.design.retry'] }).count(), 0);
    await screenshot(phone, `card-link-not-shops-${lang}`);
    await phone.waitForTimeout(500);
    assert.deepEqual(writes, []);
    assert.deepEqual(phone.errors, []);
    await phone.context().close();
  }
  assert.deepEqual((await couch.docs(s.inbox)).filter((doc) => !doc._id.startsWith('design-')), []);

  // A poster printed before links carried fingerprints, with the shop's own key: still the shop's.
  await phoneCard(oldStyle(ours), 'poster@example.com');
  const sealed = (await couch.docs(s.inbox)).filter((doc) => !doc._id.startsWith('design-'));
  assert.equal(sealed.length, 1);
  assert.equal(sealed[0].lp, 2);
  assert.deepEqual(manager.errors, []);
});

test('the shop\'s keys live in an ordinary document staff may only add to, and a device puts them back when they are gone', async () => {
  const s = await shop();
  const manager = await managerWithInbox(s);
  await syncNow(manager, env.base);
  const auth = `Basic ${Buffer.from(`${s.manager.user}:${s.manager.password}`).toString('base64')}`;
  const asStaff = async (method, body) => {
    const r = await fetch(`${couch.url}/${s.db}/listening-post-inbox-keys`, { method, headers: { authorization: auth, 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
    return { status: r.status, body: await r.json() };
  };
  const keys = (await asStaff('GET')).body;
  assert.equal(keys.keys.length, 1);
  // In _changes, so a replicated backup carries it; a pass passes over it.
  assert.ok((await couch.docs(s.db)).some((d) => d._id === 'listening-post-inbox-keys'));
  await manager.goto(`${env.base}#/data`);
  assert.equal(await manager.getByText('listening-post-inbox-keys').count(), 0, 'not set aside as a stranger document');
  // Staff may not drop a key, nor delete the document.
  assert.equal((await asStaff('PUT', { _rev: keys._rev, keys: [] })).status, 403);
  const del = await fetch(`${couch.url}/${s.db}/listening-post-inbox-keys?rev=${keys._rev}`, { method: 'DELETE', headers: { authorization: auth } });
  assert.equal(del.status, 403);
  // An admin deletes it (a restore gone wrong): the next pass of a device holding the keys puts
  // them back, the same keys.
  await couch.put(s.db, [{ _id: 'listening-post-inbox-keys', _rev: keys._rev, _deleted: true }]);
  await syncNow(manager, env.base);
  const back = (await asStaff('GET')).body;
  assert.deepEqual(back.keys, keys.keys);
  assert.deepEqual(manager.errors, []);
});

test('two staff devices syncing at the same moment take a card in once', async () => {
  const s = await shop();
  const manager = await managerWithInbox(s);
  const link = await manager.getByLabel(en['links.link'], { exact: true }).inputValue();
  await syncNow(manager, env.base);
  const desk = await newPage(env.browser);
  await connect(desk, env.base, s.manager);
  await synced(desk);
  await phoneCard(link, '0912 111 2233');
  await phoneCard(link, '0912 444 5566');
  await Promise.all([syncNow(manager, env.base), syncNow(desk, env.base)]);
  await syncNow(manager, env.base);
  await syncNow(desk, env.base);
  const cards = (await couch.docs(s.db)).filter((d) => d._id.startsWith('card-'));
  assert.equal(cards.length, 2);
  for (const page of [manager, desk]) {
    await open(page, env.base, '#/cards/received');
    await page.locator('main').getByText(/· cards: 2$/).waitFor();
    assert.deepEqual(page.errors, []);
  }
});

test('a card page says what it can when its link is damaged, newer, or absent, or the card is not published', async () => {
  const page = await newPage(env.browser, { viewport: { width: 390, height: 844 } });
  await page.goto(`${env.base}card.html#v=2&i=http://127.0.0.1:1/x-inbox&f=short&b=&p=qr&t=x`);
  await page.getByRole('alert').getByText(en['link.damaged']).waitFor();
  assert.equal(await page.getByRole('button', { name: en['card.submit'] }).count(), 0);
  await page.goto(`${env.base}card.html#v=7&i=http://127.0.0.1:1/x-inbox`);
  await page.reload();
  await page.getByRole('alert').getByText(en['link.newer']).waitFor();
  await page.goto(`${env.base}card.html`);
  await page.reload();
  await page.getByText(en['link.absent']).waitFor();
  await page.getByRole('button', { name: en['card.submit'] }).waitFor();

  // A well-made link to a card the shop has not published: the phone says so, and asks for nothing.
  const s = await shop();
  const manager = await managerWithInbox(s);
  const link = await manager.getByLabel(en['links.link'], { exact: true }).inputValue();
  await page.goto(link.replace(/t=[^&]+$/, 't=AAAAAAAAAAAAAAAAAAAAAA'));
  await page.reload();
  await page.getByRole('alert').getByText(en['link.design.missing']).waitFor();
  await page.getByRole('button', { name: en['link.design.retry'], exact: true }).click();
  await page.getByRole('alert').getByText(en['link.design.missing']).waitFor();
  await page.getByLabel('Language').selectOption('fa');
  await page.getByRole('alert').getByText(fa['link.design.missing']).waitFor();
  await screenshot(page, 'card-link-missing-fa');
  assert.deepEqual(page.errors, []);

  // A page that is not secure (plain http from another address) cannot seal: it asks for no
  // answers it could not send.
  const insecure = await newPage(env.browser, { viewport: { width: 390, height: 844 } });
  await insecure.addInitScript(() => Object.defineProperty(window, 'isSecureContext', { get: () => false }));
  await insecure.goto(link);
  await insecure.getByRole('alert').getByText(en['outbox.cannot_seal']).waitFor();
  assert.equal(await insecure.getByRole('button', { name: en['card.submit'] }).count(), 0);
  assert.equal(await insecure.getByRole('button', { name: en['link.design.retry'] }).count(), 0);
  assert.deepEqual(insecure.errors, []);
});

test('a phone that cannot fetch the code that sends a card says so, keeps the answers, and sends after a reload', async () => {
  const s = await shop();
  const manager = await managerWithInbox(s);
  const link = await manager.getByLabel(en['links.link'], { exact: true }).inputValue();
  await syncNow(manager, env.base);
  await manager.context().close();

  const phone = await newPage(env.browser, { serviceWorkers: 'block', viewport: { width: 390, height: 844 } });
  const sending = /\/card-[0-9a-f]+-(split|chunk)_\w+\.wasm$/;
  await phone.route(sending, (route) => route.fulfill({ status: 404, body: '' }));
  await phone.goto(link);
  await phone.getByRole('radiogroup').first().getByRole('radio', { name: 'Satisfied', exact: true }).check();
  await phone.getByRole('button', { name: en['card.submit'], exact: true }).click();
  const alert = phone.getByRole('alert').filter({ hasText: en['card.send.missing'] });
  await alert.waitFor();
  assert.equal(await phone.getByText(en['outbox.sending']).count(), 0, 'no thank-you for a card that did not go');
  assert.doesNotMatch(await storageText(phone), /lp1-outbox:/);

  await phone.unroute(sending);
  await alert.getByRole('button', { name: en['notice.reload'], exact: true }).click();
  await phone.getByText(en['card.draft_kept']).waitFor();
  assert.equal(await phone.getByRole('radiogroup').first().getByRole('radio', { name: 'Satisfied', exact: true }).isChecked(), true);
  await phone.getByRole('button', { name: en['card.submit'], exact: true }).click();
  await phone.getByText(en['outbox.delivered']).waitFor({ timeout: 20_000 });
  const sealed = (await couch.docs(s.inbox)).filter((d) => !d._id.startsWith('design-'));
  assert.equal(sealed.length, 1);
  assert.deepEqual(phone.errors, []);
  await phone.context().close();
});
