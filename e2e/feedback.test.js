// Feedback: a complaint registered by keyboard and handled to closure with a follow-up call, then
// reopened; the same in Persian; hostile text in every field shown as text; a low card raised as
// feedback in one step; the inbox's filters and search; axe-core on every feedback screen.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { setup, newPage, open, screenshot, violations, locales } = require('./helpers');
const fixtures = require('./fixtures');

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

const HOSTILE = {
  description: 'Long wait <img src=x onerror="window.__pwned=1"> at the desk',
  customer: '<script>window.__pwned=2</script>Ali',
  name: '"><svg onload="window.__pwned=3">Sara',
  assignee: '<b onmouseover="window.__pwned=4">Reza</b>',
  response: '</textarea><img src=y onerror="window.__pwned=5">Sorry',
  notes: '{{7*7}} ${7*7} <iframe src="javascript:window.__pwned=6">',
  call: '<a href="javascript:window.__pwned=7">link</a> happy now',
};

async function handle(page, l, { status, assignee, response }) {
  if (assignee !== undefined) await page.getByLabel(l['fb.assignee'], { exact: true }).fill(assignee);
  if (response !== undefined) await page.getByLabel(l['fb.response'], { exact: true }).fill(response);
  await page.getByLabel(l['fb.status'], { exact: true }).selectOption({ label: l[`feedback.status.${status}`] });
  await page.getByRole('button', { name: l['fb.save'], exact: true }).click();
  await page.locator('.badges .badge.status', { hasText: l[`feedback.status.${status}`] }).waitFor();
}

