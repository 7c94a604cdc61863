// The README's proxy recipe, run as written: Debian's nginx on loopback with the README's nginx
// block in front of the test server, and a stranger's requests refused there, not only by the
// validator. No browser: these are the requests a script would send.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT } = require('./helpers');
const { startCouch, freePort } = require('./couch');

const NGINX = '/usr/sbin/nginx';
const MARK = '<!-- e2e/proxy.test.js reads the nginx block below: keep it whole -->';

let couch;
let proxy;
let nginx;
let dir;
const staff = { user: 'desk', password: `pw-${crypto.randomUUID()}` };

/** The README's block, for a proxy on `port` in front of the server at `upstream`. */
function recipe(port, upstream) {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const at = readme.indexOf(MARK);
  assert.ok(at >= 0, 'the README keeps its nginx block');
  const block = readme.slice(at).match(/```nginx\n([\s\S]*?)```/)[1];
  assert.match(block, /listen 443 ssl;/);
  return block
    .replace('listen 443 ssl;', `listen 127.0.0.1:${port};`)
    .replace(/^\s*ssl_certificate.*$/gm, '')
    .replaceAll('http://127.0.0.1:5984', upstream);
}

before(async () => {
  couch = await startCouch();
  await couch.setup('shop', [`${staff.user}:${staff.password}`]);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lp-nginx-'));
  const port = await freePort();
  const temp = (name) => `${name}_temp_path ${path.join(dir, name)};`;
  fs.writeFileSync(path.join(dir, 'nginx.conf'), `
daemon off;
worker_processes 1;
pid ${path.join(dir, 'nginx.pid')};
error_log ${path.join(dir, 'error.log')} warn;
events { worker_connections 64; }
http {
  access_log off;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
  ${recipe(port, couch.url)}
}
`);
  nginx = spawn(NGINX, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')], { stdio: 'ignore' });
  proxy = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i += 1) {
    try {
      await fetch(`${proxy}/`);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`nginx did not start: ${fs.readFileSync(path.join(dir, 'error.log'), 'utf8')}`);
});

after(async () => {
  if (nginx) nginx.kill();
  await couch.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A request through the proxy, as a stranger or (with `auth`) as a staff device. */
async function ask(method, url, body, auth) {
  const headers = { 'content-type': 'application/json' };
  if (auth) headers.authorization = `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`;
  const r = await fetch(`${proxy}${url}`, { method, headers, body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)) });
  const text = await r.text();
  return { status: r.status, text };
}

/** A card as a phone seals it (the validator's shape; nothing here opens it). */
function card(extra = {}) {
  const b64 = (n) => crypto.randomBytes(n).toString('base64url');
  return { lp: 2, t: crypto.randomUUID(), enc: b64(65), ct: b64(120), d: '2026-12-07', w: '123456', ...extra };
}

test('through the README\'s proxy a stranger may add a card and read a design, and nothing else', async () => {
  const design = `design-${crypto.randomUUID()}`;
  const published = await ask('PUT', `/shop-inbox/${design}`, { lp: 1, template: {}, business: 'Shop', keys: [] }, staff);
  assert.equal(published.status, 201, published.text);

  // What a phone does.
  assert.equal((await ask('GET', `/shop-inbox/${design}`)).status, 200);
  const id = crypto.randomUUID();
  assert.equal((await ask('PUT', `/shop-inbox/${id}`, card())).status, 201);
  assert.equal((await ask('OPTIONS', `/shop-inbox/${crypto.randomUUID()}`)).status < 500, true);

  // What a stranger's script might try: refused at the proxy (403) or for size (413).
  const refused = [
    ['a _local write, which no validator sees', 'PUT', '/shop-inbox/_local/mine', { anything: 'at all' }, 403],
    ['a _local write, its name encoded', 'PUT', '/shop-inbox/%5Flocal/mine', { anything: 'at all' }, 403],
    ['reading the inbox\'s changes', 'GET', '/shop-inbox/_changes?include_docs=true', undefined, 403],
    ['listing the inbox', 'GET', '/shop-inbox/_all_docs', undefined, 403],
    ['reading a card', 'GET', `/shop-inbox/${id}`, undefined, 403],
    ['a bulk write', 'POST', '/shop-inbox/_bulk_docs', { docs: [card({ _id: crypto.randomUUID() })] }, 403],
    ['an attachment', 'PUT', `/shop-inbox/${crypto.randomUUID()}/page.html`, '<script>alert(1)</script>', 403],
    ['the shop\'s own database', 'GET', '/shop/_all_docs', undefined, 403],
    ['the server\'s users', 'GET', '/_users/_all_docs', undefined, 403],
    ['an oversized card', 'PUT', `/shop-inbox/${crypto.randomUUID()}`, card({ ct: 'A'.repeat(70_000) }), 413],
  ];
  for (const [what, method, url, body, status] of refused) {
    const answer = await ask(method, url, body);
    assert.equal(answer.status, status, `${what}: HTTP ${answer.status} ${answer.text.slice(0, 200)}`);
  }
  // An attachment inside the card's body passes the proxy and meets the validator.
  const inline = await ask('PUT', `/shop-inbox/${crypto.randomUUID()}`, card({
    _attachments: { 'x.html': { content_type: 'text/html', data: Buffer.from('<script>alert(1)</script>').toString('base64') } },
  }));
  assert.equal(inline.status, 403, inline.text);
  assert.match(inline.text, /attachments/);

  // Staff devices pass with their password, and only with it.
  assert.equal((await ask('GET', '/shop-inbox/_changes', undefined, staff)).status, 200);
  assert.equal((await ask('GET', '/shop/_all_docs', undefined, staff)).status, 200);
  assert.equal((await ask('GET', '/shop-inbox/_changes', undefined, { ...staff, password: 'wrong' })).status, 401);
  // The card is there once, untouched by all that.
  const changes = JSON.parse((await ask('GET', '/shop-inbox/_changes?include_docs=true', undefined, staff)).text);
  const cards = changes.results.filter((r) => !r.id.startsWith('_') && !r.id.startsWith('design-'));
  assert.deepEqual(cards.map((r) => r.id), [id]);
});

test('a flood of cards from one address meets the proxy\'s rate limit', async () => {
  const answers = [];
  for (let i = 0; i < 40; i += 1) answers.push((await ask('PUT', `/shop-inbox/${crypto.randomUUID()}`, card())).status);
  const limited = answers.filter((s) => s === 429).length;
  // A burst of 20 passes at once, then about one card every two seconds.
  assert.ok(limited >= 15, `${limited} of 40 limited: ${answers.join(' ')}`);
  assert.ok(answers.slice(0, 15).every((s) => s === 201), answers.join(' '));
  // Staff devices are not limited.
  for (let i = 0; i < 5; i += 1) assert.equal((await ask('GET', '/shop-inbox/_changes?limit=1', undefined, staff)).status, 200);
});
