// The schedule: a quarterly assessment set to start a hundred days ago falls due twice; both
// show as overdue on the Dashboard and the Assessments list until marked done; the screen is
// accessible in both languages.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { setup, newPage, open, screenshot, violations, locales } = require('./helpers');

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

const iso = (daysAgo) => new Date(Date.now() - daysAgo * 86400000).toISOString().slice(0, 10);

test('scheduled work falls due, shows where staff look, and goes once marked done', async () => {
  const page = await newPage(env.browser);
  await open(page, env.base, '#/settings/schedules');
  await page.getByText(locales.en['sched.none']).waitFor();
  await page.getByLabel('What').selectOption('rater');
  await page.getByLabel('Every').selectOption('quarter');
  await page.getByLabel('First due').fill(iso(100));
  // No team: refused with the reason.
  await page.getByRole('button', { name: 'Add to schedule' }).click();
  await page.getByRole('alert').getByText(locales.en['sched.error.team']).waitFor();
  await page.getByLabel('Team or branch').fill('Vanak');
  await page.getByRole('button', { name: 'Add to schedule' }).click();
  await page.getByText('Added to the schedule.').waitFor();
  await page.getByRole('heading', { name: 'RATER gap analysis with Vanak', level: 2 }).waitFor();
  await page.getByText(/^Every quarter, from \d+ \w+ \d{4}$/).waitFor();
  assert.deepEqual(await violations(page), []);
  await screenshot(page, 'schedules-en');

  // A hundred days after the first due day, the second quarter has come too.
  await open(page, env.base, '#/dashboard');
  const due = page.getByRole('region', { name: 'Due now' });
  const marks = due.getByRole('button', { name: /^Mark done: RATER gap analysis with Vanak/ });
  assert.equal(await marks.count(), 2);
  await due.getByText(/^overdue since/).first().waitFor();
  await marks.first().click();
  await page.getByText('Marked done.').waitFor();
  assert.equal(await marks.count(), 1);
  await open(page, env.base, '#/assessments');
  assert.equal(await page.getByRole('region', { name: 'Due now' }).getByRole('button', { name: /^Mark done/ }).count(), 1);
  await page.getByRole('region', { name: 'Due now' }).getByRole('button', { name: /^Mark done/ }).click();
  await page.getByText('Marked done.').waitFor();
  assert.equal(await page.getByRole('region', { name: 'Due now' }).count(), 0);
  assert.deepEqual(page.errors, []);
});

test('the schedule screen in Persian is accessible and counts in the Jalali calendar', async () => {
  const page = await newPage(env.browser);
  await open(page, env.base, '#/settings/schedules');
  await page.getByLabel('Language').selectOption('fa');
  await page.waitForFunction(() => document.documentElement.lang === 'fa');
  const l = locales.fa;
  await page.getByLabel(l['sched.task']).selectOption('report');
  await page.getByLabel(l['sched.every.label']).selectOption('month');
  // 31 Shahrivar 1405: monthly after it, the 30th of each shorter month.
  await page.getByLabel(l['sched.start']).fill('۱۴۰۵/۰۶/۳۱');
  await page.getByRole('button', { name: l['sched.add'] }).click();
  await page.getByText(l['sched.added']).waitFor();
  await page.getByRole('heading', { name: l['sched.task.report'], level: 2 }).waitFor();
  assert.deepEqual(await violations(page), []);
  await screenshot(page, 'schedules-fa');
  await open(page, env.base, '#/dashboard');
  const due = page.getByRole('region', { name: l['sched.due.title'] });
  await due.getByText(/۳۰ مهر ۱۴۰۵/).waitFor();
  assert.deepEqual(page.errors, []);
});
