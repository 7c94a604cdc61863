// Assessments: a full RATER gap assessment rated by keyboard, a reload midway, the results worked
// out as by hand, an action plan tracked to done; the same in Persian; comparison over time and
// the customers' view beside the staff's; axe-core on every assessment screen.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { fmt, setup, newPage, open, download, screenshot, violations, locales } = require('./helpers');
const fixtures = require('./fixtures');

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

// The hand-worked example (also in src/domain/gap.rs): per RATER dimension, in the model's
// order, the (current, desired) ratings of its guiding questions.
const WORKED = [
  ['reliability', [[3, 6], [4, 6], [2, 5], [5, 7]]],
  ['assurance', [[5, 6], [4, 6], [6, 6]]],
  ['tangibles', [[6, 6], [5, 5], [4, 6], [6, 7], [5, 6]]],
  ['empathy', [[3, 6], [4, 7], [3, 6], [5, 6], [4, 6], [5, 5]]],
  ['responsiveness', [[2, 6], [3, 6], [4, 6], [3, 6]]],
];
const PAIRS = WORKED.flatMap(([, pairs]) => pairs);
// Rank order with current, desired, gap, relative weight, priority (default weights 32/19/11/16/22).
const EXPECTED = [
  ['reliability', '3.50', '6.00', '2.50', '1.60', '4.00'],
  ['responsiveness', '3.00', '6.00', '3.00', '1.10', '3.30'],
  ['empathy', '4.00', '6.00', '2.00', '0.80', '1.60'],
  ['assurance', '5.00', '6.00', '1.00', '0.95', '0.95'],
  ['tangibles', '5.20', '6.00', '0.80', '0.55', '0.44'],
];
const FA_DIGITS = '۰۱۲۳۴۵۶۷۸۹';
const persian = (s) => s.replace(/[0-9]/g, (d) => FA_DIGITS[d]).replace('.', '٫');

/** Picks a value in the radio group that has focus, by keyboard, then moves on with Tab. */
async function pickAndTab(page, value) {
  if (value === 1) await page.keyboard.press('Space');
  for (let i = 1; i < value; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Tab');
}

/** Rates questions `from`..`to` (exclusive) by keyboard, starting with focus on question `from`'s Current group. */
async function rateByKeyboard(page, l, from, to) {
  const items = page.locator('.gap-item');
  await items.nth(from).getByRole('radiogroup', { name: l['assess.current'], exact: true }).getByRole('radio').first().focus();
  for (let i = from; i < to; i++) {
    const [current, desired] = PAIRS[i];
    await pickAndTab(page, current);
    await pickAndTab(page, desired);
    // Past the question's Note, onto the next question.
    assert.equal(await page.evaluate(() => document.activeElement.tagName), 'SUMMARY');
    await page.keyboard.press('Tab');
  }
}

async function startAssessment(page, l, assessor, team) {
  await page.getByRole('button', { name: l['assess.new'], exact: true }).click();
  assert.equal(await page.getByLabel(l['assess.model'], { exact: true }).inputValue(), 'rater');
  await page.getByLabel(l['assess.model'], { exact: true }).selectOption({ label: l['model.rater.name'] });
  await page.getByLabel(l['assess.assessor'], { exact: true }).fill(assessor);
  await page.getByLabel(l['assess.team'], { exact: true }).fill(team);
  await page.getByRole('button', { name: l['assess.start'], exact: true }).click();
  await page.locator('.gap-item').first().waitFor();
}

async function gapTable(page) {
  return page.locator('#gap-table tbody tr').evaluateAll((rows) =>
    rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent.trim())));
}

