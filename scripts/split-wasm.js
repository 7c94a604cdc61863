// Splits a page's wasm after `trunk build`, since Trunk has no such step. Trunk builds the page
// with the relocations kept (`--emit-relocs`) and without its own wasm-opt pass; this script
// takes the raw cargo wasm Trunk started from and:
//   1. splits it with wasm-split-cli: the main module, one module per split point (the groups
//      of src/screens.rs) and a module for code several of them share;
//   2. runs wasm-bindgen on the main module, under the name Trunk gave the page's files;
//   3. runs wasm-opt -Oz on every module, without the producers and target-features sections
//      a browser never reads (only now: wasm-opt drops the relocations the split
//      needs), as many at once as there are cores;
//   4. names every chunk after the page's hashed name, so a deploy never mixes two builds, puts
//      them beside the page's files, and has the loader fetch each with its integrity hash;
//   5. rewrites the page's subresource integrity for the files replaced, and preloads the
//      loader of the chunks.
// A page with no split point (the card page) goes through the same steps: its wasm comes out
// whole, without the relocation sections.
//
// usage: node scripts/split-wasm.js <dist folder> <page.html> <cargo bin name>
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const { execFileSync, execFile } = require('node:child_process');
const { leb } = require('./wasm-share');

const [dist, page, bin] = process.argv.slice(2);
if (!bin) throw new Error('usage: split-wasm.js <dist folder> <page.html> <cargo bin name>');
const target = process.env.CARGO_TARGET_DIR || path.resolve(__dirname, '../target');
const raw = path.join(target, 'wasm32-unknown-unknown/release', `${bin}.wasm`);
// LP_WASM_NAMES=1 keeps the function names, for a profile that names what it measures.
const NAMES = process.env.LP_WASM_NAMES === '1';
const sri = (body) => 'sha384-' + crypto.createHash('sha384').update(body).digest('base64');
const run = (cmd, args) => execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });

// Trunk's names for the page's glue and wasm: `<bin>-<hash>.js` and `<bin>-<hash>_bg.wasm`.
const stems = fs.readdirSync(dist)
  .map((f) => f.match(new RegExp(`^(${bin.replace(/[-]/g, '\\-')}-[0-9a-f]+)\\.js$`)))
  .filter(Boolean).map((m) => m[1]);
