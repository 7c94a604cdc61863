// Cards from customers' own phones: a manager sets up the shop's inbox and prints a card link;
// a stranger's phone opens it from the QR code, fills the card, and it reaches the shop sealed.
// The server is a CouchDB-protocol server (pouchdb-server) on another loopback port.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
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

/** Settings with a business name in both languages and two branches. */
function settings() {
  const s = fx.settings('Nour Home Goods');
  s.business_name_fa = 'لوازم خانگی نور';
  s.branches = ['Tajrish', 'Vanak'];
  s.branch_names_fa = { Tajrish: 'تجریش', Vanak: 'ونک' };
  return s;
}

/** A manager's laptop: the shop's settings imported, connected, the inbox set up. */
async function managerWithInbox(s) {
  const page = await newPage(env.browser);
  await open(page, env.base, '#/data');
  await chooseImport(page, [{ name: 'seed.json', text: fx.file({ settings: [settings()] }) }]);
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
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/card\.html#v=1&i=/);
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
  assert.deepEqual(manager.errors, []);
});
