// A shop whose history outgrows one browser: the server keeps three years at two branches, a
// new laptop keeps 90 days of one branch, a tablet whose storage is nearly full narrows its own
// window, and nothing leaves the server when a record leaves a device.
const crypto = require('node:crypto');
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { setup, newPage, open, screenshot, countOf, locales } = require('./helpers');
const fixtures = require('./fixtures');
const { startCouch, connect, synced, syncNow } = require('./couch');

const en = locales.en;
let env;
let couch;
const DB = 'history';
const DAY = 24 * 3600 * 1000;
/** The built-in card design, whose contact question is `contact`. */
const DEFAULT_TEMPLATE = '4c504341-5244-4445-4641-000000000001';
/** Cards on the server: one a day at each branch for three years. */
const YEARS = 3 * 365;

before(async () => {
  env = await setup();
  couch = await startCouch();
  await couch.setup(DB, ['laptop:laptop-pw', 'tablet:tablet-pw']);
  const now = Date.now();
  const docs = [];
  const add = (kind, record) => docs.push({ _id: `${kind}-${record.id}`, ...record });
  add('settings', fixtures.settings('Three-year shop'));
  for (let back = 0; back < YEARS; back += 1) {
    const at = new Date(now - back * DAY).toISOString();
    for (const branch of ['Tajrish', 'ونک']) {
      const card = { ...fixtures.card(back, at), branch };
      // Tajrish's cards are the built-in design's, with a rating for each RATER dimension.
      if (branch === 'Tajrish') {
        card.template = DEFAULT_TEMPLATE;
        ['reliability', 'assurance', 'tangibles', 'empathy', 'responsiveness'].forEach((d, k) => {
          card.answers[`rater_${d}`] = { rating: ((back * (k + 2)) % 5) + 1 };
        });
      }
      add('card', card);
    }
  }
  // This morning's five complaints, and one closed long ago.
  for (let i = 0; i < 5; i += 1) add('feedback', fixtures.feedback(`Complaint ${i + 1} this morning`, new Date(now - i * 60_000).toISOString()));
  add('feedback', { ...fixtures.feedback('Closed in 2024', '2024-02-01T10:00:00Z'), status: 'closed' });
  const answer = await couch.put(DB, docs);
  assert.equal(answer.filter((r) => r.ok).length, docs.length);
});
after(async () => {
  await couch.close();
  await env.close();
});

const syncStatus = (page) => page.getByRole('status').and(page.locator('.sync-status'));
const kept = (page) => page.getByRole('status').and(page.locator('.sync-kept'));

/** The live cards on the server. */
async function onServer() {
  const docs = await couch.docs(DB);
  return docs.filter((d) => d._id.startsWith('card-')).length;
}

