// Service standards: one written in both languages and tied to the complaint target shows on
// the dashboard how often it was kept; the screen is accessible in both languages and edits
// and deletes its standards.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { setup, newPage, open, chooseImport, screenshot, violations, locales } = require('./helpers');
const fixtures = require('./fixtures');

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

const daysAgo = (n) => new Date(Date.now() - n * 86400000).toISOString();

test('a standard tied to the complaint target shows on the dashboard how often it was kept', async () => {
  const page = await newPage(env.browser);
  await open(page, env.base, '#/settings');
  await page.getByRole('link', { name: 'Service standards' }).click();
  await page.getByRole('heading', { name: 'Service standards', level: 1 }).waitFor();
  await page.getByText(locales.en['std.none']).waitFor();
  // Half filled: refused with the reason, nothing saved.
  await page.getByLabel('Standard (English)').fill('Complaints are answered within one working day');
  await page.getByRole('button', { name: 'Add standard' }).click();
  await page.getByRole('alert').getByText(locales.en['std.error']).waitFor();
  await page.getByLabel('Standard (Persian)').fill('به شکایت‌ها در یک روز کاری پاسخ داده می‌شود');
  await page.getByLabel('Guarantee (English)').fill('A free coffee on the next visit');
  await page.getByLabel('Guarantee (Persian)').fill('یک قهوهٔ رایگان در مراجعهٔ بعد');
  await page.getByLabel('Dimension').selectOption('responsiveness');
  await page.getByLabel('Measured by').selectOption('feedback:complaint');
  await page.getByRole('button', { name: 'Add standard' }).click();
  await page.getByText('Service standard added.').waitFor();
  await page.getByRole('heading', { name: 'Complaints are answered within one working day', level: 2 }).waitFor();
  assert.deepEqual(await violations(page), []);
  await screenshot(page, 'standards-en');

  // Five complaints logged 40 days ago and never answered: five chances, none kept. One logged
  // a minute ago is not yet a chance either way.
  const items = [40, 40, 40, 40, 40, 0].map((n, i) => fixtures.feedback(`Complaint ${i + 1}`, daysAgo(n)));
  items[5] = fixtures.feedback('Complaint 6', new Date(Date.now() - 60000).toISOString());
  await open(page, env.base, '#/data');
  await chooseImport(page, [{ name: 'f.json', text: fixtures.file({ feedback: items }) }]);
  await page.getByRole('button', { name: 'Confirm import' }).click();
  await page.getByText(/Import finished: 6 added/).waitFor();
  await open(page, env.base, '#/dashboard');
  const row = page.locator('#dash-standards-table').getByRole('row', { name: /^Complaints are answered/ });
  assert.deepEqual(await row.locator('td').allTextContents(),
    ['Responsiveness', 'Complaint resolved within its target', '0%', '5']);

  // The link seen from the target's side in Settings: unlinked there, the standard is no longer
  // measured; linked again there, the figure is back.
  const link = async (choice) => {
    await open(page, env.base, '#/settings');
    const select = page.getByLabel('Complaint: standard');
    await select.selectOption({ label: choice });
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
  };
  await open(page, env.base, '#/settings');
  assert.equal(await page.getByLabel('Complaint: standard').locator('option:checked').textContent(),
    'Complaints are answered within one working day');
  await link('None');
  await open(page, env.base, '#/dashboard');
  assert.deepEqual(await row.locator('td').allTextContents().then((t) => t.slice(1)),
    ['Not measured by the app', '–', '–']);
  await link('Complaints are answered within one working day');
  // The same standard named for a second target is refused: it is measured one way.
  await page.getByLabel('Suggestion: standard').selectOption({ label: 'Complaints are answered within one working day' });
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByText(locales.en['settings.sla.standard.twice']).first().waitFor();
  await open(page, env.base, '#/dashboard');
  assert.deepEqual(await row.locator('td').allTextContents().then((t) => t.slice(2)), ['0%', '5']);

  // Edit, then delete.
  await open(page, env.base, '#/settings/standards');
  await page.getByRole('button', { name: 'Edit Complaints are answered within one working day' }).click();
  await page.getByLabel('Guarantee (English)').fill('A free coffee and a call from the manager');
  await page.getByRole('button', { name: 'Save standard' }).click();
  await page.getByText('Service standard saved.').waitFor();
  await page.getByText('A free coffee and a call from the manager').waitFor();
  await page.getByRole('button', { name: 'Delete standard: Complaints are answered within one working day' }).click();
  await page.getByRole('dialog', { name: 'Delete this service standard?' }).getByRole('button', { name: 'Delete standard' }).click();
  await page.getByText('Service standard deleted.').waitFor();
  await page.getByText(locales.en['std.none']).waitFor();
  assert.deepEqual(page.errors, []);
});

test('the standards screen in Persian is accessible', async () => {
  const page = await newPage(env.browser);
  await open(page, env.base, '#/settings/standards');
  await page.getByLabel('Language').selectOption('fa');
  await page.waitForFunction(() => document.documentElement.lang === 'fa');
  const l = locales.fa;
  await page.getByRole('heading', { name: l['std.title'], level: 1 }).waitFor();
  await page.getByLabel(l['std.text.en']).fill('The phone is answered within three rings');
  await page.getByLabel(l['std.text.fa']).fill('تلفن پیش از سه بوق پاسخ داده می‌شود');
  await page.getByLabel(l['std.guarantee.en']).fill('An apology and a call back');
  await page.getByLabel(l['std.guarantee.fa']).fill('پوزش و تماس دوباره');
  await page.getByLabel(l['std.measure']).selectOption('checklist:greeted_promptly');
  await page.getByRole('button', { name: l['std.add'] }).click();
  await page.getByText(l['std.added']).waitFor();
  await page.getByRole('heading', { name: 'تلفن پیش از سه بوق پاسخ داده می‌شود', level: 2 }).waitFor();
  assert.deepEqual(await violations(page), []);
  await screenshot(page, 'standards-fa');
  assert.deepEqual(page.errors, []);
});