async function flow(lang) {
  const l = locales[lang];
  const page = await newPage(env.browser);
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  await open(page, env.base, '#/feedback');
  if (lang === 'fa') {
    await page.getByLabel('Language').selectOption('fa');
    await page.waitForFunction(() => document.documentElement.lang === 'fa');
  }
  await page.getByLabel(l['fb.me'], { exact: true }).fill(HOSTILE.name);
  await page.getByLabel(l['fb.me'], { exact: true }).press('Tab');

  // Registering by keyboard alone: Kind has focus, Tab moves through the form, Enter saves.
  await page.getByRole('button', { name: l['fb.new'], exact: true }).click();
  const kind = page.getByLabel(l['fb.kind'], { exact: true }).first();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'fb-kind');
  assert.equal(await kind.inputValue(), 'complaint');
  assert.deepEqual(await violations(page), []);
  await page.getByLabel(l['fb.kind'], { exact: true }).first().focus();
  await page.keyboard.press('Tab'); // Channel: phone by default
  await page.keyboard.press('Tab');
  await page.keyboard.type(HOSTILE.description);
  await page.keyboard.press('Tab'); // day: today
  await page.keyboard.press('Tab'); // the day's calendar button
  await page.keyboard.press('Tab'); // time: now
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'fb-dimension');
  await page.keyboard.press('Tab'); // segment
  await page.keyboard.press('Tab');
  await page.keyboard.type(HOSTILE.customer);
  await page.keyboard.press('Tab');
  await page.keyboard.type('0912 345 6789');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.getByText(l['fb.saved']).waitFor();
  assert.match(page.url(), /#\/feedback\/item\?id=/);
  await page.getByText(HOSTILE.description, { exact: true }).waitFor();
  await page.getByText(HOSTILE.customer, { exact: true }).waitFor();

  // Handle it: assign, wait on the customer (the clock pauses), back in progress, resolve.
  await handle(page, l, { status: 'in_progress', assignee: HOSTILE.assignee });
  await page.getByLabel(l['fb.notes'], { exact: true }).fill(HOSTILE.notes);
  await handle(page, l, { status: 'waiting_on_customer' });
  await page.getByText(l['fb.paused']).waitFor();
  await handle(page, l, { status: 'in_progress' });
  await handle(page, l, { status: 'resolved', response: HOSTILE.response });
  const callDue = page.locator('section[aria-labelledby="fb-call"] .clock');
  await callDue.waitFor();

  // The call list shows the customer to call, with the number they agreed to be called on.
  await page.getByRole('link', { name: l['fb.tab.calls'], exact: true }).click();
  await page.getByRole('heading', { name: HOSTILE.customer }).waitFor();
  await page.getByRole('link', { name: lang === 'fa' ? '۰۹۱۲ ۳۴۵ ۶۷۸۹' : '0912 345 6789' }).waitFor();
  await page.getByRole('link', { name: HOSTILE.customer }).click();

  // The follow-up call, then closing, then reopening.
  await page.getByRole('button', { name: l['fb.call.log'], exact: true }).click();
  await page.getByRole('radiogroup', { name: l['fb.call.satisfied'] }).getByRole('radio', { name: l['scale.satisfaction.4'], exact: true }).check();
  await page.getByLabel(l['fb.call.notes'], { exact: true }).fill(HOSTILE.call);
  await page.getByRole('button', { name: l['fb.call.save'], exact: true }).click();
  await page.getByText(l['fb.call.logged']).waitFor();
  await page.getByText(HOSTILE.call, { exact: true }).waitFor();
  await handle(page, l, { status: 'closed' });
  // A closed item can only be reopened.
  const choices = await page.getByLabel(l['fb.status'], { exact: true }).locator('option').allTextContents();
  assert.deepEqual(choices, [l['feedback.status.in_progress'], l['feedback.status.closed']]);
  await handle(page, l, { status: 'in_progress' });
  await page.reload();
  await page.locator('.badges .badge.status', { hasText: l['feedback.status.in_progress'] }).waitFor();

  // Every change is in the history, newest first, with who made it.
  const history = await page.locator('ol.history li').allTextContents();
  const fill = (key, args) => Object.entries(args).reduce((s, [k, v]) => s.replace(`{${k}}`, v), l[key]);
  const st = (s) => l[`feedback.status.${s}`];
  const expected = [
    fill('fb.h.status', { from: st('closed'), to: st('in_progress') }),
    fill('fb.h.status', { from: st('resolved'), to: st('closed') }),
    fill('fb.h.called_rated', { n: lang === 'fa' ? '۴' : '4' }),
  ];
  for (const [i, text] of expected.entries()) {
    assert.ok(history[i].endsWith(text), `${history[i]} ends with ${text}`);
    assert.ok(history[i].includes(HOSTILE.name), history[i]);
  }
  assert.ok(history.at(-1).endsWith(l['fb.h.registered']));
  assert.ok(history.some((h) => h.endsWith(fill('fb.h.assigned', { name: HOSTILE.assignee }))));
  assert.equal(history.length, 12);
  // Reopening drops nothing already logged: the call is still there.
  await page.getByText(HOSTILE.call, { exact: true }).waitFor();

  // Nothing typed ran as markup.
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.locator('main img, main iframe, main svg[onload], main b').count(), 0);
  assert.deepEqual(dialogs, []);
  assert.deepEqual(await violations(page), []);
  await screenshot(page, `feedback-item-${lang}`);

  // The inbox: open items by default, counts, search.
  await page.getByRole('link', { name: l['fb.tab.inbox'], exact: true }).click();
  await page.getByRole('link', { name: HOSTILE.description }).waitFor();
  await page.getByLabel(l['fb.search'], { exact: true }).fill('desk');
  await page.getByRole('link', { name: HOSTILE.description }).waitFor();
  await page.getByLabel(l['fb.search'], { exact: true }).fill('nothing like this');
  await page.getByText(l['fb.none']).waitFor();
  await page.getByLabel(l['fb.search'], { exact: true }).fill('');
  await page.getByLabel(l['fb.kind'], { exact: true }).selectOption('compliment');
  await page.getByText(l['fb.none']).waitFor();
  assert.deepEqual(await violations(page), []);
  await page.getByRole('link', { name: l['fb.tab.calls'], exact: true }).click();
  await page.locator('main h1', { hasText: l['fb.calls.title'] }).waitFor();
  assert.deepEqual(await violations(page), []);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(page.errors, []);
}