test('a new laptop keeps 90 days of one branch, gets the morning\'s complaints, and lets cards go without deleting them', { timeout: 120_000 }, async () => {
  const total = await onServer();
  const laptop = await newPage(env.browser);
  const requests = { n: 0 };
  laptop.on('request', (r) => {
    if (r.url().startsWith(couch.url)) requests.n += 1;
  });
  await laptop.goto(`${env.base}#/settings/sync`);
  // Chosen before the first sync, so that only the window is fetched.
  await laptop.getByLabel(en['sync.window.days'], { exact: true }).selectOption({ label: 'The last 90 days' });
  await laptop.getByText(en['sync.window.saved']).waitFor();
  // No branch is known before the shop's settings arrive: the name is typed.
  await laptop.getByLabel(en['sync.window.branch'], { exact: true }).fill('Tajrish');
  await laptop.getByLabel(en['sync.window.branch'], { exact: true }).press('Tab');
  await connect(laptop, env.base, { url: couch.url, db: DB, user: 'laptop', password: 'laptop-pw' });
  await synced(laptop);
  // Then the shop's branches are listed, this one chosen.
  assert.equal(await laptop.getByLabel(en['sync.window.branch'], { exact: true }).evaluate((s) => s.tagName + ':' + s.value), 'SELECT:Tajrish');
  await kept(laptop).getByText(/This device keeps the cards of .*Tajrish.* from .* on\./).waitFor();
  await kept(laptop).getByText(/^At the last sync the shop's server held [\d,]+ documents: the whole history\.$/).waitFor()
    .catch(async (e) => { await screenshot(laptop, 'window-laptop-kept', { fullPage: true }); throw e; });

  await open(laptop, env.base, '#/data');
  // 91 days (today and the 90 before) of one branch; every open complaint; not the closed one.
  assert.equal(await countOf(laptop, en['kind.card']), 91);
  assert.equal(await countOf(laptop, en['kind.feedback']), 5);
  await laptop.getByText(/This device keeps the cards of .*Tajrish.* from .* on\./).waitFor();
  // About the window's worth of requests: nowhere near a page per 500 of the whole history.
  assert.ok(requests.n < 40, `${requests.n} requests`);
  await open(laptop, env.base, '#/feedback');
  await laptop.getByText('Complaint 5 this morning').waitFor();

  // Narrowed to 30 days: cards leave this device, and the server keeps every one.
  await laptop.goto(`${env.base}#/settings/sync`);
  await laptop.getByLabel(en['sync.window.days'], { exact: true }).selectOption({ label: 'The last 30 days' });
  await syncNow(laptop, env.base);
  await open(laptop, env.base, '#/data');
  assert.equal(await countOf(laptop, en['kind.card']), 31);
  assert.equal(await onServer(), total);
  // Widened to every day of both branches: what it lacks comes back.
  await laptop.goto(`${env.base}#/settings/sync`);
  await laptop.getByLabel(en['sync.window.days'], { exact: true }).selectOption({ label: en['sync.window.days.all'] });
  await laptop.getByLabel(en['sync.window.branch'], { exact: true }).selectOption({ label: en['sync.window.branch.all'] });
  await syncNow(laptop, env.base);
  await synced(laptop);
  await open(laptop, env.base, '#/data');
  assert.equal(await countOf(laptop, en['kind.card']), 2 * YEARS);
  assert.deepEqual(laptop.errors, []);
});

test('a tablet whose storage is nearly full narrows its own window, says so, and the sync completes', { timeout: 120_000 }, async () => {
  const total = await onServer();
  const tablet = await newPage(env.browser);
  await tablet.goto(`${env.base}#/settings/sync`);
  await tablet.getByLabel(en['sync.window.days'], { exact: true }).waitFor();
  // Another part of this site already fills 82% of what the browser allows.
  await tablet.evaluate(() => localStorage.setItem('other-app-data', 'x'.repeat(4_300_000)));
  await connect(tablet, env.base, { url: couch.url, db: DB, user: 'tablet', password: 'tablet-pw' });
  await synced(tablet).catch(async (e) => { await screenshot(tablet, 'window-tablet-full', { fullPage: true }); throw e; });
  await kept(tablet).getByText(/storage passed 85% of what the browser allows, so it let its oldest cards go and keeps cards from .* on\./).waitFor();
  assert.equal(await syncStatus(tablet).locator('.sync-error').count(), 0);
  const used = await tablet.evaluate(() => {
    let units = 0;
    for (let i = 0; i < localStorage.length; i += 1) {
      const k = localStorage.key(i);
      units += k.length + localStorage.getItem(k).length;
    }
    return units;
  });
  assert.ok(used < 5_242_000 * 0.9, `${used} units used`);
  await open(tablet, env.base, '#/data');
  const cards = await countOf(tablet, en['kind.card']);
  assert.ok(cards > 100 && cards < 2 * YEARS, `${cards} cards kept`);
  await tablet.getByText(/let its oldest cards go/).waitFor();
  // Nothing was deleted anywhere; a card made now still reaches the server.
  assert.equal(await onServer(), total);
  await open(tablet, env.base, '#/cards');
  await tablet.getByRole('radiogroup').first().getByRole('radio', { name: 'Satisfied', exact: true }).check();
  await tablet.getByRole('button', { name: 'Submit' }).click();
  await tablet.getByRole('button', { name: 'Fill another card' }).waitFor();
  await syncNow(tablet, env.base);
  await synced(tablet);
  assert.equal(await onServer(), total + 1);
  assert.deepEqual(tablet.errors, []);
});

test('erasing a customer reaches their card from three years ago, which no device keeps', { timeout: 120_000 }, async () => {
  const at = new Date(Date.now() - 1094 * DAY).toISOString();
  const sara = { id: crypto.randomUUID(), created: at, updated: at, v: 1, name: 'Sara Ahmadi', contacts: ['0912 345 6789'], segments: [], notes: '', consent: null, distinct: [] };
  const card = {
    ...fixtures.card(1, at),
    template: DEFAULT_TEMPLATE,
    answers: { overall: { rating: 1 }, improve: { text: 'Waited forty minutes' }, contact: { contact: { value: '۰۹۱۲۳۴۵۶۷۸۹', consent: true } } },
  };
  const item = { ...fixtures.feedback('Rude at the counter', '2024-01-10T09:00:00Z'), status: 'closed', customer: 'Sara Ahmadi', contact: { value: '+98 912 345 6789', consent: true } };
  await couch.put(DB, [{ _id: `customer-${sara.id}`, ...sara }, { _id: `card-${card.id}`, ...card }, { _id: `feedback-${item.id}`, ...item }]);

  const laptop = await newPage(env.browser);
  await laptop.goto(`${env.base}#/settings/sync`);
  await laptop.getByLabel(en['sync.window.days'], { exact: true }).selectOption({ label: 'The last 30 days' });
  await connect(laptop, env.base, { url: couch.url, db: DB, user: 'laptop', password: 'laptop-pw' });
  await synced(laptop);
  await open(laptop, env.base, '#/customers');
  await laptop.getByRole('link', { name: 'Sara Ahmadi' }).click();
  await laptop.getByRole('button', { name: en['cust.erase'] }).click();
  await laptop.getByRole('dialog', { name: en['cust.erase.title'] }).getByRole('button', { name: en['cust.erase.yes'] }).click();
  await laptop.getByText(en['cust.erased']).waitFor();
  await syncNow(laptop, env.base);
  await synced(laptop);

  const docs = await couch.docs(DB);
  const old = docs.find((d) => d._id === `card-${card.id}`);
  assert.equal(old.answers.contact, undefined);
  assert.equal(old.answers.improve.text, 'Waited forty minutes');
  const closed = docs.find((d) => d._id === `feedback-${item.id}`);
  assert.equal(closed.customer, '');
  assert.equal(closed.contact, null);
  assert.equal(docs.some((d) => d._id === `customer-${sara.id}`), false);
  // Neither the card nor the item came to this device: it keeps the last 30 days' cards only.
  const from = new Date(Date.now() - 30 * DAY).toISOString().slice(0, 10);
  const recent = docs.filter((d) => d._id.startsWith('card-') && d.created.slice(0, 10) >= from).length;
  await open(laptop, env.base, '#/data');
  assert.equal(await countOf(laptop, en['kind.card']), recent);
  assert.equal(await countOf(laptop, en['kind.feedback']), 5);
  assert.deepEqual(laptop.errors, []);
});

/** The dashboard's card figures for a range (and a branch), as a manager reads them. */
async function cardFigures(page, from, to, branch) {
  await open(page, env.base, '#/dashboard');
  const panel = page.locator('#dash-filters');
  if (!(await panel.evaluate((d) => d.open))) await panel.locator('summary').click();
  await page.getByLabel(en['dash.from'], { exact: true }).fill(from);
  await page.getByLabel(en['dash.to'], { exact: true }).fill(to);
  await page.getByLabel(en['dash.branch'], { exact: true }).selectOption(branch ? { label: branch } : { index: 0 });
  await page.getByLabel(en['dash.span'], { exact: true }).selectOption('month');
  const source = page.locator('.dash-source');
  await source.filter({ hasNotText: 'Asking' }).waitFor();
  await page.waitForTimeout(300);
  await source.filter({ hasNotText: 'Asking' }).waitFor();
  return { source: await source.innerText(), figures: await page.locator('section.report[aria-labelledby="dash-cards"]').innerText() };
}

test('the server\'s views give the figures this device works out, to the last digit', { timeout: 120_000 }, async () => {
  const day = (back) => new Date(Date.now() - back * DAY).toISOString().slice(0, 10);
  const whole = await newPage(env.browser);
  await connect(whole, env.base, { url: couch.url, db: DB, user: 'laptop', password: 'laptop-pw' });
  await synced(whole);
  const window = await newPage(env.browser);
  await window.goto(`${env.base}#/settings/sync`);
  await window.getByLabel(en['sync.window.days'], { exact: true }).selectOption({ label: 'The last 30 days' });
  await connect(window, env.base, { url: couch.url, db: DB, user: 'tablet', password: 'tablet-pw' });
  await synced(window);
  for (const [from, to, branch] of [[day(700), day(40), null], [day(1094), day(1), 'Tajrish']]) {
    const here = await cardFigures(whole, from, to, branch);
    const there = await cardFigures(window, from, to, branch);
    assert.match(here.source, /from the cards on this device/);
    assert.match(there.source, /come from the shop's server, which holds the cards from .* to .*\./);
    assert.equal(there.figures, here.figures);
    // Every figure is there: the RATER means of the built-in design's cards too.
    assert.match(here.figures, /Reliability\t\d\.\d+\t[\d,]+/);
  }
  assert.deepEqual(window.errors, []);
});

test('views older than the app are upgraded in place by the setup\'s next run, and the app says which step to run meanwhile', { timeout: 120_000 }, async () => {
  const db = 'upgrade';
  await couch.setup(db, ['old:old-pw']);
  const auth = { authorization: `Basic ${Buffer.from(couch.admin).toString('base64')}` };
  const path = `${couch.url}/${db}/_design/listening-post-figures`;
  const current = await (await fetch(path, { headers: auth })).json();
  // As an older setup left it.
  const older = { ...current, version: 0, views: { cards: { map: 'function (doc) {}', reduce: '_sum' } } };
  assert.equal((await fetch(path, { method: 'PUT', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(older) })).status, 201);
  const card = fixtures.card(1, new Date(Date.now() - 200 * DAY).toISOString());
  await couch.put(db, [{ _id: `card-${card.id}`, ...card }]);

  const laptop = await newPage(env.browser);
  await laptop.goto(`${env.base}#/settings/sync`);
  await laptop.getByLabel(en['sync.window.days'], { exact: true }).selectOption({ label: 'The last 30 days' });
  await connect(laptop, env.base, { url: couch.url, db, user: 'old', password: 'old-pw' });
  await synced(laptop);
  const day = (back) => new Date(Date.now() - back * DAY).toISOString().slice(0, 10);
  const before = await cardFigures(laptop, day(365), day(0), null);
  assert.match(before.source, /run scripts\/couch-setup\.sh again/);
  assert.match(before.source, /worked out from this device, which keeps the cards from .* on\./);

  const second = await couch.setup(db, ['old:old-pw']);
  assert.match(second, /upgraded the figures' views of upgrade from version 0 to 1/);
  await open(laptop, env.base, '#/data');
  const after = await cardFigures(laptop, day(365), day(0), null);
  assert.match(after.source, /come from the shop's server/);
  assert.match(after.figures, /Cards\n\n1\n/);
  const third = await couch.setup(db, ['old:old-pw']);
  assert.match(third, /nothing to change/);

  // Delete all data on every device: the card no device keeps goes from the server too.
  await open(laptop, env.base, '#/data');
  await laptop.getByRole('button', { name: en['data.delete.button'], exact: true }).click();
  const dialog = laptop.getByRole('dialog');
  await dialog.getByRole('radio', { name: en['data.delete.everywhere'] }).check();
  await dialog.getByRole('button', { name: en['confirm.delete.yes'], exact: true }).click();
  await laptop.getByText(en['data.delete.done_everywhere']).waitFor();
  await laptop.waitForFunction(() => !Object.keys(localStorage).some((k) => k.startsWith('lp1-sync:')), null, { timeout: 20_000 });
  assert.deepEqual((await couch.docs(db)).filter((d) => d._id.startsWith('card-')), []);
  assert.deepEqual(laptop.errors, []);
});
