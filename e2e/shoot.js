// Screenshots of every screen in both languages at phone and desktop widths, for a person to look at.
const { start } = require('./server');
const { launch } = require('./browser');
const fs = require('node:fs');

(async () => {
  const out = process.argv[2] || 'test-results/screenshots';
  fs.mkdirSync(out, { recursive: true });
  const server = await start('dist', '/');
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await launch();
  for (const lang of ['en', 'fa']) {
    for (const [w, h, tag] of [[390, 844, 'phone'], [1366, 900, 'desktop']]) {
      const page = await browser.newPage({ viewport: { width: w, height: h } });
      await page.goto(base);
      await page.evaluate((l) => localStorage.setItem('lp1-pref:lang', JSON.stringify(l)), lang);
      for (const screen of ['cards', 'assessments', 'feedback', 'customers', 'dashboard', 'data', 'settings', 'settings/standards', 'settings/schedules']) {
        await page.goto(`${base}#/${screen}`);
        await page.reload();
        await page.waitForSelector('main h1');
        await page.screenshot({ path: `${out}/${screen.replace('/', '-')}-${lang}-${tag}.png`, fullPage: true });
      }
      await page.close();
    }
  }
  await browser.close();
  server.close();
})();
