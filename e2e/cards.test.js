// The customer's card: filled by keyboard in both languages, the same stored values whatever the
// language, required answers, drafts that survive a reload, and the list of received cards.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { setup, newPage, open, download, storageSnapshot, screenshot, locales } = require('./helpers');

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

async function exported(page) {
  await page.goto(`${env.base}#/data`);
  await page.locator('main h1').waitFor();
  const file = await download(page, () => page.getByRole('button', { name: 'Export all' }).click());
  return JSON.parse(file.text);
}

async function useLanguage(page, lang) {
  await page.evaluate((l) => localStorage.setItem('lp1-pref:lang', JSON.stringify(l)), lang);
  await page.reload();
  await page.locator('main h1').waitFor();
}

/** Fills the default card with the keyboard only, starting from the first radio group. */
async function fillByKeyboard(page, L) {
  const groups = page.getByRole('radiogroup');
  await groups.first().getByRole('radio').first().focus();
  await page.keyboard.press('Space'); // 1
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown'); // 4
  await page.keyboard.press('Tab'); // likelihood to recommend
  await page.keyboard.press('Space'); // 0
  for (let i = 0; i < 9; i++) await page.keyboard.press('ArrowDown'); // 9
  for (let i = 0; i < 5; i++) await page.keyboard.press('Tab'); // past the five RATER items
  await page.keyboard.press('Tab');
  await page.keyboard.type(L === 'fa' ? 'برخورد خوب' : 'Kind staff');
  await page.keyboard.press('Tab');
  await page.keyboard.type(L === 'fa' ? 'صف طولانی بود' : 'The queue was long');
  await page.keyboard.press('Tab');
  await page.keyboard.type('۰۹۱۲ ۳۴۵ ۶۷۸۹');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space'); // consent
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter'); // Submit
  await page.getByRole('heading', { name: locales[L]['card.thanks.title'] }).waitFor();
}

test('a card filled by keyboard in English and in Persian stores the same values', async () => {
  const page = await newPage(env.browser);
  await open(page, env.base, '#/cards');
  const groups = page.getByRole('radiogroup');
  assert.equal(await groups.count(), 7);
  const overall = groups.first();
  assert.equal(await overall.getAttribute('aria-labelledby') !== null, true);
  const values = await overall.getByRole('radio').evaluateAll((rs) => rs.map((r) => r.value));
  assert.deepEqual(values, ['1', '2', '3', '4', '5']);
  await overall.getByRole('radio', { name: 'Very satisfied' }).waitFor();
  await fillByKeyboard(page, 'en');
  await screenshot(page, 'card-thanks-en');

  await page.getByRole('button', { name: 'Fill another card' }).click();
  await useLanguage(page, 'fa');
  // In Persian the scale runs right to left: 1 stands to the right of 5, and means the same.
  const fa = page.getByRole('radiogroup').first();
  const one = await fa.getByRole('radio', { name: locales.fa['scale.satisfaction.1'] }).locator('..').boundingBox();
  const five = await fa.getByRole('radio', { name: locales.fa['scale.satisfaction.5'] }).locator('..').boundingBox();
  assert.ok(one.x > five.x, 'in Persian, 1 is to the right of 5');
  await fillByKeyboard(page, 'fa');

  await useLanguage(page, 'en');
  const doc = await exported(page);
  assert.equal(doc.cards.length, 2);
  const byLang = Object.fromEntries(doc.cards.map((c) => [c.lang, c]));
  for (const lang of ['en', 'fa']) {
    const a = byLang[lang].answers;
    assert.equal(a.overall.rating, 4, lang);
    assert.equal(a.recommend.rating, 9, lang);
    assert.deepEqual(a.contact.contact, { value: '۰۹۱۲ ۳۴۵ ۶۷۸۹', consent: true });
    assert.equal(byLang[lang].template_version, 1);
    assert.equal(a.rater_reliability, undefined);
  }
  assert.equal(byLang.fa.answers.improve.text, 'صف طولانی بود');
  assert.equal(doc.templates.length, 1, 'the default card is stored with the first answer');
  assert.deepEqual(page.errors, []);
});

test('the overall rating is required; nothing is stored until it is given', async () => {
  const page = await newPage(env.browser);
  await open(page, env.base, '#/cards');
  const before = await storageSnapshot(page);
  await page.getByLabel('What could we improve?').fill('Nothing else to say');
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('alert').getByText(locales.en['card.error.summary']).waitFor();
  const overall = page.getByRole('radiogroup').first();
  assert.equal(await overall.getAttribute('aria-invalid'), 'true');
  await overall.getByText(locales.en['card.error.required']).waitFor();
  await screenshot(page, 'card-required-en');
  const after = await storageSnapshot(page);
  assert.deepEqual(Object.keys(after).filter((k) => k.startsWith('lp1:')), Object.keys(before).filter((k) => k.startsWith('lp1:')));
  // A contact that is neither phone nor email is refused too.
  await overall.getByRole('radio', { name: 'Satisfied', exact: true }).check();
  await page.getByLabel(/Phone or email/).fill('call me maybe');
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByText(locales.en['card.error.contact']).waitFor();
  await page.getByLabel(/Phone or email/).fill('sara@example.ir');
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('heading', { name: 'Thank you!' }).waitFor();
});