if (stems.length !== 1) throw new Error(`${dist}: expected one ${bin}-<hash>.js from Trunk, found ${stems.length}`);
const stem = stems[0];
const rawBytes = fs.readFileSync(raw);
if (!hasSection(rawBytes, 'linking')) {
  throw new Error(`${raw}: no relocations to split by; build it with RUSTFLAGS=-Clink-args=--emit-relocs`);
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lp-split-'));
try {
  const split = path.join(work, 'split');
  const bound = path.join(work, 'bound');
  run('wasm-split-cli', [raw, split, '--out-name', stem]);
  run('wasm-bindgen', ['--target', 'web', '--no-typescript', '--keep-lld-exports', '--no-demangle',
    ...(NAMES ? ['--keep-debug'] : []), '--out-dir', bound, '--out-name', stem, path.join(split, `${stem}.wasm`)]);

  const chunks = fs.readdirSync(split).filter((f) => /^(split|chunk)_\w+\.wasm$/.test(f));
  const renamed = new Map(chunks.map((f) => [f, `${stem}-${f}`]));
  const jobs = [[path.join(bound, `${stem}_bg.wasm`), path.join(dist, `${stem}_bg.wasm`)],
    ...chunks.map((f) => [path.join(split, f), path.join(dist, renamed.get(f))])];
  optimise(jobs).then(() => {
    fs.copyFileSync(path.join(bound, `${stem}.js`), path.join(dist, `${stem}.js`));
    if (fs.existsSync(path.join(bound, 'snippets'))) {
      fs.cpSync(path.join(bound, 'snippets'), path.join(dist, 'snippets'), { recursive: true });
    }
    // The chunks' loader, if the page has any split point.
    let preload = '';
    const loader = path.join(split, '__wasm_split.js');
    if (chunks.length) {
      const name = `${stem}-split.js`;
      let js = fs.readFileSync(loader, 'utf8');
      // Each chunk under its new name, fetched with its integrity like the page's own files.
      for (const [from, to] of renamed) {
        const fetched = `fetch(new URL("./${from}", import.meta.url))`;
        if (!js.includes(fetched)) throw new Error(`__wasm_split.js: no ${fetched}`);
        const integrity = sri(fs.readFileSync(path.join(dist, to)));
        js = js.split(fetched).join(`fetch(new URL("./${to}", import.meta.url), { integrity: "${integrity}" })`);
      }
      fs.writeFileSync(path.join(dist, name), js);
      const glue = path.join(dist, `${stem}.js`);
      // Only the JS imports move; the wasm's own import names (the keys of its imports) stay.
      const glued = fs.readFileSync(glue, 'utf8').replace(/(\bfrom )"\.\/__wasm_split\.js"/g, `$1"./${name}"`);
      fs.writeFileSync(glue, glued);
      preload = `<link rel="modulepreload" href="./${name}" crossorigin="anonymous" integrity="${sri(js)}">`;
    }
    const html = path.join(dist, page);
    let out = fs.readFileSync(html, 'utf8').replace(
      /(<link\b[^>]*\bhref="\.\/([^"]+)"[^>]*\bintegrity=")([^"]*)(")/g,
      (all, head, href, _old, tail) => {
        const file = path.join(dist, decodeURI(href));
        return fs.existsSync(file) ? head + sri(fs.readFileSync(file)) + tail : all;
      });
    out = out.replace('</head>', `${preload}</head>`);
    fs.writeFileSync(html, out);
    const gz = (f) => zlib.gzipSync(fs.readFileSync(path.join(dist, f)), { level: 9 }).length;
    console.log(`${page}: main wasm ${(gz(`${stem}_bg.wasm`) / 1024).toFixed(1)} KB gzip, ${chunks.length} chunks ${(chunks.reduce((s, f) => s + gz(renamed.get(f)), 0) / 1024).toFixed(1)} KB gzip`);
    fs.rmSync(work, { recursive: true, force: true });
  }).catch((e) => {
    fs.rmSync(work, { recursive: true, force: true });
    console.error(e.message);
    process.exit(1);
  });
} catch (e) {
  fs.rmSync(work, { recursive: true, force: true });
  throw e;
}

/** True when the module has a custom section named `name`. */
function hasSection(b, name) {
  let i = 8;
  while (i < b.length) {
    const id = b[i++];
    let size;
    [size, i] = leb(b, i);
    const end = i + size;
    if (id === 0) {
      const [len, at] = leb(b, i);
      if (b.subarray(at, at + len).toString() === name) return true;
    }
    i = end;
  }
  return false;
}

/** wasm-opt -Oz from each job's source to its destination, a few at once, largest first. */
function optimise(jobs) {
  jobs.sort((a, b) => fs.statSync(b[0]).size - fs.statSync(a[0]).size);
  const width = Math.max(1, os.availableParallelism ? os.availableParallelism() : os.cpus().length);
  let next = 0;
  const worker = () => {
    if (next >= jobs.length) return Promise.resolve();
    const [from, to] = jobs[next++];
    return new Promise((resolve, reject) => {
      execFile('wasm-opt', ['-Oz', '--strip-producers', '--strip-target-features', ...(NAMES ? ['-g'] : []), from, '-o', to], (err, _out, stderr) => {
        if (err) reject(new Error(`wasm-opt ${from}: ${stderr || err.message}`));
        else resolve();
      });
    }).then(worker);
  };
  return Promise.all(Array.from({ length: Math.min(width, jobs.length) }, worker));
}
