// Script injection: payloads in every string of an imported file, and typed into every text
// field of every form, are shown as text and never run. An alarm set before the app loads
// catches any payload that runs; the page is also searched for any element a payload would add.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fx = require('./fixtures');
const { setup, newPage, open, chooseImport, countOf } = require('./helpers');

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

const PAYLOADS = [
  '<img src=x onerror="__alarm(\'img\')">',
  '<svg onload="__alarm(\'svg\')"></svg>',
  '"><script>__alarm(\'script\')</script>',
  "'><iframe src=\"javascript:__alarm('iframe')\"></iframe>",
  'javascript:__alarm(\'href\')',
  '{{constructor.constructor(\'__alarm("template")\')()}}',
  '<a href="javascript:__alarm(\'link\')">x</a>',
  '=HYPERLINK("javascript:__alarm(\'csv\')")',
];

/** A page whose `__alarm`, `alert`, `confirm` and `prompt` record a payload that ran. */
async function alarmedPage() {
  const page = await newPage(env.browser);
  await page.context().addInitScript(() => {
    window.__alarms = [];
    window.__alarm = (what) => window.__alarms.push(what);
    for (const f of ['alert', 'confirm', 'prompt']) window[f] = () => window.__alarms.push(f);
  });
  return page;
}

/** Nothing ran, and nothing a payload would add is in the page. */
async function assertInert(page, where) {
  const found = await page.evaluate(() => ({
    alarms: window.__alarms,
    elements: document.querySelectorAll(
      'img[src="x"], svg[onload], [onerror], [onload], iframe, object, embed, script:not([src]), a[href^="javascript:" i]',
    ).length,
  }));
  assert.deepEqual(found, { alarms: [], elements: 0 }, where);
}

// Every string of a file, one payload each in turn, appended to the value so that the record's
// shape stays: free text is stored; ids, dates and codes become invalid and are rejected, which
// puts them on the import preview instead.
function poisoned(value, counter, keep) {
  if (typeof value === 'string') {
    if (keep(value)) return value;
    counter.n += 1;
    return `${value}${PAYLOADS[counter.n % PAYLOADS.length]}`;
  }
  if (Array.isArray(value)) return value.map((v) => poisoned(v, counter, keep));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, poisoned(v, counter, keep)]));
  }
  return value;
}

const CODE = /^(\d{4}-\d\d-\d\d(T[\d:.]+Z)?|[0-9a-f-]{36}|[a-z_]+|en|fa|listening-post)$/;

function seedFile() {
  const item = { ...fx.feedback('Late order'), customer: 'Sara', contact: { value: '09121234567', consent: true },
    assignee: 'Ali', response: 'Sorry', notes: 'Called' };
  const card = fx.card(1);
  card.answers.contact = { contact: { value: '09121234567', consent: true } };
  const assessment = fx.assessment('2026-05-01', 3, { actions: [{ id: '00000000-0000-4000-8000-0000000000a1',
    dimension: 'reliability', text: 'Call back', owner: 'Reza', due: null, status: 'planned' }] });
  return JSON.parse(fx.file({ settings: [fx.settings('Cafe')], cards: [card], feedback: [item], assessments: [assessment] }));
}

test('every string of an imported file is shown as text on every screen', async () => {
  const page = await alarmedPage();
  const counter = { n: 0 };
  // Free text carries payloads and is stored; codes, ids and dates keep their values.
  const stored = poisoned(seedFile(), counter, (v) => CODE.test(v) || /^0912/.test(v));
  // Every string carries one: the file's records are rejected and listed on the preview.
  const everything = poisoned(seedFile(), { n: 0 }, (v) => v === 'listening-post');
  assert.ok(counter.n >= 15, `only ${counter.n} free-text strings`);

  await open(page, env.base, '#/data');
  await chooseImport(page, [
    { name: PAYLOADS[0] + '.json', text: JSON.stringify(everything) },
    { name: 'stored.json', text: JSON.stringify(stored) },
  ]);
  await assertInert(page, 'import preview');
  await page.getByRole('button', { name: 'Confirm import' }).click();
  await page.getByRole('status').filter({ hasText: /Import finished/ }).waitFor();
  // The poisoned records were stored, not turned away.
  for (const kind of ['Settings', 'Satisfaction cards', 'Feedback items', 'Assessments', 'Customers']) {
    assert.equal(await countOf(page, kind), 1, kind);
  }

  const screens = ['#/cards', '#/cards/received', '#/cards/designer', '#/assessments', '#/assessments/actions',
    '#/feedback', '#/feedback/calls', '#/customers', '#/dashboard', '#/data', '#/settings', '#/settings/standards',
    '#/settings/schedules'];
  for (const hash of screens) {
    await open(page, env.base, hash);
    await assertInert(page, hash);
  }
  // The pages of one record: a feedback item, a customer, an assessment's results.
  for (const [list, link] of [['#/feedback', 'main a[href^="#/feedback/item"]'], ['#/customers', 'main a[href^="#/customers/profile"]'],
    ['#/assessments', 'main a[href^="#/assessments/results"]']]) {
    await open(page, env.base, list);
    await page.locator(link).first().click();
    await page.locator('main h1').waitFor();
    await assertInert(page, `a record from ${list}`);
    const text = await page.locator('main').evaluate((m) => m.innerText
      + [...m.querySelectorAll('input, textarea')].map((f) => f.value).join(' '));
    assert.ok(PAYLOADS.some((p) => text.includes(p)), `no payload shown as text on the record from ${list}`);
  }
  assert.deepEqual(page.errors, []);
});

test('payloads typed into every text field of every form are kept as text', async () => {
  const page = await alarmedPage();
  await open(page, env.base, '#/data');
  await chooseImport(page, [{ name: 'seed.json', text: JSON.stringify(seedFile()) }]);
  await page.getByRole('button', { name: 'Confirm import' }).click();
  await page.getByRole('status').filter({ hasText: /Import finished/ }).waitFor();
  const screens = ['#/cards', '#/cards/designer', '#/settings', '#/settings/standards', '#/settings/schedules'];
  let typed = 0;
  for (const hash of screens) {
    await open(page, env.base, hash);
    // Free-text fields: numbers and days (the holidays list) refuse text with a reason of their
    // own, which would keep the rest of the form from being saved.
    const fields = page.locator('main input[type=text]:not([inputmode]):visible, main textarea:not(#holidays):visible');
    const n = await fields.count();
    for (let i = 0; i < n; i += 1) {
      await fields.nth(i).fill(PAYLOADS[(typed += 1) % PAYLOADS.length]);
    }
    // Send what the form holds, if it has a button for it; whether it is accepted or refused
    // with a reason, nothing runs.
    const submit = page.locator('main form button[type=submit]:visible').first();
    if (await submit.count()) await submit.click();
    await assertInert(page, hash);
  }
  assert.ok(typed >= 10, `only ${typed} fields typed into`);
  // What Settings took is kept as typed.
  await open(page, env.base, '#/settings');
  assert.ok(PAYLOADS.includes(await page.getByLabel('Business name').inputValue()));
  for (const hash of ['#/cards/received', '#/feedback', '#/customers', '#/dashboard', '#/settings']) {
    await open(page, env.base, hash);
    await assertInert(page, hash);
  }
  assert.deepEqual(page.errors, []);
});
