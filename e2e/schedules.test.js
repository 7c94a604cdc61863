// The schedule: a quarterly assessment set to start a hundred days ago falls due twice; both
// show as overdue on the Dashboard and the Assessments list until marked done; the screen is
// accessible in both languages.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { setup, newPage, open, makeTemplate, screenshot, violations, locales } = require('./helpers');

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
  await page.getByLabel('First due', { exact: true }).fill(iso(100));
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
  await page.getByLabel(l['sched.start'], { exact: true }).fill('۱۴۰۵/۰۶/۳۱');
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

const ahead = (days) => iso(-days);

test('a card campaign gives its card at its branches between its days, on the Cards screen and on a kiosk', async () => {
  const page = await newPage(env.browser);
  await open(page, env.base, '#/settings');
  await page.getByLabel('Branches').fill('Tajrish\nVanak');
  await page.getByLabel('Staff PIN').fill('2468');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByText('Settings saved.').waitFor();
  await makeTemplate(page, env.base, { name: ['Spring tasting', 'چشش بهاری'], question: ['How was the new menu?', 'منوی تازه چطور بود؟'] });

  await open(page, env.base, '#/settings/schedules');
  await page.getByLabel('What').selectOption('campaign');
  // A campaign runs once unless asked otherwise.
  assert.equal(await page.getByLabel('Every').inputValue(), 'once');
  await page.getByLabel('Card', { exact: true }).selectOption({ label: 'Spring tasting' });
  await page.getByLabel('First day', { exact: true }).fill(iso(1));
  // A last day before the first: refused with the reason.
  await page.getByLabel('Last day', { exact: true }).fill(iso(3));
  await page.getByRole('button', { name: 'Add to schedule' }).click();
  await page.getByRole('alert').getByText(locales.en['sched.error.last']).waitFor();
  await page.getByLabel('Last day', { exact: true }).fill(ahead(1));
  await page.getByRole('group', { name: 'At branches' }).getByLabel('Vanak').check();
  await page.getByRole('button', { name: 'Add to schedule' }).click();
  await page.getByText('Added to the schedule.').waitFor();
  const entry = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Card campaign: Spring tasting at Vanak', level: 2 }) });
  await entry.getByText(/^From \d+ \w+ \d{4} to \d+ \w+ \d{4}$/).waitFor();
  await entry.getByText(/^running until/).waitFor();
  assert.deepEqual(await violations(page), []);
  await screenshot(page, 'schedules-campaign-en');

  // The campaign's branch gets its card; the other branch keeps the default.
  const campaignQuestion = page.getByText('How was the new menu?');
  await open(page, env.base, '#/cards?branch=Vanak');
  await campaignQuestion.waitFor();
  await open(page, env.base, '#/cards?branch=Tajrish');
  await page.getByText(locales.en['card.default.overall']).waitFor();
  assert.equal(await campaignQuestion.count(), 0);
  // Running campaigns show among the work staff look at.
  await open(page, env.base, '#/dashboard');
  await page.getByRole('region', { name: 'Due now' }).getByText('Card campaign: Spring tasting at Vanak').waitFor();

  // A kiosk at Vanak started with the default card gives the campaign's card, and says so first.
  await open(page, env.base, '#/cards');
  await page.getByText('Kiosk', { exact: true }).click();
  await page.getByLabel('Kiosk branch').selectOption('Vanak');
  await page.getByText(/^A card campaign runs at this branch until .*: with the default card chosen, the kiosk gives Spring tasting until then\.$/).waitFor();
  await page.getByRole('button', { name: 'Start kiosk' }).click();
  await page.getByRole('button', { name: 'Staff' }).waitFor();
  await campaignQuestion.waitFor();
  await page.reload();
  await campaignQuestion.waitFor();
  assert.deepEqual(page.errors, []);
});

test('a campaign that has ended gives nothing, and one set in Persian reads in the Jalali calendar', async () => {
  const page = await newPage(env.browser);
  await makeTemplate(page, env.base, { name: ['Autumn check', 'بررسی پاییزی'], question: ['Was the shop warm enough?', 'فروشگاه به اندازهٔ کافی گرم بود؟'] });
  await open(page, env.base, '#/settings/schedules');
  await page.getByLabel('Language').selectOption('fa');
  await page.waitForFunction(() => document.documentElement.lang === 'fa');
  const l = locales.fa;
  await page.getByLabel(l['sched.task']).selectOption('campaign');
  await page.getByLabel(l['sched.card'], { exact: true }).selectOption({ label: 'بررسی پاییزی' });
  // 1 to 10 Mehr 1405: long over. No branches in Settings: every branch.
  await page.getByLabel(l['sched.first'], { exact: true }).fill('۱۴۰۵/۰۷/۰۱');
  await page.getByLabel(l['sched.last'], { exact: true }).fill('۱۴۰۵/۰۷/۱۰');
  await page.getByRole('button', { name: l['sched.add'] }).click();
  await page.getByText(l['sched.added']).waitFor();
  await page.getByRole('heading', { name: 'کارزار کارت: بررسی پاییزی در همهٔ شعبه‌ها', level: 2 }).waitFor();
  await page.getByText('از ۱ مهر ۱۴۰۵ تا ۱۰ مهر ۱۴۰۵').waitFor();
  assert.deepEqual(await violations(page), []);
  await screenshot(page, 'schedules-campaign-fa');
  await open(page, env.base, '#/cards');
  await page.getByText(l['card.default.overall']).waitFor();
  assert.equal(await page.getByText('فروشگاه به اندازهٔ کافی گرم بود؟').count(), 0);
  assert.deepEqual(page.errors, []);
});
