// Prepares a shop's CouchDB for Listening Post sync. Run through scripts/couch-setup.sh:
//   COUCH_ADMIN=name:password scripts/couch-setup.sh URL DB < staff-users.txt
// Creates DB and DB-inbox, makes the role DB-staff the only members of DB, installs a validator
// in DB that refuses anything but records of the export format, installs in DB-inbox a
// validator that takes only new sealed cards (and card designs and deletions from staff) and
// only then opens DB-inbox to anonymous writers, and creates (or gives the role to) each staff
// user. Passwords never come from the command line, where `ps` and the shell's history keep
// them: the admin's from COUCH_ADMIN, the staff users' as `name:password` lines on standard
// input (or in COUCH_USERS, one a line). Idempotent: a second run changes nothing and says so.
// Exits non-zero with a message when the server cannot be reached or the admin is wrong.

const figures = require('./figures');

const KINDS = ['settings', 'template', 'card', 'assessment', 'feedback', 'customer'];

// Runs in the server: admins pass; members may write records of the export format and delete
// them (tombstones), and add to the shop's inbox keys; everything else is refused.
const VALIDATOR = `function (doc, old, user) {
  if (user.roles.indexOf('_admin') !== -1) return;
  if (doc._id === 'listening-post-inbox-keys') {
    // The shop's inbox keys: staff may add keys, never change or drop one, never delete them.
    if (doc._deleted) throw({ forbidden: 'the keys of the shop are never deleted' });
    if (!doc.keys || typeof doc.keys.length !== 'number') throw({ forbidden: 'not the keys of the shop' });
    var i, j, k, found;
    for (i = 0; i < doc.keys.length; i++) {
      k = doc.keys[i];
      if (!k || typeof k.public !== 'string' || typeof k.private_jwk !== 'string' || typeof k.created !== 'string') throw({ forbidden: 'not the keys of the shop' });
    }
    if (old && old.keys && !old._deleted) {
      for (i = 0; i < old.keys.length; i++) {
        found = false;
        for (j = 0; j < doc.keys.length; j++) {
          if (doc.keys[j].public === old.keys[i].public && doc.keys[j].private_jwk === old.keys[i].private_jwk) found = true;
        }
        if (!found) throw({ forbidden: 'the keys of the shop are only ever added' });
      }
    }
    return;
  }
  var m = /^(${KINDS.join('|')})-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.exec(doc._id);
  if (!m) throw({ forbidden: 'not a Listening Post record id' });
  if (doc._deleted) return;
  if (doc.id !== m[2]) throw({ forbidden: 'the record id differs from the document id' });
  if (typeof doc.created !== 'string' || typeof doc.updated !== 'string' || typeof doc.v !== 'number') {
    throw({ forbidden: 'not a Listening Post record' });
  }
}`;

// Runs in the server for DB-inbox, which anyone may write and read (a CouchDB database cannot
// be write-only; the cards are sealed on the phone). Admins pass. Staff (ROLE) may publish card
// designs (design-<uuid>-<version>) and delete what they have taken in. Everyone else may only
// add a new sealed card: no _rev and no older copy (which also closes a new_edits=false branch
// write), a UUID id, exactly the sealed fields (keys starting with "_" skipped: some servers hand
// the validator an empty _rev), and under 64 KB.
const INBOX_VALIDATOR = (role) => `function (doc, old, user) {
  if (user.roles.indexOf('_admin') !== -1) return;
  if (doc._attachments) throw({ forbidden: 'attachments are not taken' });
  var staff = user.roles.indexOf('${role}') !== -1;
  if (doc._deleted || /^design-/.test(doc._id)) {
    if (staff) return;
    throw({ forbidden: 'only staff of the shop may do that' });
  }
  if (doc._rev || old) throw({ forbidden: 'a card is written once' });
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(doc._id)) throw({ forbidden: 'not a card id' });
  var keys = [];
  for (var k in doc) if (k.charAt(0) !== '_') keys.push(k);
  keys = keys.sort().join(',');
  var b64 = /^[A-Za-z0-9_-]+$/;
  if (typeof doc.ct !== 'string' || !b64.test(doc.ct)) throw({ forbidden: 'not a sealed card' });
  if (doc.ct.length > 65536) throw({ forbidden: 'the card is too large' });
  if (doc.lp === 2 && keys === 'ct,d,enc,lp,t,w') {
    // HPKE, with the card design's id and the stamp (checked by staff devices at take-in).
    if (typeof doc.enc !== 'string' || doc.enc.length !== 87 || !b64.test(doc.enc) || doc.ct.length < 24) throw({ forbidden: 'not a sealed card' });
    if (typeof doc.t !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(doc.t)) throw({ forbidden: 'not a sealed card' });
    if (typeof doc.d !== 'string' || !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(doc.d)) throw({ forbidden: 'not a sealed card' });
    if (typeof doc.w !== 'string' || !/^[0-9]{1,20}$/.test(doc.w)) throw({ forbidden: 'not a sealed card' });
    return;
  }
  // The first format, still sent by phones that sealed a card before the change.
  if (doc.lp !== 1 || keys !== 'ct,epk,iv,lp') throw({ forbidden: 'not a sealed card' });
  if (typeof doc.epk !== 'string' || typeof doc.iv !== 'string') throw({ forbidden: 'not a sealed card' });
  if (doc.epk.length !== 87 || doc.iv.length !== 16 || doc.ct.length < 24) throw({ forbidden: 'not a sealed card' });
  if (!b64.test(doc.epk + doc.iv)) throw({ forbidden: 'not a sealed card' });
}`;

