// Kiosk mode: a PIN is needed to start and to leave; after each card a fresh one follows; no
// address, back button or reload gets past the PIN; five wrong tries lock the prompt.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { setup, newPage, open, screenshot, violations, locales, storedJson } = require('./helpers');

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

async function setPin(page, pin) {
  await open(page, env.base, '#/settings');
  await page.getByLabel('Branches').fill('Tajrish\nVanak');
  await page.getByLabel('Staff PIN').fill(pin);
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByText('Settings saved.').waitFor();
  await page.getByText('A staff PIN is set.').waitFor();
}

async function startKiosk(page, branch) {
  await open(page, env.base, '#/cards');
  await page.getByText('Kiosk', { exact: true }).click();
  await page.getByLabel('Kiosk branch').selectOption(branch);
  await page.getByRole('button', { name: 'Start kiosk' }).click();
  await page.getByRole('button', { name: 'Staff' }).waitFor();
}

async function tryPin(page, pin) {
  const dialog = page.getByRole('dialog', { name: 'Staff only' });
  await dialog.getByLabel('PIN', { exact: true }).fill(pin);
  await dialog.getByRole('button', { name: 'Unlock' }).click();
}

test('the kiosk needs a PIN to start, keeps the branch, resets after each card', async () => {
  const page = await newPage(env.browser);
  await open(page, env.base, '#/cards');
  await page.getByText('Kiosk', { exact: true }).click();
  assert.equal(await page.getByRole('button', { name: 'Start kiosk' }).isDisabled(), true);
  await page.getByText(locales.en['kiosk.need_pin']).waitFor();

  await setPin(page, '۲۴۶۸');
  const stored = JSON.parse((await storedJson(page, 'lp1:s'))[0]).pin;
  assert.match(stored.salt, /^[0-9a-f]{32}$/);
  assert.match(stored.hash, /^[0-9a-f]{64}$/);
  assert.ok(stored.iterations >= 100000);
  const everything = JSON.stringify(await page.evaluate(() => ({ ...localStorage }))) + (await storedJson(page)).join('');
  assert.ok(!everything.includes('2468') && !everything.includes('۲۴۶۸'), 'the PIN itself is never stored');

  await startKiosk(page, 'Vanak');
  assert.equal(await page.getByRole('navigation').count(), 0, 'no staff navigation in the kiosk');
  await screenshot(page, 'kiosk-en');
  for (const lang of ['fa', 'en']) {
    await page.getByLabel(lang === 'fa' ? 'Language' : 'زبان', { exact: true }).selectOption(lang);
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
    assert.deepEqual(await violations(page), [], `kiosk in ${lang}`);
    await page.getByRole('button', { name: locales[lang]['kiosk.staff'] }).click();
    await page.locator('dialog[open]').waitFor();
    assert.deepEqual(await violations(page), [], `PIN prompt in ${lang}`);
    await screenshot(page, `kiosk-pin-${lang}`);
    await page.keyboard.press('Escape');
  }
  await page.getByRole('radiogroup').first().getByRole('radio', { name: 'Very satisfied' }).check();
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('heading', { name: 'Thank you!' }).waitFor();
  await page.getByText(/A fresh card opens in \d+ seconds?/).waitFor();
  await page.getByRole('heading', { name: locales.en['card.title'] }).waitFor({ timeout: 15000 });
  assert.equal(await page.getByRole('radiogroup').first().getByRole('radio', { name: 'Very satisfied' }).isChecked(), false);
  const card = await page.evaluate(() => Object.entries(localStorage).filter(([k]) => k.startsWith('lp1:c')).length);
  assert.equal(card, 1);
  assert.deepEqual(page.errors, []);
});

test('no address, back button or reload leaves the kiosk; the PIN does, and five wrong tries lock', async () => {
  const page = await newPage(env.browser);
  await setPin(page, '1357');
  await startKiosk(page, 'Tajrish');

  for (const hash of ['#/data', '#/settings', '#/cards/received']) {
    await page.goto(`${env.base}${hash}`);
    await page.getByRole('button', { name: 'Staff' }).waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Data' }).count(), 0);
    assert.equal(await page.getByRole('navigation').count(), 0);
  }
  await page.goBack();
  await page.reload();
  await page.getByRole('button', { name: 'Staff' }).waitFor();
  assert.equal(await page.getByRole('navigation').count(), 0);
  // A new tab of the same device opens the kiosk too.
  const other = await page.context().newPage();
  await other.goto(`${env.base}#/data`);
  await other.getByRole('button', { name: 'Staff' }).waitFor();
  await other.close();

  await page.getByRole('button', { name: 'Staff' }).click();
  for (let i = 1; i <= 4; i++) {
    await tryPin(page, '0000');
    await page.getByText(`Wrong PIN. Tries left before a one-minute lock: ${5 - i}.`).waitFor();
  }
  await tryPin(page, '0000');
  await page.getByText(/Too many wrong tries\. Try again in \d+ seconds?\./).waitFor();
  await screenshot(page, 'kiosk-pin-locked-en');
  // Locked: even the right PIN is refused, and a reload does not reset the count.
  await page.reload();
  await page.getByRole('button', { name: 'Staff' }).click();
  await tryPin(page, '1357');
  await page.getByText(/Too many wrong tries/).waitFor();
  assert.equal(await page.getByRole('navigation').count(), 0);

  // A minute later the right PIN opens the way back.
  await page.evaluate(() => {
    const lock = JSON.parse(localStorage.getItem('lp1-pref:pin-lock'));
    lock.until = new Date(Date.now() - 1000).toISOString();
    localStorage.setItem('lp1-pref:pin-lock', JSON.stringify(lock));
  });
  await tryPin(page, '1357');
  await page.getByRole('navigation').waitFor();
  await page.reload();
  await page.getByRole('navigation').waitFor();
  assert.deepEqual(page.errors, []);
});

test('a half-filled kiosk card is cleared after a warning', async () => {
  const page = await newPage(env.browser);
  await setPin(page, '8642');
  await page.getByLabel('Kiosk: clear an unfinished card after (seconds)').fill('15');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByText('Settings saved.').waitFor();
  await startKiosk(page, 'Tajrish');
  await page.getByRole('radiogroup').first().getByRole('radio', { name: 'Dissatisfied', exact: true }).check();
  await page.getByRole('alertdialog', { name: 'Are you still there?' }).waitFor({ timeout: 25000 });
  await screenshot(page, 'kiosk-idle-en');
  await page.getByRole('alertdialog').waitFor({ state: 'detached', timeout: 30000 });
  assert.equal(await page.getByRole('radiogroup').first().getByRole('radio', { name: 'Dissatisfied', exact: true }).isChecked(), false);
});