async function fullFlow(lang) {
  const l = locales[lang];
  const page = await newPage(env.browser);
  await open(page, env.base, '#/assessments');
  if (lang === 'fa') {
    await page.getByLabel('Language').selectOption('fa');
    await page.waitForFunction(() => document.documentElement.lang === 'fa');
  }
  await startAssessment(page, l, lang === 'fa' ? 'سارا' : 'Sara', lang === 'fa' ? 'ونک' : 'Front desk');
  assert.match(page.url(), /#\/assessments\/run\?id=/);

  // The spec's names: per question a group named by the question, holding Current and Desired.
  const firstQuestion = l['model.rater.q.promises_kept'];
  const group = page.getByRole('group', { name: firstQuestion, exact: true });
  assert.equal(await group.getByRole('radiogroup', { name: l['assess.current'], exact: true }).getByRole('radio').count(), 7);
  assert.equal(await group.getByRole('radiogroup', { name: l['assess.desired'], exact: true }).getByRole('radio').count(), 7);

  // Half the questions, then a reload: every choice is already saved.
  await rateByKeyboard(page, l, 0, 11);
  const progress = (done) => fmt(l['assess.progress'], {
    done: lang === 'fa' ? persian(String(done)) : String(done),
    total: lang === 'fa' ? persian('22') : '22',
  });
  await page.getByText(progress(11)).first().waitFor();
  await page.reload();
  await page.getByText(progress(11)).first().waitFor();
  const eleventh = page.locator('.gap-item').nth(10);
  assert.equal(await eleventh.getByRole('radiogroup', { name: l['assess.current'], exact: true }).getByRole('radio', { checked: true }).getAttribute('value'), String(PAIRS[10][0]));
  await rateByKeyboard(page, l, 11, 22);
  await page.getByText(progress(22)).first().waitFor();
  assert.deepEqual(await violations(page), []);
  await screenshot(page, `assessment-run-${lang}`);

  await page.getByRole('link', { name: l['assess.show_results'], exact: true }).click();
  await page.locator('#gap-table').waitFor();
  const table = await gapTable(page);
  assert.deepEqual(
    table.map((row) => row.slice(0, 7)),
    // Gap and priority come first after the dimension: what a phone shows without scrolling.
    EXPECTED.map(([dim, current, desired, gap, weight, priority], i) => {
      const cells = [String(i + 1), l[`dimension.${dim}`], gap, priority, current, desired, weight];
      return lang === 'fa' ? cells.map((c, k) => (k === 1 ? c : persian(c))) : cells;
    }),
  );
  // Both charts are there, each pointing to the table of its figures.
  assert.equal(await page.getByRole('img', { name: l['chart.radar'] }).getAttribute('aria-describedby'), 'chart-radar-summary gap-table');
  assert.equal(await page.getByRole('img', { name: l['chart.gaps'] }).getAttribute('aria-describedby'), 'chart-gaps-summary gap-table');
  await page.getByRole('button', { name: l['assess.finish'], exact: true }).click();
  await page.getByText(l['assess.finished_now']).waitFor();

  // Two actions: one already late, one in progress.
  const late = lang === 'fa' ? '۱۴۰۴/۱۰/۲۰' : '2026-01-10';
  await page.getByLabel(l['assess.action.text'], { exact: true }).fill(lang === 'fa' ? 'هر شکایت همان روز پاسخ تلفنی بگیرد' : 'Call back every complaint the same day');
  await page.getByLabel(l['assess.action.owner'], { exact: true }).fill('Reza');
  await page.getByLabel(l['assess.action.due'], { exact: true }).fill(late);
  await page.getByRole('button', { name: l['assess.action.add'], exact: true }).click();
  await page.getByText(l['assess.action.added']).waitFor();
  await page.getByLabel(l['assess.col.dimension'], { exact: true }).selectOption({ label: l['dimension.tangibles'] });
  await page.getByLabel(l['assess.action.text'], { exact: true }).fill(lang === 'fa' ? 'تابلوی راهنمای شعبه تازه شود' : 'Replace the branch signs');
  await page.getByLabel(l['assess.action.owner'], { exact: true }).fill('Mina');
  await page.getByLabel(l['assess.action.due'], { exact: true }).fill(lang === 'fa' ? '۱۴۱۰/۰۱/۱۵' : '2031-04-04');
  await page.getByLabel(l['assess.action.status'], { exact: true }).selectOption({ label: l['assess.status.in_progress'] });
  await page.getByRole('button', { name: l['assess.action.add'], exact: true }).click();
  const items = page.locator('.action-item');
  await items.nth(1).waitFor();
  assert.equal(await items.count(), 2);
  const overdue = page.locator('.action-item.overdue');
  assert.equal(await overdue.count(), 1);
  await overdue.getByText(l['assess.overdue']).waitFor();

  // The late one is done: it no longer stands out, after a reload too.
  await overdue.getByRole('combobox').selectOption({ label: l['assess.status.done'] });
  await page.getByText(l['assess.action.updated']).waitFor();
  await page.reload();
  await page.locator('.action-item').nth(1).waitFor();
  assert.equal(await page.locator('.action-item.overdue').count(), 0);
  assert.deepEqual(await violations(page), []);
  await screenshot(page, `assessment-results-${lang}`);

  // Every action in one list: the one still to do by default, both when asked.
  await page.getByRole('link', { name: l['assess.tab.actions'], exact: true }).click();
  await page.locator('main h1', { hasText: l['assess.actions.title'] }).waitFor();
  assert.equal(await page.locator('.action-item').count(), 1);
  await page.getByLabel(l['assess.actions.show'], { exact: true }).selectOption('all');
  await page.locator('.action-item').nth(1).waitFor();
  assert.deepEqual(await violations(page), []);

  // The due day typed in the user's calendar is stored as the same day.
  await open(page, env.base, '#/data');
  const exported = await download(page, () => page.getByRole('button', { name: l['data.export.button'], exact: true }).click());
  const data = JSON.parse(exported.text);
  assert.equal(data.assessments.length, 1);
  const a = data.assessments[0];
  assert.equal(a.finished, true);
  assert.equal(Object.keys(a.ratings).length, 22);
  assert.deepEqual(a.actions.map((x) => [x.due, x.status]), [['2026-01-10', 'done'], ['2031-04-04', 'in_progress']]);
  assert.deepEqual(page.errors, []);
}

test('a RATER assessment by keyboard, reloaded midway, gives the hand-worked results and tracks its actions', async () => {
  await fullFlow('en');
});

test('the same assessment in Persian: Persian names, digits and Jalali dates', async () => {
  await fullFlow('fa');
});

async function importFile(page, text) {
  await open(page, env.base, '#/data');
  await page.getByLabel('Import', { exact: true }).setInputFiles({ name: 'seed.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  await page.getByRole('button', { name: 'Confirm import' }).click();
  await page.getByText(/Import finished: 5 added/).waitFor();
}

test('two assessments of one team compare side by side and over time; customers\' cards sit beside the staff view', async () => {
  const page = await newPage(env.browser);
  const earlier = fixtures.assessment('2026-03-01', 2);
  const later = fixtures.assessment('2026-09-01', 5);
  const other = fixtures.assessment('2026-06-01', 1, { team: 'Vanak' });
  // Cards on the default card in the 90 days before the later assessment: responsiveness 5 and 3 on 1–5.
  const cards = [5, 3].map((v, i) => ({
    ...fixtures.card(i, `2026-08-0${i + 1}T10:00:00.000Z`),
    template: '4c504341-5244-4445-4641-000000000001',
    answers: { overall: { rating: 4 }, rater_responsiveness: { rating: v } },
  }));
  await importFile(page, fixtures.file({ assessments: [earlier, later, other], cards }));

  await open(page, env.base, '#/assessments/compare');
  await page.getByLabel('Team or branch', { exact: true }).selectOption('Tajrish');
  const rows = await page.locator('section[aria-labelledby="cmp-heading"] tbody tr').evaluateAll((trs) =>
    trs.map((r) => [...r.children].map((c) => c.textContent.trim())));
  assert.equal(rows.length, 5);
  assert.deepEqual(rows[0], ['Reliability', '4.00', '1.00', '−3.00', 'Gap closing']);
  // The trend has one column per assessment of this team, oldest first.
  const head = await page.locator('#trend-table thead th').allTextContents();
  assert.deepEqual(head, ['Dimension', '1 March 2026', '1 September 2026']);
  await page.getByRole('img', { name: 'Gap of each dimension over time' }).waitFor();
  assert.deepEqual(await violations(page), []);
  await screenshot(page, 'assessment-compare-en');

  // The later assessment's results: customers' responsiveness (5 → 7, 3 → 4) averages 5.5 on 1–7.
  await page.goto(`${env.base}#/assessments/results?id=${later.id}`);
  await page.locator('#gap-table').waitFor();
  assert.equal(await page.getByLabel('Branch', { exact: true }).inputValue(), 'Tajrish');
  const customers = page.locator('section[aria-labelledby="customers-heading"]');
  const row = customers.getByRole('row', { name: /^Responsiveness/ });
  assert.deepEqual(await row.locator('td').allTextContents(), ['5.00', '5.50', '0.50', '2']);
  // Outside the chosen dates, no card counts.
  await customers.getByLabel('Cards to', { exact: true }).fill('2026-07-01');
  await customers.getByText(locales.en['assess.customers.none']).waitFor();
  assert.deepEqual(page.errors, []);
});

test('the assessment screens are accessible in Persian, and an unknown assessment says so', async () => {
  const page = await newPage(env.browser);
  await open(page, env.base, '#/assessments');
  await page.getByLabel('Language').selectOption('fa');
  await page.getByRole('button', { name: locales.fa['assess.new'] }).click();
  assert.deepEqual(await violations(page), []);
  for (const hash of ['#/assessments/actions', '#/assessments/compare', '#/assessments/results?id=nope']) {
    await open(page, env.base, hash);
    assert.deepEqual(await violations(page), [], hash);
  }
  await page.getByText(locales.fa['assess.missing']).waitFor();
  // Starting without saying who and where is refused with a reason.
  await open(page, env.base, '#/assessments');
  await page.getByRole('button', { name: locales.fa['assess.new'] }).click();
  await page.getByRole('button', { name: locales.fa['assess.start'] }).click();
  await page.getByRole('alert').getByText(locales.fa['assess.error.who']).waitFor();
  assert.deepEqual(page.errors, []);
});
