// The card designer: a new template in both languages with a choice question, previews in each
// language, reordering by keyboard, versioning once cards exist, duplicate and archive.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { setup, newPage, open, download, screenshot, violations, locales } = require('./helpers');

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

test('design a card, fill it, edit it into version 2, and old cards keep their wording', async () => {
  const page = await newPage(env.browser);
  await open(page, env.base, '#/cards/designer');
  await page.getByRole('button', { name: 'New card template' }).click();
  await page.getByLabel('Name in English').fill('Delivery check');
  await page.getByLabel('Name in Persian').fill('بررسی تحویل');
  await page.getByLabel('Question in English').fill('Did it arrive on time?');
  await page.getByLabel('Question in Persian').fill('به‌موقع رسید؟');
  await page.getByRole('button', { name: 'Add question' }).click();
  const second = page.locator('fieldset.question-edit').nth(1);
  await second.getByLabel('Question type').selectOption({ label: 'Single choice' });
  await second.getByLabel('Question in English').fill('How did you order?');
  await second.getByLabel('Question in Persian').fill('چگونه سفارش دادید؟');
  await second.getByLabel('Choices in English, one per line').fill('Phone\nWebsite');
  await second.getByLabel('Choices in Persian, one per line').fill('تلفن');
  await second.getByLabel('Answer required').check();
  await page.getByRole('button', { name: 'Save template' }).click();
  await page.getByRole('alert').getByText(locales.en['designer.error.options']).waitFor();
  await second.getByLabel('Choices in Persian, one per line').fill('تلفن\nوب‌سایت');

  // Previews in both languages show the same card.
  const faPreview = page.locator('.preview-body[lang="fa"]');
  await faPreview.getByText('چگونه سفارش دادید؟').waitFor();
  assert.equal(await faPreview.getAttribute('dir'), 'rtl');
  await page.locator('.preview-body[lang="en"]').getByText('How did you order?').waitFor();

  // Keyboard reorder: the choice question moves to the top.
  await second.getByRole('button', { name: 'Move up' }).click();
  await page.getByText('Question moved to position 1.').waitFor();
  assert.equal(await page.locator('fieldset.question-edit').first().getByLabel('Question in English').inputValue(), 'How did you order?');
  const first = page.locator('fieldset.question-edit').first();
  assert.equal(await first.getByRole('button', { name: 'Move up' }).isDisabled(), true);
  await first.getByRole('button', { name: 'Move down' }).click();
  await page.getByText('Question moved to position 2.').waitFor();
  await page.locator('fieldset.question-edit').nth(1).getByRole('button', { name: 'Move up' }).click();
  await page.getByText('Question moved to position 1.').waitFor();
  assert.equal(await page.locator('fieldset.question-edit').last().getByRole('button', { name: 'Move down' }).isDisabled(), true);
  assert.equal(await page.locator('main').getByText('edit.questions').count(), 0);
  assert.deepEqual(await violations(page), []);
  await screenshot(page, 'designer-edit-en');
  await page.getByRole('button', { name: 'Save template' }).click();
  await page.getByText('Template saved.').waitFor();

  const item = page.locator('.template-list li', { hasText: 'Delivery check' });
  const link = (await item.getByText(/^On this device's own tablets and kiosks: /).textContent()).split(': ')[1];
  await page.goto(`${env.base}${link}`);
  await page.getByRole('radiogroup', { name: /How did you order\?/ }).getByRole('radio', { name: 'Website' }).check();
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('heading', { name: 'Thank you!' }).waitFor();

  // Editing a card that has answers makes version 2; the received card keeps version 1's words.
  await page.goto(`${env.base}#/cards/designer`);
  await page.locator('.template-list li', { hasText: 'Delivery check' }).getByRole('button', { name: 'Edit' }).click();
  await page.locator('fieldset.question-edit').first().getByLabel('Question in English').fill('Where did you order?');
  await page.locator('fieldset.question-edit').first().getByLabel('Question in Persian').fill('از کجا سفارش دادید؟');
  await page.getByRole('button', { name: 'Save template' }).click();
  await page.getByText(/Template saved as version 2/).waitFor();
  await page.locator('.template-list li', { hasText: 'Delivery check' }).getByText(/Version 2/).waitFor();
  await page.getByRole('link', { name: 'Received cards' }).click();
  await page.locator('article.card-item summary').click();
  await page.locator('article.card-item').getByText('How did you order?').waitFor();
  await page.locator('article.card-item').getByText('Website').waitFor();
  await page.getByLabel('Card', { exact: true }).selectOption({ label: 'Satisfaction card' });
  await page.getByText(locales.en['received.empty']).waitFor();
  await page.getByLabel('Card', { exact: true }).selectOption({ label: 'Delivery check' });
  await page.locator('article.card-item summary').click();
  await page.locator('article.card-item').getByText('Website').waitFor();

  // Duplicate and archive.
  await page.getByRole('link', { name: 'Card designer' }).click();
  await page.locator('.template-list li', { hasText: 'Delivery check' }).first().getByRole('button', { name: 'Duplicate' }).click();
  await page.getByText('A copy was made: Delivery check (copy).').waitFor();
  await page.locator('.template-list li', { hasText: 'Delivery check (copy)' }).getByRole('button', { name: 'Archive' }).click();
  await page.locator('.template-list li', { hasText: 'Delivery check (copy)' }).getByText(/Archived/).waitFor();
  await screenshot(page, 'designer-list-en');

  // The templates travel in the export, with the earlier version kept.
  await page.goto(`${env.base}#/data`);
  const file = await download(page, () => page.getByRole('button', { name: 'Export all' }).click());
  const doc = JSON.parse(file.text);
  const t = doc.templates.find((x) => x.name.en === 'Delivery check');
  assert.equal(t.version, 2);
  assert.equal(t.previous[0].version, 1);
  assert.equal(doc.cards[0].template_version, 1);
  assert.deepEqual(page.errors, []);
});

test('the designer is accessible in Persian', async () => {
  const page = await newPage(env.browser, { viewport: { width: 390, height: 844 } });
  await open(page, env.base, '#/cards/designer');
  await page.evaluate(() => localStorage.setItem('lp1-pref:lang', '"fa"'));
  await page.reload();
  await page.getByRole('button', { name: locales.fa['designer.new'] }).click();
  await page.getByLabel(locales.fa['designer.name_fa']).fill('کارت آزمایشی');
  assert.deepEqual(await violations(page), []);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `scrolls sideways by ${overflow}px`);
  await screenshot(page, 'designer-edit-fa-phone');
});

test('questions reorder by dragging the handle, and the preview follows', async () => {
  // Tall enough that both questions are on screen: the drag is one uninterrupted gesture.
  const page = await newPage(env.browser, { viewport: { width: 1280, height: 1400 } });
  await open(page, env.base, '#/cards/designer');
  await page.getByRole('button', { name: 'New card template' }).click();
  await page.getByLabel('Question in English').fill('Arrived on time?');
  await page.getByLabel('Question in Persian').fill('به‌موقع رسید؟');
  await page.getByRole('button', { name: 'Add question' }).click();
  const questions = page.locator('fieldset.question-edit');
  await questions.nth(1).getByLabel('Question in English').fill('Packed well?');
  await questions.nth(1).getByLabel('Question in Persian').fill('خوب بسته‌بندی شده بود؟');
  await page.locator('main h1').click();

  await questions.nth(1).locator('.drag-handle').dragTo(questions.nth(0));
  await page.getByText('Question moved to position 1.').waitFor();
  assert.equal(await questions.nth(0).getByLabel('Question in English').inputValue(), 'Packed well?');
  assert.equal(await questions.nth(1).getByLabel('Question in English').inputValue(), 'Arrived on time?');
  const preview = page.locator('.preview-body[lang="en"] .question');
  const shown = await preview.allTextContents();
  assert.equal(shown.length, 2);
  assert.match(shown[0], /^Packed well\?/);
  assert.match(shown[1], /^Arrived on time\?/);
  assert.equal(await page.locator('fieldset.question-edit.dragging').count(), 0);
  assert.deepEqual(page.errors, []);
});
