// The Dashboard: figures from imported data checked against values worked by hand, the small-
// sample rule, the branch filter, the CSV export parsed back, the print view, and axe-core in
// both languages.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { setup, newPage, open, download, screenshot, violations, locales } = require('./helpers');
const fixtures = require('./fixtures');

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

const TEMPLATE = '4c504341-5244-4445-4641-000000000001';
// Ten cards worked by hand (as in src/domain/report.rs): overall 5,5,4,4,3,2,1,5,4,3 → CSAT 60%;
// recommend 10,9,9,8,7,6,0,10,5,9 → 5 promoters, 2 passives, 3 detractors, NPS 20;
// responsiveness 5,4,4,3,2,1,1,5,4,3 → mean 3.20. The first six are Tajrish, the rest Vanak.
const OVERALL = [5, 5, 4, 4, 3, 2, 1, 5, 4, 3];
const RECOMMEND = [10, 9, 9, 8, 7, 6, 0, 10, 5, 9];
const RESPONSIVE = [5, 4, 4, 3, 2, 1, 1, 5, 4, 3];

function seed() {
  const day = (i) => new Date(Date.now() - (i + 1) * 86400000).toISOString();
  const cards = OVERALL.map((v, i) => ({
    ...fixtures.card(i, day(i)),
    template: TEMPLATE,
    branch: i < 6 ? 'Tajrish' : 'Vanak',
    answers: {
      overall: { rating: v },
      recommend: { rating: RECOMMEND[i] },
      rater_responsiveness: { rating: RESPONSIVE[i] },
      ...(i === 0 ? { improve: { text: '=HYPERLINK("http://x","click")' } } : {}),
    },
  }));
  return fixtures.file({ cards, assessments: [fixtures.assessment('2026-10-01', 3)] });
}

async function seeded(lang = 'en') {
  const page = await newPage(env.browser);
  await open(page, env.base, '#/data');
  await page.getByLabel('Import', { exact: true }).setInputFiles({ name: 'seed.json', mimeType: 'application/json', buffer: Buffer.from(seed()) });
  await page.getByRole('button', { name: 'Confirm import' }).click();
  await page.getByText(/Import finished: 11 added/).waitFor();
  if (lang === 'fa') {
    await page.getByLabel('Language').selectOption('fa');
    await page.waitForFunction(() => document.documentElement.lang === 'fa');
  }
  await open(page, env.base, '#/dashboard');
  return page;
}

/** The figure under a tile's heading. */
const tile = (page, name) => page.locator('.tile', { has: page.getByRole('heading', { name, exact: true }) }).locator('.tile-value');

test('the figures match the ones worked by hand, and a branch with too few answers says so', async () => {
  const page = await seeded();
  assert.equal(await tile(page, 'Cards').textContent(), '10');
  assert.equal(await tile(page, 'CSAT').textContent(), '60%');
  assert.equal(await tile(page, 'NPS').textContent(), '20');
  await page.getByText('5 promoters, 2 passives, 3 detractors').waitFor();
  const resp = page.locator('#dash-dims-table').getByRole('row', { name: /^Responsiveness/ });
  assert.deepEqual(await resp.locator('td').allTextContents(), ['3.20', '10']);
  const spread = await page.locator('#dash-spread-table tbody td').allTextContents();
  assert.deepEqual(spread, ['3', '3', '2', '1', '1']);
  // Tajrish: overall 5,5,4,4,3,2 → 4 of 6 → 67%. Vanak has only four: too few for a share.
  const tajrish = page.locator('#dash-branches').getByRole('row', { name: /^Tajrish/ });
  assert.deepEqual(await tajrish.locator('td').allTextContents(), ['6', '67%', '33']);
  const vanak = page.locator('#dash-branches').getByRole('row', { name: /^Vanak/ });
  assert.equal((await vanak.locator('td').allTextContents())[1], 'Too few answers (4)');
  // The branch filter narrows everything.
  await page.getByLabel('Branch', { exact: true }).selectOption('Vanak');
  await page.waitForFunction(() => document.querySelector('.tile-value').textContent === '4');
  assert.equal(await tile(page, 'CSAT').textContent(), 'Too few answers (4)');
  // Charts are named and point to their tables.
  assert.equal(await page.getByRole('img', { name: 'CSAT by period' }).getAttribute('aria-describedby'), 'dash-trend-table');
  // The latest RATER gaps of the seeded assessment: 6 − 3 = 3 in every dimension.
  const gaps = await page.locator('#dash-gap-table tbody td').allTextContents();
  assert.deepEqual(gaps, ['3.00', '3.00', '3.00', '3.00', '3.00']);
  assert.deepEqual(await violations(page), []);
  await screenshot(page, 'dashboard-en');
  assert.deepEqual(page.errors, []);
});

test('the CSV of cards opens as a spreadsheet expects, with formulas defused', async () => {
  const page = await seeded();
  const file = await download(page, () => page.getByRole('button', { name: 'Export CSV', exact: true }).click());
  assert.match(file.name, /^cards-\d{4}-\d{2}-\d{2}\.csv$/);
  assert.ok(file.text.startsWith('\ufeff'), 'UTF-8 byte-order mark');
  const lines = file.text.slice(1).split('\r\n').filter(Boolean);
  assert.equal(lines.length, 11);
  assert.ok(lines[0].startsWith('Id,Date,Jalali date,Branch,Touchpoint,Language,Card version,'));
  assert.match(lines[1], /^[0-9a-f-]{36},\d{4}-\d{2}-\d{2} \d{2}:\d{2},1[34]\d\d\/\d\d\/\d\d,/);
  const hostile = lines.find((l) => l.includes('HYPERLINK'));
  assert.ok(hostile.includes('"\'=HYPERLINK(""http://x"",""click"")"'), hostile);
  assert.deepEqual(page.errors, []);
});

test('Print opens the print dialog and the print view hides the controls', async () => {
  const page = await seeded();
  await page.evaluate(() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; });
  await page.getByRole('button', { name: 'Print', exact: true }).click();
  assert.equal(await page.evaluate(() => window.__printed), 1);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('header.topbar').isVisible(), false);
  assert.equal(await page.getByRole('button', { name: 'Export CSV' }).isVisible(), false);
  assert.equal(await tile(page, 'CSAT').isVisible(), true);
  await screenshot(page, 'dashboard-print-en');
});

test('in Persian the figures use Persian digits and the screen is accessible', async () => {
  const page = await seeded('fa');
  assert.equal(await tile(page, locales.fa['dash.csat']).textContent(), '۶۰%');
  assert.equal(await tile(page, locales.fa['dash.nps']).textContent(), '۲۰');
  assert.deepEqual(await violations(page), []);
  await screenshot(page, 'dashboard-fa');
  assert.deepEqual(page.errors, []);
});
