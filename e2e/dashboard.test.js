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

const daysAgo = (n) => new Date(Date.now() - n * 86400000);

// Feedback worked by hand: three complaints logged 40 days ago and never answered (past their
// 24-hour target), two suggestions logged yesterday (within their 72 hours).
const FEEDBACK = [40, 40, 40, 1, 1].map((n, i) => ({
  ...fixtures.feedback(`Item ${i + 1}`, daysAgo(n).toISOString()),
  kind: i < 3 ? 'complaint' : 'suggestion',
}));

// An assessment five days ago with one action still planned and late, and one done.
const action = (status, due) => ({ id: require('node:crypto').randomUUID(), dimension: 'reliability', text: 'Call back within a day', owner: 'Reza', due, status });

function seed() {
  const day = (i) => daysAgo(i + 1).toISOString();
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
  const assessed = daysAgo(5).toISOString().slice(0, 10);
  const actions = [action('planned', '2020-01-01'), action('done', '2020-01-01')];
  return fixtures.file({ cards, feedback: FEEDBACK, assessments: [fixtures.assessment(assessed, 3, { actions })] });
}

async function seeded(lang = 'en') {
  const page = await newPage(env.browser);
  await open(page, env.base, '#/data');
  await page.getByLabel('Import', { exact: true }).setInputFiles({ name: 'seed.json', mimeType: 'application/json', buffer: Buffer.from(seed()) });
  await page.getByRole('button', { name: 'Confirm import' }).click();
  await page.getByText(/Import finished: 16 added/).waitFor();
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
  // The latest RATER gaps of the seeded assessment: 6 − 3 = 3 in every dimension.
  const gaps = await page.locator('#dash-gap-table tbody td').allTextContents();
  assert.deepEqual(gaps.slice(1), ['3.00', '3.00', '3.00', '3.00', '3.00']);
  // The branch filter narrows the cards, and the assessments to that team's.
  await page.getByLabel('Branch', { exact: true }).selectOption('Vanak');
  await page.waitForFunction(() => document.querySelector('.tile-value').textContent === '4');
  assert.equal(await tile(page, 'CSAT').textContent(), 'Too few answers (4)');
  await page.getByText(locales.en['dash.no_assessments']).waitFor();
  // Charts are named and point to their summary and their table.
  assert.equal(await page.getByRole('img', { name: 'CSAT and NPS by period' }).getAttribute('aria-describedby'),
    'dash-trend-summary dash-trend-table');
  assert.deepEqual(page.errors, []);
});

test('charts are summed up in words, and periods are named months', async () => {
  const page = await seeded();
  // Overall ratings 5 ×3, 4 ×3, 3 ×2, 2 ×1, 1 ×1: two ties, at the top and at the bottom.
  const label = (v) => `${v} · ${locales.en[`scale.satisfaction.${v}`]}`;
  assert.equal(await page.locator('#dash-spread-summary').textContent(),
    `Highest: ${label(5)}, ${label(4)} (3). Lowest: ${label(2)}, ${label(1)} (1).`);
  // Only responsiveness was asked on these cards.
  assert.equal(await page.locator('#dash-dimensions-summary').textContent(), 'Only Responsiveness has a figure: 3.20.');
  const dims = page.getByRole('img', { name: 'Mean rating per RATER dimension (1–5)' });
  assert.equal(await dims.getAttribute('aria-describedby'), 'dash-dimensions-summary dash-dims-table');
  // The trend runs month by month over the last 90 days, named like "November 2026", and its
  // cards add up to the ten seeded.
  const month = (d) => d.toLocaleString('en-GB', { month: 'long', year: 'numeric' });
  const rows = page.locator('#dash-trend-table tbody tr');
  const names = await rows.locator('th').allTextContents();
  assert.equal(names.at(-1), month(new Date()));
  assert.equal(names[0], month(daysAgo(89)));
  const counts = (await rows.locator('td:nth-of-type(1)').allTextContents()).map(Number);
  assert.equal(counts.reduce((a, b) => a + b, 0), 10);
  await page.getByLabel('Trend by').selectOption('quarter');
  await page.waitForFunction(() => /^Q\d \d{4}$/.test(document.querySelector('#dash-trend-table tbody th').textContent));
  assert.deepEqual(page.errors, []);
});

test('feedback figures match the ones worked by hand', async () => {
  const page = await seeded();
  assert.equal(await tile(page, 'Items').textContent(), '5');
  const kinds = page.locator('#dash-kinds tbody tr');
  assert.deepEqual(await kinds.locator('td').allTextContents(), ['2', '0', '3', '0']);
  assert.deepEqual(await kinds.locator('th').allTextContents(),
    ['suggestion', 'criticism', 'complaint', 'compliment'].map((k) => locales.en[`feedback.kind.${k}`]));
  // The three complaints are overdue and listed, each a link to its item.
  await page.getByRole('heading', { name: 'Overdue now: 3' }).waitFor();
  assert.equal(await page.getByRole('list', { name: 'Overdue now: 3' }).getByRole('link').count(), 3);
  // Items per period add up per kind.
  const totals = await page.locator('#dash-feedback-trend-table tbody td:last-child').allTextContents();
  assert.equal(totals.map(Number).reduce((a, b) => a + b, 0), 5);
  // Nothing answered yet: no time to first response, and all five logged the same day.
  assert.equal(await tile(page, 'Median time to first response').textContent(), 'None yet');
  await page.getByText('Rests on 0 items; at least 5 are needed').first().waitFor();
  assert.equal(await tile(page, 'Logged the same day').textContent(), '100%');
  // The seeded assessment's action: one to do, late.
  await page.getByText('Actions still to do: 1, of which 1 past their due date.').waitFor();
  const file = await download(page, () => page.getByRole('button', { name: 'Export feedback CSV' }).click());
  assert.ok(file.text.startsWith('\ufeff'));
  const lines = file.text.slice(1).split('\r\n').filter(Boolean);
  assert.equal(lines.length, 6);
  assert.equal(lines.filter((l) => l.includes(',complaint,')).length, 3, lines.join('\n'));
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
  // The filters give way to one line that says what the report covers.
  assert.equal(await page.getByLabel('Branch', { exact: true }).isVisible(), false);
  assert.match(await page.locator('.print-only').textContent(), /^From \d+ \w+ \d{4} to \d+ \w+ \d{4} · Branch: All · Customer segment: All · Printed /);
  await screenshot(page, 'dashboard-print-en');
});

test('in Persian the figures use Persian digits and the screen is accessible', async () => {
  const page = await seeded('fa');
  assert.equal(await tile(page, locales.fa['dash.csat']).textContent(), '۶۰%');
  assert.equal(await tile(page, locales.fa['dash.nps']).textContent(), '۲۰');
  // Periods are Jalali months, named as the Persian calendar names them.
  const jalali = (part) => new Date().toLocaleString('fa-IR-u-ca-persian', { [part]: part === 'year' ? 'numeric' : 'long' });
  const month = `${jalali('month')} ${jalali('year')}`;
  assert.equal((await page.locator('#dash-trend-table tbody th').allTextContents()).at(-1), month);
  assert.deepEqual(await violations(page), []);
  await screenshot(page, 'dashboard-fa');
  assert.deepEqual(page.errors, []);
});
