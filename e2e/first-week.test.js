// A shop's first week, on a phone (390 px) and a desk (1366 px), in English and in Persian:
// every check below runs in all four. Each pins what a shop manager tripped over: the status
// select, messages out of sight, screens opening mid-page, follow-up calls that did not add up,
// dates in the wrong calendar, "1 cards", the phone's navigation, lists and tables too wide,
// chart text too small, names in one language only, branches on feedback and cards.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { fmt, setup, newPage, open, chooseImport, screenshot, storedJson, violations, locales } = require('./helpers');
const fx = require('./fixtures');

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

const CONFIGS = [];
for (const lang of ['en', 'fa']) for (const width of [390, 1366]) CONFIGS.push({ lang, width });

const persian = (s) => String(s).replace(/[0-9]/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[d]);
const digits = (lang, s) => (lang === 'fa' ? persian(s) : String(s));
const daysAgo = (n) => new Date(Date.now() - n * 86400000).toISOString();

/** A page of the given width whose interface is in `lang`, on a fresh device. */
async function device({ lang, width }, hash = '#/cards') {
  const page = await newPage(env.browser, { viewport: { width, height: width < 600 ? 844 : 900 } });
  await open(page, env.base, '#/data');
  await page.evaluate((l) => localStorage.setItem('lp1-pref:lang', JSON.stringify(l)), lang);
  await page.goto(env.base + hash);
  await page.reload();
  await page.locator('main h1').waitFor();
  return page;
}

/** Imports an export file through the Data screen, in whichever language is shown. */
async function seed(page, l, text, back = '#/cards') {
  await open(page, env.base, '#/data');
  await chooseImport(page, [{ name: 'seed.json', text }], l['data.import.label']);
  await page.getByRole('button', { name: l['data.import.confirm'], exact: true }).click();
  await page.getByRole('status').filter({ hasText: l['data.import.done'].split('{')[0].trim() }).first().waitFor();
  await open(page, env.base, back);
}


/** Whether the element's box lies inside the window as it is scrolled now. */
function inView(locator) {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight && r.left >= -1 && r.right <= window.innerWidth + 1;
  });
}

/** Goes to a top-level screen by its navigation link, through the Menu on a phone. */
async function navigate(page, l, width, key) {
  if (width < 600) await page.getByRole('button', { name: l['nav.menu'], exact: true }).click();
  await page.getByRole('navigation').getByRole('link', { name: l[key], exact: true }).click();
}

const tag = ({ lang, width }) => `${lang}, ${width} px`;

