// axe-core finds no violations on any screen, in English and in Persian; each screen is
// photographed at phone and desktop widths as a test artifact.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { setup, newPage, open, chooseImport, screenshot, violations } = require('./helpers');
const fx = require('./fixtures');

const SCREENS = ['cards', 'cards/received', 'cards/designer', 'assessments', 'assessments/run', 'assessments/actions',
  'feedback', 'feedback/calls', 'customers', 'dashboard', 'data', 'settings', 'settings/standards', 'settings/schedules', 'settings/sync', 'nowhere'];

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });


for (const lang of ['en', 'fa']) {
  for (const [width, height, tag] of [[390, 844, 'phone'], [1366, 900, 'desktop']]) {
    test(`no axe violations on any screen (${lang}, ${tag})`, async () => {
      const page = await newPage(env.browser, { viewport: { width, height } });
      await open(page, env.base, '#/data');
      await page.evaluate((l) => localStorage.setItem('lp1-pref:lang', JSON.stringify(l)), lang);
      for (const screen of SCREENS) {
        await page.goto(`${env.base}#/${screen}`);
        await page.reload();
        await page.locator('main h1').waitFor();
        assert.deepEqual(await violations(page), [], `${screen} in ${lang}`);
        // Nothing may scroll sideways, even at phone width.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `${screen} scrolls sideways by ${overflow}px`);
        await screenshot(page, `${screen.replace("/", "-")}-${lang}-${tag}`);
      }
      // The import preview and the confirmation dialog are screens of their own.
      await page.goto(`${env.base}#/data`);
      await page.locator('main h1').waitFor();
      await chooseImport(page, [{ name: 'kiosk-1.json', text: fx.file({ cards: [fx.card(1)] }) }, { name: 'bad.json', text: '{' }],
        lang === 'fa' ? 'درون‌بُرد' : 'Import');
      assert.deepEqual(await violations(page), [], `import preview in ${lang}`);
      await screenshot(page, `data-preview-${lang}-${tag}`);
      await page.locator('.danger-zone > button').click();
      await page.locator('dialog[open]').waitFor();
      assert.deepEqual(await violations(page), [], `delete dialog in ${lang}`);
      await screenshot(page, `data-dialog-${lang}-${tag}`);
      assert.deepEqual(page.errors, []);
    });
  }
}