test('a complaint registered by keyboard is handled to closure with a follow-up call, then reopened', async () => {
  await flow('en');
});

test('the same in Persian', async () => {
  await flow('fa');
});

test('a card with a low rating becomes a feedback item in one step, linked to it', async () => {
  const page = await newPage(env.browser);
  const card = {
    ...fixtures.card(0, '2026-11-20T10:00:00.000Z'),
    template: '4c504341-5244-4445-4641-000000000001',
    answers: {
      overall: { rating: 1 },
      rater_responsiveness: { rating: 1 },
      improve: { text: 'Nobody at the counter for ten minutes' },
      contact: { contact: { value: 'sara@example.ir', consent: true } },
    },
  };
  const happy = { ...fixtures.card(1, '2026-11-21T10:00:00.000Z'), template: card.template, answers: { overall: { rating: 5 } } };
  await open(page, env.base, '#/data');
  await page.getByLabel('Import', { exact: true }).setInputFiles({ name: 'c.json', mimeType: 'application/json', buffer: Buffer.from(fixtures.file({ cards: [card, happy] })) });
  await page.getByRole('button', { name: 'Confirm import' }).click();
  await page.getByText(/Import finished: 2 added/).waitFor();
  await open(page, env.base, '#/cards/received');
  for (const row of await page.locator('article.card-item summary').all()) await row.click();
  // Only the card that asks for action offers it.
  assert.equal(await page.getByRole('button', { name: 'Raise feedback' }).count(), 1);
  await page.getByRole('button', { name: 'Raise feedback' }).click();
  await page.getByText('Feedback item raised from this card.').waitFor();
  await page.locator('main h1', { hasText: 'Complaint' }).waitFor();
  await page.getByText('Nobody at the counter for ten minutes', { exact: true }).waitFor();
  await page.getByText('Satisfaction card', { exact: true }).waitFor();
  await page.getByText('Responsiveness', { exact: true }).waitFor();
  await page.getByText(/sara@example\.ir/).waitFor();
  // Correcting the details keeps the handling and says so in the history.
  await page.getByRole('button', { name: 'Correct the details' }).click();
  await page.getByLabel('Kind', { exact: true }).selectOption('criticism');
  await page.getByRole('button', { name: 'Save', exact: true }).first().click();
  await page.locator('main h1', { hasText: 'Criticism' }).waitFor();
  await page.locator('ol.history li', { hasText: 'Details changed' }).waitFor();
  assert.equal(await page.locator('ol.history li').count(), 2);
  await open(page, env.base, '#/cards/received');
  for (const row of await page.locator('article.card-item summary').all()) await row.click();
  await page.getByRole('link', { name: 'Open its feedback item' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Raise feedback' }).count(), 0);
  assert.deepEqual(page.errors, []);
});

test('the new-feedback form refuses what it cannot keep, with a reason, and the inbox says when nothing is there', async () => {
  const page = await newPage(env.browser);
  await open(page, env.base, '#/feedback');
  await page.getByText(locales.en['fb.none']).waitFor();
  await page.getByRole('button', { name: 'New feedback' }).click();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('alert').getByText(locales.en['fb.error.description']).waitFor();
  await page.getByLabel('Description', { exact: true }).fill('Parking was full');
  await page.getByLabel('Phone or email', { exact: true }).fill('call me maybe');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('alert').getByText(locales.en['fb.error.contact']).waitFor();
  await page.getByLabel('Phone or email', { exact: true }).fill('');
  await page.getByLabel('Time (hh:mm)', { exact: true }).fill('25:00');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('alert').getByText(locales.en['fb.error.when']).waitFor();
  assert.deepEqual(await violations(page), []);
  const stored = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('lp1:f')).length);
  assert.equal(stored, 0);
  await open(page, env.base, '#/feedback/item?id=00000000-0000-4000-8000-000000000000');
  await page.getByText(locales.en['fb.missing']).waitFor();
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(page.errors, []);
});