test('a half-filled card survives a reload until it is sent or started over', async () => {
  const page = await newPage(env.browser);
  await open(page, env.base, '#/cards');
  await page.getByRole('radiogroup').first().getByRole('radio', { name: 'Dissatisfied', exact: true }).check();
  await page.getByLabel('What could we improve?').fill('Answer the phone sooner');
  await page.reload();
  await page.getByText(locales.en['card.draft_kept']).waitFor();
  assert.equal(await page.getByRole('radiogroup').first().getByRole('radio', { name: 'Dissatisfied', exact: true }).isChecked(), true);
  assert.equal(await page.getByLabel('What could we improve?').inputValue(), 'Answer the phone sooner');
  await page.getByRole('button', { name: 'Start over' }).first().click();
  await page.reload();
  await page.locator('main h1').waitFor();
  assert.equal(await page.getByLabel('What could we improve?').inputValue(), '');
  assert.equal(await page.getByText(locales.en['card.draft_kept']).count(), 0);
});

test('received cards show hostile comments as text, filter by rating, erase a contact and delete a card', async () => {
  const page = await newPage(env.browser);
  await open(page, env.base, '#/cards');
  await page.evaluate(() => { window.alert = () => { window.__xss = 1; }; });
  const hostile = '<img src=x onerror="window.__xss=1"><script>window.__xss=1</script> ‮ok';
  const send = async (rating, comment, contact) => {
    await page.getByRole('radiogroup').first().getByRole('radio', { name: rating, exact: true }).check();
    if (comment) await page.getByLabel('What could we improve?').fill(comment);
    if (contact) await page.getByLabel(/Phone or email/).fill(contact);
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByRole('button', { name: 'Fill another card' }).click();
  };
  await send('Very dissatisfied', hostile, '09123456789');
  await send('Very satisfied', 'Lovely', null);

  await page.getByRole('link', { name: 'Received cards' }).click();
  await page.getByRole('heading', { name: 'Received cards', level: 1 }).waitFor();
  const items = page.locator('article.card-item');
  assert.equal(await items.count(), 2);
  // Each card is a row until opened.
  for (const row of await items.locator('summary').all()) await row.click();
  // Shown whole among the answers (and cut short on the closed row).
  await items.locator('dd').getByText(hostile).waitFor();
  assert.equal(await page.locator('main img, main script').count(), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  await page.getByText(/CSAT: not enough answers/).waitFor();
  await screenshot(page, 'received-en');

  await page.getByLabel('Overall rating').selectOption({ label: '1 · Very dissatisfied' });
  assert.equal(await items.count(), 1);
  await page.getByRole('button', { name: 'Erase contact details' }).click();
  await page.getByText('Contact details erased; the ratings are kept.').waitFor();
  assert.equal(await page.getByText('09123456789').count(), 0);
  await items.locator('dd').getByText('1 · Very dissatisfied').waitFor();

  await page.getByRole('button', { name: 'Delete card' }).click();
  await page.getByRole('dialog', { name: 'Delete this card?' }).getByRole('button', { name: 'Delete card' }).click();
  await page.getByText('The card was deleted.').waitFor();
  await page.getByText(locales.en['received.empty']).waitFor();
  await page.getByLabel('Overall rating').selectOption({ label: 'Any' });
  assert.equal(await items.count(), 1);

  // Dates are typed in the user's calendar: today, in Jalali, keeps today's card.
  await useLanguage(page, 'fa');
  const today = await page.evaluate(() => new Intl.DateTimeFormat('en-u-ca-persian-nu-latn', { year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date()));
  const [m, d, y] = today.replace(/ AP$/, '').split('/');
  await page.getByLabel(locales.fa['received.filter.from'], { exact: true }).fill(`${y}/${m}/${d}`);
  assert.equal(await items.count(), 1);
  await page.getByLabel(locales.fa['received.filter.from'], { exact: true }).fill(`${Number(y) + 1}/01/01`);
  assert.equal(await items.count(), 0);
  await page.getByLabel(locales.fa['received.filter.from'], { exact: true }).fill('not a date');
  assert.equal(await page.getByLabel(locales.fa['received.filter.from'], { exact: true }).getAttribute('aria-invalid'), 'true');
  await screenshot(page, 'received-fa');
  assert.deepEqual(page.errors, []);
});

test('the card fits a 320 px phone: no sideways scroll, every target at least 44 px', async () => {
  const page = await newPage(env.browser, { viewport: { width: 320, height: 640 } });
  await open(page, env.base, '#/cards');
  for (const lang of ['en', 'fa']) {
    await useLanguage(page, lang);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${lang}: scrolls sideways by ${overflow}px`);
    const small = await page.locator('.card-form label.point, .card-form button, .card-form label.check').evaluateAll((els) =>
      els.map((e) => e.getBoundingClientRect()).filter((r) => r.width < 44 || r.height < 44).length);
    assert.equal(small, 0, `${lang}: targets under 44 px`);
    await screenshot(page, `card-320-${lang}`);
  }
});
