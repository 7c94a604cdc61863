// A CouchDB-protocol server (pouchdb-server) of a journey's own on a free loopback port, another
// origin than the app's, prepared by scripts/couch-setup.sh's own code; and the Sync form filled
// as a person would.
const { spawn, execFile } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { locales, ROOT } = require('./helpers');

const en = locales.en;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function waitUp(url, tries = 100) {
  for (let i = 0; i < tries; i += 1) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`pouchdb-server did not answer at ${url}`);
}

/**
 * Starts a server keeping its data in a folder of its own, so it can be stopped and started
 * again with everything still there. Returns { url, admin, stop(), restart(), setup(db, users),
 * put(db, docs), docs(db) }.
 */
async function startCouch() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lp-couch-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const admin = `admin:pw-${Math.random().toString(36).slice(2)}`;
  const auth = `Basic ${Buffer.from(admin).toString('base64')}`;
  let child;
  const run = async () => {
    child = spawn(path.join(ROOT, 'node_modules/.bin/pouchdb-server'), ['-o', '127.0.0.1', '-p', String(port)], {
      cwd: dir, stdio: 'ignore',
    });
    await waitUp(url);
  };
  const stop = () => new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill();
  });
  await run();
  const made = await fetch(`${url}/_config/admins/admin`, { method: 'PUT', body: JSON.stringify(admin.split(':')[1]) });
  if (!made.ok) throw new Error(`could not make the test server's admin: ${made.status}`);
  const call = async (p, init = {}) => {
    const r = await fetch(`${url}/${p}`, { ...init, headers: { authorization: auth, 'content-type': 'application/json', ...(init.headers || {}) } });
    return r.json();
  };
  return {
    url,
    admin,
    stop,
    async restart() {
      await stop();
      await run();
    },
    async close() {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
    /** The shop's database with a staff user per `name:password`, as the README says. */
    setup(db, users) {
      return new Promise((resolve, reject) => {
        execFile(path.join(ROOT, 'scripts/couch-setup.sh'), [url, db], { env: { ...process.env, COUCH_ADMIN: admin, COUCH_USERS: users.join('\n') } },
          (err, stdout, stderr) => (err ? reject(new Error(stderr || String(err))) : resolve(stdout)));
      });
    },
    /** Writes documents as the admin (which passes the validator): what a broken or hostile client could leave. */
    put(db, docs) {
      return call(`${db}/_bulk_docs`, { method: 'POST', body: JSON.stringify({ docs }) });
    },
    /** Every live document of a database. */
    async docs(db) {
      const body = await call(`${db}/_all_docs?include_docs=true`);
      return body.rows.map((r) => r.doc).filter((d) => !d._id.startsWith('_design/'));
    },
    /** Conflicting revisions left on the server. */
    async conflicts(db) {
      const body = await call(`${db}/_all_docs?include_docs=true&conflicts=true`);
      return body.rows.reduce((n, r) => n + ((r.doc && r.doc._conflicts) || []).length, 0);
    },
  };
}

/** Fills the Sync screen's form and presses Connect. */
async function connect(page, base, { url, db, user, password }) {
  await page.goto(`${base}#/settings/sync`);
  await page.getByRole('heading', { level: 1, name: en['sync.title'] }).waitFor();
  await page.getByLabel(en['sync.server'], { exact: true }).fill(url);
  await page.getByLabel(en['sync.db'], { exact: true }).fill(db);
  await page.getByLabel(en['sync.user'], { exact: true }).fill(user);
  await page.getByLabel(en['sync.password'], { exact: true }).fill(password);
  await page.getByRole('button', { name: en['sync.connect'], exact: true }).click();
}

/** Waits until the Sync screen says the last pass completed with nothing waiting. */
async function synced(page) {
  const status = page.getByRole('status').and(page.locator('.sync-status')).filter({ hasText: /Last synced/ });
  await status.filter({ hasText: /\b0 records waiting/ }).waitFor({ timeout: 20_000 });
}

/** The number of passes this tab has finished. */
function passes(page) {
  return page.locator('.sync-status').getAttribute('data-passes').then(Number);
}

/** Presses Sync now on the Sync screen and waits for that pass to finish without an error. */
async function syncNow(page, base) {
  if (!page.url().includes('#/settings/sync')) {
    await page.goto(`${base}#/settings/sync`);
    await page.locator('.sync-status').waitFor();
  }
  await page.getByRole('button', { name: en['sync.now'], exact: true }).waitFor();
  await expectEnabled(page.getByRole('button', { name: en['sync.now'], exact: true }));
  const before = await passes(page);
  await page.getByRole('button', { name: en['sync.now'], exact: true }).click();
  await page.waitForFunction(
    (n) => Number(document.querySelector('.sync-status')?.getAttribute('data-passes')) > n,
    before,
    { timeout: 30_000 },
  );
}

async function expectEnabled(locator) {
  for (let i = 0; i < 300; i += 1) {
    if (await locator.isEnabled()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the button stayed disabled');
}

module.exports = { startCouch, connect, synced, syncNow, passes, freePort };