function fail(message) {
  process.stderr.write(`couch-setup: ${message}\n`);
  process.exit(1);
}

function split(pair, what) {
  const at = (pair || '').indexOf(':');
  if (at < 1) fail(`${what} must be written name:password`);
  return [pair.slice(0, at), pair.slice(at + 1)];
}

/** The staff users' `name:password` lines: COUCH_USERS, else standard input when it is not a terminal. */
function readUsers() {
  let text = process.env.COUCH_USERS || '';
  if (!text && !process.stdin.isTTY) {
    try { text = require('node:fs').readFileSync(0, 'utf8'); } catch { text = ''; }
  }
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

async function main() {
  const [url, db, ...rest] = process.argv.slice(2);
  const usage = 'usage: COUCH_ADMIN=name:password scripts/couch-setup.sh URL DB < staff-users.txt (name:password lines)';
  if (!url || !db) fail(usage);
  if (rest.length) fail(`passwords are not taken on the command line, where ps and the shell's history keep them: give the staff users as name:password lines on standard input or in COUCH_USERS\n${usage}`);
  const users = readUsers();
  if (!/^[a-z][a-z0-9_$()+/-]*$/.test(db)) fail(`"${db}" is not a valid CouchDB database name`);
  const [adminName, adminPass] = split(process.env.COUCH_ADMIN, 'COUCH_ADMIN');
  const base = url.replace(/\/+$/, '');
  const auth = `Basic ${Buffer.from(`${adminName}:${adminPass}`).toString('base64')}`;
  let changed = 0;
  const say = (line) => process.stdout.write(`${line}\n`);

  async function call(method, path, body) {
    let res;
    try {
      res = await fetch(`${base}/${path}`, {
        method,
        headers: { Authorization: auth, 'Content-Type': 'application/json', Accept: 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(15000),
      });
    } catch (e) {
      fail(`cannot reach ${base}: ${e.cause ? e.cause.code || e.cause.message : e.message}`);
    }
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, json };
  }

  const hello = await call('GET', '');
  if (hello.status === 401) fail(`the admin ${adminName} was refused: check COUCH_ADMIN`);
  if (hello.status !== 200 || !hello.json) fail(`${base} does not answer as a CouchDB server (HTTP ${hello.status})`);
  const session = await call('GET', '_session');
  const roles = session.json && session.json.userCtx ? session.json.userCtx.roles : [];
  if (session.status === 401 || !roles.includes('_admin')) fail(`the admin ${adminName} was refused: check COUCH_ADMIN`);

  for (const name of [db, `${db}-inbox`]) {
    const made = await call('PUT', encodeURIComponent(name));
    if (made.status === 201 || made.status === 202) { say(`created database ${name}`); changed++; }
    else if (made.status === 412) say(`database ${name} already exists`);
    else fail(`could not create database ${name} (HTTP ${made.status})`);
  }

  const role = `${db}-staff`;
  const security = { admins: { names: [], roles: [] }, members: { names: [], roles: [role] } };
  const current = await call('GET', `${encodeURIComponent(db)}/_security`);
  const same = current.json && JSON.stringify((current.json.members || {}).roles || []) === JSON.stringify([role])
    && ((current.json.members || {}).names || []).length === 0;
  if (same) say(`${db} is already open to the role ${role} only`);
  else {
    const put = await call('PUT', `${encodeURIComponent(db)}/_security`, security);
    if (put.status !== 200) fail(`could not set ${db}/_security (HTTP ${put.status})`);
    say(`${db} is now open to the role ${role} only`); changed++;
  }

  async function validator(name, source) {
    const path = `${encodeURIComponent(name)}/_design/listening-post`;
    const ddoc = await call('GET', path);
    if (ddoc.status === 200 && ddoc.json.validate_doc_update === source) { say(`the validator of ${name} is up to date`); return; }
    const body = { validate_doc_update: source };
    if (ddoc.status === 200) body._rev = ddoc.json._rev;
    const put = await call('PUT', path, body);
    if (put.status !== 201 && put.status !== 202) fail(`could not install the validator of ${name} (HTTP ${put.status})`);
    say(`installed the validator of ${name}`); changed++;
  }
  await validator(db, VALIDATOR);

  // The inbox's validator first: the inbox is never open to strangers without it. A server
  // that opens new databases to anyone (pouchdb-server; CouchDB 3 with default_security =
  // everyone) has the inbox closed to all but admins while the validator goes in.
  const inbox = `${db}-inbox`;
  const installed = await call('GET', `${encodeURIComponent(inbox)}/_design/listening-post`);
  if (!(installed.status === 200 && installed.json.validate_doc_update === INBOX_VALIDATOR(role))) {
    const closed = { admins: { names: [], roles: [] }, members: { names: [], roles: ['_admin'] } };
    const put = await call('PUT', `${encodeURIComponent(inbox)}/_security`, closed);
    if (put.status !== 200) fail(`could not close ${inbox} while its validator is installed (HTTP ${put.status})`);
  }
  await validator(inbox, INBOX_VALIDATOR(role));
  // The inbox: open to anyone (with default_security = admin_only a new database is not).
  const open = { admins: { names: [], roles: [] }, members: { names: [], roles: [] } };
  const inboxSecurity = await call('GET', `${encodeURIComponent(inbox)}/_security`);
  const members = inboxSecurity.json && inboxSecurity.json.members;
  const isOpen = !members || (((members.roles || []).length === 0) && ((members.names || []).length === 0));
  const adminsOpen = !(inboxSecurity.json && inboxSecurity.json.admins) || (((inboxSecurity.json.admins.roles || []).length === 0) && ((inboxSecurity.json.admins.names || []).length === 0));
  if (isOpen && adminsOpen) say(`${inbox} is already open to customers' phones`);
  else {
    const put = await call('PUT', `${encodeURIComponent(inbox)}/_security`, open);
    if (put.status !== 200) fail(`could not set ${inbox}/_security (HTTP ${put.status})`);
    say(`${inbox} is now open to customers' phones`); changed++;
  }

  // The long-range figures: map/reduce views, versioned and upgraded in place. Days are counted
  // at the shop's offset from UTC: COUCH_UTC_OFFSET (+03:30), else this machine's own.
  const offsetText = process.env.COUCH_UTC_OFFSET;
  const offset = offsetText === undefined || offsetText === '' ? -new Date().getTimezoneOffset() : figures.parseOffset(offsetText);
  if (offset === null) fail(`COUCH_UTC_OFFSET must be written like +03:30 or -05:00, not "${offsetText}"`);
  const wanted = figures.design(offset);
  const figuresPath = `${encodeURIComponent(db)}/_design/listening-post-figures`;
  const had = await call('GET', figuresPath);
  const sameViews = had.status === 200 && JSON.stringify(had.json.views) === JSON.stringify(wanted.views)
    && had.json.version === wanted.version && had.json.offset_minutes === wanted.offset_minutes;
  if (sameViews) say(`the figures' views of ${db} are up to date (version ${wanted.version}, days in ${figures.showOffset(offset)})`);
  else {
    const body = { ...wanted };
    if (had.status === 200) body._rev = had.json._rev;
    const put = await call('PUT', figuresPath, body);
    if (put.status !== 201 && put.status !== 202) fail(`could not install the figures' views of ${db} (HTTP ${put.status})`);
    const was = had.status === 200 ? `upgraded the figures' views of ${db} from version ${had.json.version} to ${wanted.version}` : `installed the figures' views of ${db} (version ${wanted.version})`;
    say(`${was}, days in ${figures.showOffset(offset)}`); changed++;
  }
  // Mango indexes a device's first sync finds its window with: the cards' time, and branch.
  for (const fields of [['created'], ['branch', 'created']]) {
    const name = `listening-post-cards-${fields.join('-')}`;
    const made = await call('POST', `${encodeURIComponent(db)}/_index`, { index: { fields }, ddoc: name, name, type: 'json' });
    if (made.status !== 200 && made.status !== 201) fail(`could not make the index ${name} (HTTP ${made.status})`);
    if (made.json && made.json.result === 'created') { say(`made the index ${name}`); changed++; }
    else say(`the index ${name} exists`);
  }

  for (const pair of users) {
    const [name, password] = split(pair, 'each USER');
    const path = `_users/${encodeURIComponent(`org.couchdb.user:${name}`)}`;
    const user = await call('GET', path);
    if (user.status === 200) {
      if ((user.json.roles || []).includes(role)) { say(`user ${name} already has the role ${role}`); continue; }
      const put = await call('PUT', path, { ...user.json, roles: [...(user.json.roles || []), role] });
      if (put.status !== 201 && put.status !== 202) fail(`could not give ${name} the role ${role} (HTTP ${put.status})`);
      say(`gave user ${name} the role ${role}`); changed++;
    } else {
      const put = await call('PUT', path, { name, password, roles: [role], type: 'user' });
      if (put.status !== 201 && put.status !== 202) fail(`could not create user ${name} (HTTP ${put.status})`);
      say(`created user ${name} with the role ${role}`); changed++;
    }
  }
  say(changed ? `done: ${changed} change(s)` : 'nothing to change: the server was already set up');
}

main().catch((e) => fail(e.message));
