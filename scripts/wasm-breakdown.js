// Where each module's bytes go, for docs/performance.md: splits the app's raw wasm as the
// release build does (scripts/split-wasm.js), keeps the function names through wasm-bindgen and
// wasm-opt -Oz (-g), runs `twiggy top` on every module and sums its functions by the crate (for
// our own code, the module) their names start with.
//
// usage: node scripts/wasm-breakdown.js [cargo bin name] [rows per module]
// needs: a release build (./scripts/bench.sh or build_dist), and `cargo install twiggy`.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const { execFileSync } = require('node:child_process');

const bin = process.argv[2] || 'listening-post';
const rows = Number(process.argv[3] || 8);
const target = process.env.CARGO_TARGET_DIR || path.resolve(__dirname, '../target');
const raw = path.join(target, 'wasm32-unknown-unknown/release', `${bin}.wasm`);
const run = (cmd, args) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 30 });

/** The crate a function belongs to, or for this crate its module (`sync::device`). */
function owner(name) {
  if (name.startsWith('data segment')) return 'read-only data';
  const m = name.match(/^<?&?(?:mut )?(?:dyn )?([a-z_0-9]+)(?:\[[0-9a-f]+\])?::([a-z_0-9]+)(?:::([a-z_0-9]+))?/);
  if (!m) return 'other (tables, generic glue)';
  if (m[1] !== 'listening_post') return m[1];
  return ['sync', 'domain', 'pages', 'components', 'store'].includes(m[2]) && m[3] ? `ours: ${m[2]}::${m[3]}` : `ours: ${m[2]}`;
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lp-breakdown-'));
try {
  run('wasm-split-cli', [raw, path.join(work, 'split'), '--out-name', bin]);
  run('wasm-bindgen', ['--target', 'web', '--no-typescript', '--keep-lld-exports', '--no-demangle', '--keep-debug',
    '--out-dir', path.join(work, 'bound'), '--out-name', bin, path.join(work, 'split', `${bin}.wasm`)]);
  const modules = [['main', path.join(work, 'bound', `${bin}_bg.wasm`)],
    ...fs.readdirSync(path.join(work, 'split')).filter((f) => /^split_\w+\.wasm$/.test(f)).sort()
      .map((f) => [f.replace(/^split_|\.wasm$/g, ''), path.join(work, 'split', f)])];
  const shared = fs.readdirSync(path.join(work, 'split')).filter((f) => /^chunk_\d+\.wasm$/.test(f));
  for (const [name, file] of modules) {
    const named = path.join(work, `${name}.g.wasm`);
    const bare = path.join(work, `${name}.wasm`);
    run('wasm-opt', ['-Oz', '-g', file, '-o', named]);
    run('wasm-opt', ['-Oz', '--strip-producers', '--strip-target-features', file, '-o', bare]);
    const items = JSON.parse(run('twiggy', ['top', '-n', '1000000', '-f', 'json', named]).toString());
    const sums = new Map();
    for (const it of items) {
      if (/"(function|data|local|global|type|elem) names" subsection|name section/.test(it.name)) continue;
      const k = owner(it.name);
      sums.set(k, (sums.get(k) || 0) + it.shallow_size);
    }
    const total = [...sums.values()].reduce((a, b) => a + b, 0);
    const gz = zlib.gzipSync(fs.readFileSync(bare), { level: 9 }).length;
    console.log(`\n${name}: ${(gz / 1024).toFixed(1)} KB gzip, ${(total / 1024).toFixed(1)} KB of code and data before compression`);
    for (const [k, v] of [...sums].sort((a, b) => b[1] - a[1]).slice(0, rows)) {
      console.log(`  ${(100 * v / total).toFixed(1).padStart(5)}%  ${(v / 1024).toFixed(1).padStart(6)} KB  ${k}`);
    }
  }
  let gz = 0;
  for (const f of shared) {
    const bare = path.join(work, f);
    run('wasm-opt', ['-Oz', '--strip-producers', '--strip-target-features', path.join(work, 'split', f), '-o', bare]);
    gz += zlib.gzipSync(fs.readFileSync(bare), { level: 9 }).length;
  }
  console.log(`\nshared chunks (code two or more groups use): ${shared.length} modules, ${(gz / 1024).toFixed(1)} KB gzip`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
