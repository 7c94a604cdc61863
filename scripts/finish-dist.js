// Finishes a release dist/ after Trunk: moves Trunk's inline loader of each page into a file of
// its own (the Content-Security-Policy allows no inline script), copies the staff app's locale
// files (which its loader starts fetching), writes the web app manifest from the English locale,
// and writes the service worker with the build's file list.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
const digest = (body, alg = 'sha256') => crypto.createHash(alg).update(body).digest();

/** The page's one inline module script, moved to `boot-<hash>.js`, with `first` before it and
 * `extra` after it. */
function externalise(page, extra = '', first = '') {
  const file = path.join(DIST, page);
  const html = fs.readFileSync(file, 'utf8');
  const inline = /<script type="module">([\s\S]*?)<\/script>/;
  const found = html.match(inline);
  if (!found) throw new Error(`${page}: no inline loader script to move`);
  const body = first + found[1].trim() + '\n' + extra;
  const name = `boot-${digest(body).toString('hex').slice(0, 16)}.js`;
  fs.writeFileSync(path.join(DIST, name), body);
  const integrity = 'sha384-' + digest(body, 'sha384').toString('base64');
  let out = html.replace(inline, `<script type="module" src="./${name}" integrity="${integrity}" crossorigin="anonymous"></script>`);
  if (/<script(?![^>]*\bsrc=)[^>]*>/.test(out)) throw new Error(`${page}: an inline script is left`);
  fs.writeFileSync(file, out);
}

function files(dir, prefix = '') {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]);
}

// Sync with a CouchDB on another origin: LP_COUCHDB_ORIGIN (one or more origins, space
// separated, such as https://couch.example.com) joins 'self' in connect-src. Without it the pages
// may connect to their own origin only (a CouchDB behind a path such as /couchdb/).
function allowCouch(page) {
  const origins = (process.env.LP_COUCHDB_ORIGIN || '').split(/\s+/).filter(Boolean);
  const bad = origins.filter((o) => !/^https?:\/\/[a-z0-9.-]+(:(\d{1,5}|\*))?$/i.test(o) && !/^https?:\/\/\[[0-9a-f:]+\](:(\d{1,5}|\*))?$/i.test(o));
  if (bad.length) throw new Error(`LP_COUCHDB_ORIGIN: not an origin (scheme://host[:port]): ${bad.join(' ')}`);
  if (!origins.length) return;
  const file = path.join(DIST, page);
  const html = fs.readFileSync(file, 'utf8');
  const out = html.replace("connect-src 'self'", `connect-src 'self' ${origins.join(' ')}`);
  if (out === html) throw new Error(`${page}: no connect-src 'self' in its Content-Security-Policy`);
  fs.writeFileSync(file, out);
}

// The staff app's words, one file per language under a name that changes with its content
// (src/i18n.rs fetches the interface language's). The loader asks for the device's language at
// once, so the file comes with the app's code instead of after it; the choice is the one
// `AppState::device_lang` makes (the saved preference, else the browser's language), and if
// they ever differ the app fetches its own.
const urls = {};
fs.mkdirSync(path.join(DIST, 'locales'), { recursive: true });
for (const lang of ['en', 'fa']) {
  const text = JSON.stringify(JSON.parse(fs.readFileSync(path.join(ROOT, `locales/${lang}.json`), 'utf8')));
  const name = `locales/${lang}-${digest(text).toString('hex').slice(0, 16)}.json`;
  fs.writeFileSync(path.join(DIST, name), text);
  urls[lang] = `./${name}`;
}
const locales = `globalThis.lpLocales = {
  urls: ${JSON.stringify(urls)},
  pending: {},
  fetch(code) {
    return fetch(this.urls[code]).then((r) => {
      if (!r.ok) throw new Error(r.status + ' ' + r.url);
      return r.text();
    });
  },
};
{
  let lang = null;
  try { lang = JSON.parse(localStorage.getItem('lp1-pref:lang')); } catch (e) { /* none saved */ }
  if (lang !== 'en' && lang !== 'fa') lang = (navigator.language || '').toLowerCase().startsWith('fa') ? 'fa' : 'en';
  const early = globalThis.lpLocales.fetch(lang);
  early.catch(() => {}); // the app sees a failure when it takes the answer, and tries again
  globalThis.lpLocales.pending[lang] = early;
}
`;
// The registration is kept for the app (src/screens.rs), which on a first visit takes the
// screens' code from the worker once it has it, instead of fetching it a second time.
const register = `if ('serviceWorker' in navigator) {
  globalThis.lpServiceWorker = navigator.serviceWorker.register('./sw.js');
  globalThis.lpServiceWorker.catch(() => {});
}
`;
externalise('index.html', register, locales);
externalise('card.html');
allowCouch('index.html');
allowCouch('card.html');

const en = JSON.parse(fs.readFileSync(path.join(ROOT, 'locales/en.json'), 'utf8'));
const manifest = {
  name: en['app.title'],
  short_name: en['app.title'],
  description: en['app.tagline'],
  lang: 'en',
  start_url: './',
  scope: './',
  display: 'standalone',
  background_color: '#f6f8f7',
  theme_color: '#0f5c4d',
  icons: [{ src: 'public/favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
};
fs.writeFileSync(path.join(DIST, 'manifest.webmanifest'), JSON.stringify(manifest, null, 2) + '\n');

// Files compressed ahead (below) are another form of one the service worker keeps, not files of
// their own.
const PACKED = /\.(br|gz)$/;
const list = files(DIST).filter((f) => f !== 'sw.js' && !PACKED.test(f)).sort();
const version = digest(list.map((f) => f + '\0' + digest(fs.readFileSync(path.join(DIST, f))).toString('hex')).join('\n'))
  .toString('hex').slice(0, 16);
const sw = fs.readFileSync(path.join(ROOT, 'pwa/sw.js'), 'utf8')
  .replace("'__VERSION__'", JSON.stringify(version))
  .replace('__FILES__', JSON.stringify(['./', ...list.map((f) => './' + f)], null, 2));
fs.writeFileSync(path.join(DIST, 'sw.js'), sw);

// Every file a server may send compressed, compressed ahead beside it at the highest levels
// (`x.wasm.br`, `x.wasm.gz`): a server set to send those as they are (nginx `gzip_static`,
// Caddy `precompressed`, see the README) sends the fewest bytes and spends no time compressing.
// Fonts are compressed already. A form no smaller than the file is left out.
const COMPRESSIBLE = /\.(html|js|wasm|css|json|svg|webmanifest)$/;
const sizes = { plain: 0, br: 0, gz: 0 };
for (const f of files(DIST).filter((f) => COMPRESSIBLE.test(f))) {
  const body = fs.readFileSync(path.join(DIST, f));
  const forms = {
    br: zlib.brotliCompressSync(body, { params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    } }),
    gz: zlib.gzipSync(body, { level: 9 }),
  };
  sizes.plain += body.length;
  for (const [ext, packed] of Object.entries(forms)) {
    const file = path.join(DIST, `${f}.${ext}`);
    if (packed.length < body.length) fs.writeFileSync(file, packed);
    else fs.rmSync(file, { force: true });
    sizes[ext] += Math.min(packed.length, body.length);
  }
}
const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
console.log(`dist finished: ${list.length} files, version ${version}; compressed ahead: ${kb(sizes.plain)} as ${kb(sizes.br)} brotli, ${kb(sizes.gz)} gzip`);