for (const cfg of CONFIGS) {
  const l = locales[cfg.lang];

  test(`the Status select always shows the stored status, and a note alone never changes it (${tag(cfg)})`, async () => {
    const page = await device(cfg);
    const item = { ...fx.feedback('The delivery came a day late', daysAgo(1)), contact: { value: '0912 345 6789', consent: true } };
    await seed(page, l, fx.file({ feedback: [item] }), `#/feedback/item?id=${item.id}`);
    const select = page.getByLabel(l['fb.status'], { exact: true });
    const badge = page.locator('.badges .badge.status');
    for (const status of ['in_progress', 'waiting_on_customer', 'in_progress', 'resolved', 'closed']) {
      await select.selectOption(status);
      await page.getByRole('button', { name: l['fb.save'], exact: true }).click();
      await badge.getByText(l[`feedback.status.${status}`], { exact: true }).waitFor();
      assert.equal(await select.inputValue(), status, `after saving ${status}`);
      await page.reload();
      await badge.getByText(l[`feedback.status.${status}`], { exact: true }).waitFor();
      assert.equal(await select.inputValue(), status, `${status} after a reload`);
      // Only a note: the status stays as stored.
      await page.getByLabel(l['fb.notes'], { exact: true }).fill(`Note while ${status}`);
      await page.getByRole('button', { name: l['fb.save'], exact: true }).click();
      await page.locator('.notice-slot').getByText(l['fb.updated']).waitFor();
      assert.equal(await select.inputValue(), status, `${status} after saving a note`);
      const stored = (await storedJson(page)).map(JSON.parse).find((r) => r.id === item.id);
      assert.equal(stored.status, status);
      assert.equal(stored.notes, `Note while ${status}`);
    }
    assert.deepEqual(page.errors, []);
  });

  test(`a card sent without its required answer takes the customer to the question, named beside it (${tag(cfg)})`, async () => {
    const page = await device(cfg);
    await page.getByRole('button', { name: l['card.submit'], exact: true }).click();
    const overall = page.getByRole('radiogroup').first();
    await page.waitForFunction(() => document.activeElement && document.activeElement.name === 'q-overall');
    assert.equal(await overall.getAttribute('aria-invalid'), 'true');
    const described = (await overall.getAttribute('aria-describedby')).split(' ');
    const message = page.locator(`[id="${described.at(-1)}"]`);
    assert.equal(await message.textContent(), l['card.error.required']);
    await page.waitForTimeout(400); // the smooth scroll settles
    assert.ok(await inView(message), 'the message is on screen');
    assert.ok(await inView(page.locator('#q-overall-1')), 'the first answer is on screen');
    await screenshot(page, `card-required-${cfg.lang}-${cfg.width}`, { fullPage: false });
    // Answering clears the mark.
    await page.locator('#q-overall-4').check();
    assert.equal(await overall.getAttribute('aria-invalid'), null);
    assert.deepEqual(page.errors, []);
  });

  test(`Settings' problems and confirmations are seen where Save was pressed, and announced (${tag(cfg)})`, async () => {
    const page = await device(cfg, '#/settings');
    const pin = page.getByLabel(l['settings.pin'], { exact: true });
    await pin.fill('12');
    const save = page.getByRole('button', { name: l['settings.save'], exact: true });
    await save.scrollIntoViewIfNeeded();
    await save.click();
    await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'staff-pin');
    assert.equal(await pin.getAttribute('aria-invalid'), 'true');
    assert.match(await pin.getAttribute('aria-describedby'), /staff-pin-error/);
    await page.waitForTimeout(400);
    assert.ok(await inView(page.locator('#staff-pin-error')), 'the PIN problem is on screen beside the field');
    assert.equal(await page.locator('#staff-pin-error').textContent(), l['settings.pin.error']);
    await screenshot(page, `settings-pin-error-${cfg.lang}-${cfg.width}`, { fullPage: false });
    // The list of problems sits just above the Save button too, as an alert.
    const list = await page.locator('form.settings .problems[role="alert"]').boundingBox();
    const button = await save.boundingBox();
    assert.ok(list.y < button.y && button.y - (list.y + list.height) < 80, 'the problems are listed by the Save button');
    await pin.fill('2468');
    await save.click();
    const toast = page.getByRole('status').filter({ hasText: l['settings.saved'] });
    await toast.waitFor();
    assert.ok(await inView(toast), 'the confirmation is on screen');
    await screenshot(page, `settings-saved-${cfg.lang}-${cfg.width}`, { fullPage: false });
    assert.ok(await inView(save) || (await page.evaluate(() => window.scrollY)) > 0, 'the person stays where they were');
    assert.deepEqual(page.errors, []);
  });

  test(`a screen opens at its top with focus on its heading (${tag(cfg)})`, async () => {
    const page = await device(cfg, '#/settings');
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    assert.ok((await page.evaluate(() => window.scrollY)) > 0);
    await navigate(page, l, cfg.width, 'nav.assessments');
    await page.getByRole('heading', { name: l['nav.assessments'], level: 1 }).waitFor();
    await page.waitForFunction(() => document.activeElement && document.activeElement.matches('main h1'));
    assert.equal(await page.evaluate(() => window.scrollY), 0);
    // A long screen left at its foot; the next, reached by its address, opens at its top.
    await page.goto(`${env.base}#/settings`);
    await page.getByRole('heading', { name: l['settings.title'], level: 1 }).waitFor();
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.goto(`${env.base}#/dashboard`);
    await page.waitForFunction(() => document.activeElement && document.activeElement.matches('main h1'));
    assert.equal(await page.evaluate(() => window.scrollY), 0);
    assert.deepEqual(page.errors, []);
  });

  test(`follow-up calls: only with a contact and consent, counted when made early, contacts are links (${tag(cfg)})`, async () => {
    const page = await device(cfg);
    const none = fx.feedback('Nobody to call back', daysAgo(2));
    const refused = { ...fx.feedback('Did not want a call', daysAgo(2)), contact: { value: 'sara@example.com', consent: false } };
    const agreed = { ...fx.feedback('Happy to be called', daysAgo(2)), contact: { value: '+98 912 345 6789', consent: true } };
    await seed(page, l, fx.file({ feedback: [none, refused, agreed] }));
    const resolve = async (id) => {
      await open(page, env.base, `#/feedback/item?id=${id}`);
      await page.getByLabel(l['fb.status'], { exact: true }).selectOption('resolved');
      await page.getByRole('button', { name: l['fb.save'], exact: true }).click();
      await page.locator('.badges .badge.status').getByText(l['feedback.status.resolved'], { exact: true }).waitFor();
    };
    await resolve(none.id);
    const call = page.locator('section[aria-labelledby="fb-call"]');
    await call.getByText(l['fb.call.none.no_contact']).waitFor();
    assert.equal(await call.getByRole('button', { name: l['fb.call.log'] }).count(), 0);
    await resolve(refused.id);
    await call.getByText(l['fb.call.none.no_consent']).waitFor();
    assert.equal(await page.getByRole('link', { name: 'sara@example.com' }).getAttribute('href'), 'mailto:sara@example.com');
    await resolve(agreed.id);
    assert.equal(await page.getByRole('link', { name: digits(cfg.lang, '+98 912 345 6789') }).getAttribute('href'), 'tel:+989123456789');
    // The call is made at once, days before it is due, and rated 4 of 5.
    await call.getByRole('button', { name: l['fb.call.log'], exact: true }).click();
    await call.getByRole('radiogroup').getByRole('radio').nth(3).check();
    await call.getByRole('button', { name: l['fb.call.save'], exact: true }).click();
    await page.locator('.notice-slot').getByText(l['fb.call.logged']).waitFor();
    await screenshot(page, `feedback-item-called-${cfg.lang}-${cfg.width}`);
    // Only the one with consent was ever on the call list.
    const stored = (await storedJson(page)).map(JSON.parse);
    assert.equal(stored.filter((r) => r.follow_up).length, 1);
    await open(page, env.base, '#/dashboard');
    const tile = page.locator('.tile').filter({ has: page.getByRole('heading', { name: l['dash.calls'], exact: true }) });
    assert.equal(await tile.locator('.tile-value').textContent(), fmt(l['dash.calls.value'], { done: digits(cfg.lang, 1), due: digits(cfg.lang, 1) }));
    assert.deepEqual(page.errors, []);
  });

  test(`date fields follow the language and pick a day from a calendar by keyboard (${tag(cfg)})`, async () => {
    const page = await device(cfg);
    await seed(page, l, fx.file({ cards: [fx.card(1, daysAgo(3))] }), '#/dashboard');
    const other = cfg.lang === 'en' ? 'fa' : 'en';
    const lo = locales[other];
    const openFilters = async (ll) => {
      const panel = page.locator('#dash-filters');
      if (!(await panel.evaluate((d) => d.open))) await panel.locator('summary').click();
      return page.getByLabel(ll['dash.from'], { exact: true });
    };
    let from = await openFilters(l);
    const before = await from.inputValue();
    assert.match(before, cfg.lang === 'fa' ? /^[۰-۹]{4}\/[۰-۹]{2}\/[۰-۹]{2}$/ : /^\d{4}-\d{2}-\d{2}$/);
    // Switched on this screen: the same day, written in the other calendar.
    await page.locator('#lang-select').selectOption(other);
    await page.waitForFunction((o) => document.documentElement.lang === o, other);
    from = await openFilters(lo);
    const after = await from.inputValue();
    assert.match(after, other === 'fa' ? /^1[34]\d\d|^[۰-۹]{4}\/[۰-۹]{2}\/[۰-۹]{2}$/ : /^\d{4}-\d{2}-\d{2}$/);
    const day = await page.evaluate(() => {
      const v = document.getElementById('dash-from').value;
      return v;
    });
    assert.notEqual(day, before);
    await page.locator('#lang-select').selectOption(cfg.lang);
    await page.waitForFunction((o) => document.documentElement.lang === o, cfg.lang);
    from = await openFilters(l);
    assert.equal(await from.inputValue(), before, 'back in the first language, the first writing');

    // The calendar: it opens on the typed day, an arrow key moves one day forward in reading
    // order, Enter picks it and focus returns to the button.
    const button = page.getByRole('button', { name: fmt(l['date.pick'], { label: l['dash.from'] }), exact: true });
    assert.equal(await button.getAttribute('aria-expanded'), 'false');
    await button.click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await page.waitForFunction(() => document.activeElement.dataset.day);
    const focused = await page.evaluate(() => document.activeElement.dataset.day);
    await page.keyboard.press(cfg.lang === 'fa' ? 'ArrowLeft' : 'ArrowRight');
    await page.waitForFunction((d) => document.activeElement.dataset.day && document.activeElement.dataset.day !== d, focused);
    const next = await page.evaluate(() => document.activeElement.dataset.day);
    const plusOne = new Date(`${focused}T12:00:00Z`);
    plusOne.setUTCDate(plusOne.getUTCDate() + 1);
    assert.equal(next, plusOne.toISOString().slice(0, 10));
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.activeElement.id === 'dash-from-pick');
    assert.notEqual(await from.inputValue(), before);
    // In Persian the grid is Jalali: the heading names a Persian month.
    await button.click();
    await page.waitForFunction(() => document.activeElement.dataset.day);
    assert.deepEqual(await violations(page), [], 'axe with the calendar open');
    const heading = await dialog.getByRole('heading').textContent();
    const months = Object.entries(l).filter(([k]) => k.startsWith(cfg.lang === 'fa' ? 'month.j.' : 'month.g.')).map(([, v]) => v);
    assert.ok(months.some((m) => heading.includes(m)), heading);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await screenshot(page, `date-picker-${cfg.lang}-${cfg.width}`);
    assert.deepEqual(page.errors, []);
  });

  test(`Settings' numbers and holidays are written again when the language changes (${tag(cfg)})`, async () => {
    const page = await device(cfg, '#/settings');
    const holidays = page.getByLabel(l['settings.holidays'], { exact: true });
    await holidays.fill(cfg.lang === 'fa' ? '۱۴۰۵/۱۰/۰۴' : '2026-12-25');
    const other = cfg.lang === 'en' ? 'fa' : 'en';
    await page.locator('#lang-select').selectOption(other);
    await page.waitForFunction((o) => document.documentElement.lang === o, other);
    const again = page.getByLabel(locales[other]['settings.holidays'], { exact: true });
    // 25 December 2026 is 4 Dey 1405.
    assert.equal(await again.inputValue(), other === 'fa' ? '۱۴۰۵/۱۰/۰۴' : '2026-12-25');
    const followUp = page.getByLabel(locales[other]['settings.follow_up'], { exact: true });
    assert.equal(await followUp.inputValue(), digits(other, 3));
    assert.deepEqual(page.errors, []);
  });

  test(`a count of one reads in the singular, and a fresh device does not claim everything is exported (${tag(cfg)})`, async () => {
    const page = await device(cfg, '#/data');
    await page.getByText(l['data.export.never']).waitFor();
    await page.getByText(l['data.export.nothing_yet']).waitFor();
    assert.equal(await page.getByText(l['data.export.pending_none']).count(), 0);
    await seed(page, l, fx.file({ cards: [fx.card(4, daysAgo(1))] }), '#/data');
    await page.getByText(fmt(l['data.export.pending'], { n: digits(cfg.lang, 1) })).waitFor();
    if (cfg.lang === 'en') {
      assert.equal(await page.getByText('1 record is not in any export from this device yet.').count(), 1);
    }
    // NPS: one promoter, no passives, no detractors.
    const ten = { ...fx.card(2, daysAgo(1)), answers: { overall: { rating: 5 }, recommend: { rating: 10 } } };
    await seed(page, l, fx.file({ cards: [ten] }), '#/dashboard');
    const body = await page.locator('main').textContent();
    assert.ok(!/\b1 (cards|passives|promoters|detractors|seconds|records)\b/.test(body), 'no "1 …s" on the dashboard');
    assert.deepEqual(page.errors, []);
  });

  test(`the top bar is one row, and a phone's navigation opens from a Menu button (${tag(cfg)})`, async () => {
    const page = await device(cfg);
    const menu = page.getByRole('button', { name: l['nav.menu'], exact: true });
    const links = page.getByRole('navigation').getByRole('link');
    const bar = await page.locator('header.topbar').boundingBox();
    assert.ok(bar.height <= 72, `top bar ${bar.height} px tall`);
    if (cfg.width < 600) {
      assert.equal(await menu.getAttribute('aria-expanded'), 'false');
      assert.equal(await links.first().isVisible(), false);
      await menu.click();
      assert.equal(await menu.getAttribute('aria-expanded'), 'true');
      assert.equal(await page.getByRole('navigation').getByRole('link', { name: l['nav.dashboard'], exact: true }).isVisible(), true);
      await screenshot(page, `menu-open-${cfg.lang}-${cfg.width}`, { fullPage: false });
      assert.deepEqual(await violations(page), [], 'axe with the menu open');
      await page.keyboard.press('Escape');
      assert.equal(await menu.getAttribute('aria-expanded'), 'false');
      assert.equal(await page.evaluate(() => document.activeElement.classList.contains('menu-toggle')), true);
      await menu.click();
      await page.getByRole('navigation').getByRole('link', { name: l['nav.feedback'], exact: true }).click();
      await page.getByRole('heading', { level: 1 }).filter({ hasText: l['nav.feedback'] }).first().waitFor().catch(() => {});
      assert.equal(await menu.getAttribute('aria-expanded'), 'false', 'choosing a screen folds the menu');
    } else {
      assert.equal(await menu.isVisible(), false);
      assert.equal(await links.count(), 7);
      for (const link of await links.all()) assert.equal(await link.isVisible(), true);
    }
    assert.deepEqual(page.errors, []);
  });

  test(`received cards are compact rows that open, and deleting one asks first (${tag(cfg)})`, async () => {
    const page = await device(cfg);
    const cards = [0, 1, 2].map((i) => fx.card(i, daysAgo(i + 1)));
    await seed(page, l, fx.file({ settings: [fx.shopSettings()], cards }), '#/cards/received');
    const rows = page.locator('article.card-item');
    assert.equal(await rows.count(), 3);
    for (const row of await rows.all()) {
      const box = await row.boundingBox();
      assert.ok(box.height < 130, `a closed card is ${box.height} px tall`);
    }
    assert.equal(await page.getByRole('button', { name: l['received.delete'], exact: true }).count(), 0, 'no delete button on a closed row');
    await rows.first().locator('summary').click();
    await rows.first().locator('dl.answers').waitFor();
    assert.deepEqual(await violations(page), [], 'axe with a card open');
    await screenshot(page, `received-open-${cfg.lang}-${cfg.width}`);
    await rows.first().getByRole('button', { name: l['received.delete'], exact: true }).click();
    const dialog = page.getByRole('dialog', { name: l['confirm.card.title'] });
    await dialog.getByRole('button', { name: l['confirm.card.yes'], exact: true }).click();
    await page.locator('.notice-slot').getByText(l['received.deleted']).waitFor();
    assert.equal(await rows.count(), 2);
    assert.deepEqual(page.errors, []);
  });

  test(`wide tables keep their key columns in view (${tag(cfg)})`, async () => {
    const page = await device(cfg);
    const a = fx.assessment('2026-11-01', 3);
    await seed(page, l, fx.file({ assessments: [a] }), `#/assessments/results?id=${a.id}`);
    const head = page.locator('#gap-table thead th');
    const names = await head.allTextContents();
    assert.deepEqual(names.slice(2, 4), [l['assess.col.gap'], l['assess.col.priority']]);
    for (const key of ['assess.col.gap', 'assess.col.priority']) {
      const th = head.filter({ hasText: l[key] });
      const box = await th.boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= cfg.width, `${l[key]} at ${box.x}`);
    }
    assert.deepEqual(page.errors, []);
  });

  test(`chart text is never under 12 px on screen (${tag(cfg)})`, async () => {
    const page = await device(cfg);
    const a = fx.assessment('2026-11-01', 3);
    const cards = [0, 1, 2, 3, 4, 5].map((i) => fx.card(i, daysAgo(i + 1)));
    await seed(page, l, fx.file({ assessments: [a], cards }), `#/assessments/results?id=${a.id}`);
    const smallest = () => page.evaluate(() => {
      let min = Infinity;
      for (const t of document.querySelectorAll('main svg text')) {
        if (!t.getClientRects().length || getComputedStyle(t).display === 'none') continue;
        const m = t.getScreenCTM();
        const size = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
        min = Math.min(min, size);
      }
      return min;
    });
    await page.getByRole('img', { name: l['chart.radar'] }).waitFor();
    const onResults = await smallest();
    assert.ok(onResults >= 12, `smallest chart text on the results: ${onResults.toFixed(1)} px`);
    if (cfg.width < 600) assert.equal(await page.locator('.radar-key li').count(), 5);
    await open(page, env.base, '#/dashboard');
    const onDashboard = await smallest();
    assert.ok(onDashboard >= 12, `smallest chart text on the dashboard: ${onDashboard.toFixed(1)} px`);
    assert.deepEqual(page.errors, []);
  });

  test(`the 0–10 scale keeps one row or two clean rows, its end words at its ends (${tag(cfg)})`, async () => {
    const page = await device(cfg);
    const group = page.getByRole('radiogroup').nth(1);
    const boxes = [];
    for (let v = 0; v <= 10; v++) boxes.push(await group.locator(`label.point[for$="-${v}"]`).boundingBox());
    // Rows: points whose tops are within a few pixels of each other.
    const rows = [];
    for (const b of boxes) if (!rows.some((y) => Math.abs(y - b.y) < 4)) rows.push(b.y);
    assert.ok(rows.length <= 2, `${rows.length} rows`);
    const firstRow = boxes.filter((b) => Math.abs(b.y - rows[0]) < 4).length;
    assert.ok(firstRow === 11 || firstRow === 6, `${firstRow} points in the first row`);
    for (const b of boxes) assert.ok(b.width >= 44 && b.height >= 44, 'every point is a 44 px target');
    const low = await group.locator('.end-low').boundingBox();
    const high = await group.locator('.end-high').boundingBox();
    const rtl = cfg.lang === 'fa';
    // "Not at all likely" starts where 0 starts; "Extremely likely" ends where 10 ends.
    const startOf = (b) => (rtl ? b.x + b.width : b.x);
    assert.ok(Math.abs(startOf(low) - startOf(boxes[0])) <= 2, 'the low end word heads the 0');
    const endOf = (b) => (rtl ? b.x : b.x + b.width);
    assert.ok(Math.abs(endOf(high) - endOf(boxes[10])) <= 2, 'the high end word closes at the 10');
    assert.deepEqual(page.errors, []);
  });

  test(`filters fold behind a Filters disclosure that says what is chosen (${tag(cfg)})`, async () => {
    const page = await device(cfg);
    await seed(page, l, fx.file({ settings: [fx.shopSettings()], cards: [fx.card(1, daysAgo(1))] }), '#/cards/received');
    for (const [hash, id] of [['#/cards/received', '#received-filters'], ['#/dashboard', '#dash-filters']]) {
      await open(page, env.base, hash);
      const panel = page.locator(id);
      assert.equal(await panel.evaluate((d) => d.open), cfg.width >= 600, `${hash} open at ${cfg.width}`);
      const summary = panel.locator('summary');
      assert.match(await summary.textContent(), new RegExp(l['filters.title']));
      if (!(await panel.evaluate((d) => d.open))) await summary.click();
    }
    await open(page, env.base, '#/cards/received');
    const panel = page.locator('#received-filters');
    if (!(await panel.evaluate((d) => d.open))) await panel.locator('summary').click();
    await panel.locator('#filter-branch').selectOption('Vanak');
    assert.match(await panel.locator('.filters-active').textContent(), cfg.lang === 'fa' ? /ونک/ : /Vanak/);
    assert.deepEqual(page.errors, []);
  });

  test(`an empty dashboard says what to do first instead of empty charts (${tag(cfg)})`, async () => {
    const page = await device(cfg, '#/dashboard');
    await page.getByRole('heading', { name: l['dash.empty.title'] }).waitFor();
    for (const key of ['dash.empty.card', 'dash.empty.feedback', 'dash.empty.assessment', 'dash.empty.import']) {
      await page.getByRole('link', { name: l[key], exact: true }).waitFor();
    }
    assert.equal(await page.locator('main svg').count(), 0);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    assert.ok(height < 1400, `${height} px`);
    await screenshot(page, `dashboard-empty-${cfg.lang}-${cfg.width}`);
    assert.deepEqual(page.errors, []);
  });

  test(`names: a trusted Persian name, the business and branches in each language, touchpoints in words, a printed header (${tag(cfg)})`, async () => {
    const page = await device(cfg);
    const kiosk = { ...fx.card(1, daysAgo(1)), touchpoint: 'kiosk', branch: 'Tajrish' };
    await seed(page, l, fx.file({ settings: [fx.shopSettings()], cards: [kiosk] }), '#/dashboard');
    const brand = await page.locator('.brand-name').textContent();
    assert.equal(brand, l['app.title']);
    assert.equal((await page.content()).includes('شنود'), false);
    const touchpoints = page.locator('#dash-touchpoints tbody th');
    assert.deepEqual(await touchpoints.allTextContents(), [l['touchpoint.kiosk']]);
    const branches = page.locator('#dash-branches tbody th');
    assert.deepEqual(await branches.allTextContents(), [cfg.lang === 'fa' ? 'تجریش' : 'Tajrish']);
    // The printed report names the business, the range and the filters.
    await page.emulateMedia({ media: 'print' });
    const header = page.locator('.print-head');
    assert.equal(await header.isVisible(), true);
    assert.equal(await header.locator('.print-business').textContent(), cfg.lang === 'fa' ? 'لوازم خانگی نور' : 'Nour Home Goods');
    await page.emulateMedia({ media: 'screen' });
    // The customers' card page names the business in their language.
    await page.goto(`${env.base}card.html?branch=Tajrish`);
    await page.locator('main h1').waitFor();
    assert.equal(await page.locator('.brand-name').textContent(), cfg.lang === 'fa' ? 'لوازم خانگی نور' : 'Nour Home Goods');
    assert.deepEqual(page.errors, []);
  });

  test(`feedback is logged for a branch and filtered by it; the device's branch comes first on cards and feedback (${tag(cfg)})`, async () => {
    const page = await device(cfg);
    await seed(page, l, fx.file({ settings: [fx.shopSettings()] }), '#/settings');
    const mine = page.getByLabel(l['settings.device_branch'], { exact: true });
    await mine.selectOption('Vanak');
    await page.locator('.notice-slot').getByText(l['settings.device_branch.saved']).waitFor();
    assert.equal(await mine.locator('option:checked').textContent(), cfg.lang === 'fa' ? 'ونک' : 'Vanak');
    // The staff card screen starts at this device's branch, and a card sent keeps it.
    await open(page, env.base, '#/cards');
    const branch = page.locator('#card-branch');
    assert.equal(await page.locator('label[for="card-branch"]').textContent(), l['card.branch']);
    assert.equal(await branch.inputValue(), 'Vanak');
    await page.getByRole('radiogroup').first().getByRole('radio').nth(4).check();
    await page.getByRole('button', { name: l['card.submit'], exact: true }).click();
    await page.getByRole('heading', { name: l['card.thanks.title'] }).waitFor();
    const card = (await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('lp1:c')).length));
    assert.equal(card, 1);
    // Feedback: the form starts at the device's branch; another is chosen for the second item.
    await open(page, env.base, '#/feedback');
    for (const [text, where] of [['Shelf empty at Vanak', null], ['Rude at Tajrish', 'Tajrish']]) {
      await page.getByRole('button', { name: l['fb.new'], exact: true }).click();
      const field = page.locator('#fb-branch');
      assert.equal(await field.inputValue(), 'Vanak');
      if (where) await field.selectOption(where);
      await page.getByLabel(l['fb.description'], { exact: true }).fill(text);
      await page.getByRole('button', { name: l['fb.save'], exact: true }).click();
      await page.waitForURL(/feedback\/item/);
      await page.getByText(cfg.lang === 'fa' ? (where ? 'تجریش' : 'ونک') : (where || 'Vanak'), { exact: true }).waitFor();
      await open(page, env.base, '#/feedback');
    }
    const more = page.locator('details.more-filters');
    if (!(await more.evaluate((d) => d.open))) await more.locator('summary').click();
    await page.locator('#fb-f-branch').selectOption('Tajrish');
    await page.getByRole('link', { name: 'Rude at Tajrish' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Shelf empty at Vanak' }).count(), 0);
    assert.deepEqual(page.errors, []);
  });

  test(`the designer previews the real card in each language, side by side on a desk (${tag(cfg)})`, async () => {
    const page = await device(cfg, '#/cards/designer');
    await page.getByRole('button', { name: l['designer.new'], exact: true }).click();
    await page.getByLabel(l['designer.text_en']).fill('How was the delivery?');
    await page.getByLabel(l['designer.text_fa']).fill('تحویل چطور بود؟');
    const en = page.locator('.preview-body[lang="en"]');
    const fa = page.locator('.preview-body[lang="fa"]');
    // The customers' own controls: a radio group of faces, answerable here.
    await en.getByRole('radiogroup', { name: /How was the delivery\?/ }).waitFor();
    await fa.getByRole('radiogroup', { name: /تحویل چطور بود؟/ }).waitFor();
    assert.equal(await fa.getAttribute('dir'), 'rtl');
    assert.equal(await fa.locator('.point-value').first().textContent(), '۱');
    await fa.getByRole('radio').nth(2).check();
    const a = await en.boundingBox();
    const b = await fa.boundingBox();
    if (cfg.width >= 1000) assert.ok(Math.abs(a.y - b.y) < 2, 'side by side');
    else assert.ok(b.y > a.y, 'one above the other on a phone');
    await screenshot(page, `designer-previews-${cfg.lang}-${cfg.width}`);
    assert.deepEqual(await violations(page), [], 'axe on the designer with its previews');
    assert.deepEqual(page.errors, []);
  });
}
