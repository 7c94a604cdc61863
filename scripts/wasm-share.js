// How many bytes of a wasm module the functions of some Rust modules take: the code of each
// function whose symbol names one of the paths, raw and gzip (compressed together). Reads the
// module's `name` section, which cargo's raw build keeps (Trunk's optimised copy drops it), so
// the figure is of code before wasm-opt, and generic code of other crates instantiated for
// these modules (serde, for one) is not counted. `addedGzip` is what they add to the compressed
// code of the whole module (the module with them, less the module without them).
//   node scripts/wasm-share.js FILE.wasm listening_post::sync listening_post::pages::sync
const fs = require('node:fs');
const zlib = require('node:zlib');

function leb(b, i) {
  let r = 0;
  let s = 0;
  for (;;) {
    const x = b[i++];
    r += (x & 0x7f) * 2 ** s;
    s += 7;
    if (x < 0x80) return [r, i];
  }
}

/** `a::b::c` as the legacy Rust mangling writes it inside a symbol: `1a1b1c`. */
const mangled = (path) => path.split('::').map((p) => `${p.length}${p}`).join('');

function share(file, paths) {
  const b = fs.readFileSync(file);
  let imported = 0;
  let bodies = [];
  const names = new Map();
  for (let i = 8; i < b.length;) {
    const id = b[i++];
    let size;
    [size, i] = leb(b, i);
    const end = i + size;
    if (id === 2) {
      let n;
      let j;
      [n, j] = leb(b, i);
      for (let k = 0; k < n; k++) {
        let len;
        [len, j] = leb(b, j); j += len;
        [len, j] = leb(b, j); j += len;
        const kind = b[j++];
        if (kind === 0) { imported++; [, j] = leb(b, j); }
        else if (kind === 1) { j += 1; const flag = b[j++]; [, j] = leb(b, j); if (flag & 1) [, j] = leb(b, j); }
        else if (kind === 2) { const flag = b[j++]; [, j] = leb(b, j); if (flag & 1) [, j] = leb(b, j); }
        else if (kind === 3) { j += 2; }
        else throw new Error(`import kind ${kind}`);
      }
    } else if (id === 10) {
      let n;
      let j;
      [n, j] = leb(b, i);
      for (let k = 0; k < n; k++) {
        let len;
        [len, j] = leb(b, j);
        bodies.push(b.subarray(j, j + len));
        j += len;
      }
    } else if (id === 0) {
      let len;
      let j;
      [len, j] = leb(b, i);
      const name = b.subarray(j, j + len).toString();
      j += len;
      if (name === 'name') {
        while (j < end) {
          const sub = b[j++];
          let subSize;
          [subSize, j] = leb(b, j);
          const subEnd = j + subSize;
          if (sub === 1) {
            let n;
            [n, j] = leb(b, j);
            for (let k = 0; k < n; k++) {
              let idx;
              [idx, j] = leb(b, j);
              [len, j] = leb(b, j);
              names.set(idx, b.subarray(j, j + len).toString());
              j += len;
            }
          }
          j = subEnd;
        }
      }
    }
    i = end;
  }
  if (!names.size) throw new Error(`${file}: no name section`);
  const wanted = paths.map(mangled);
  const picked = bodies.filter((_, k) => {
    const name = names.get(k + imported) || '';
    return wanted.some((w) => name.includes(w));
  });
  const others = bodies.filter((_, k) => {
    const name = names.get(k + imported) || '';
    return !wanted.some((w) => name.includes(w));
  });
  const raw = picked.reduce((s, x) => s + x.length, 0);
  const all = bodies.reduce((s, x) => s + x.length, 0);
  return {
    functions: picked.length,
    raw,
    gzip: zlib.gzipSync(Buffer.concat(picked), { level: 9 }).length,
    allRaw: all,
    allGzip: zlib.gzipSync(Buffer.concat(bodies), { level: 9 }).length,
    // What the picked functions add to the compressed code of the whole module.
    addedGzip: zlib.gzipSync(Buffer.concat(bodies), { level: 9 }).length - zlib.gzipSync(Buffer.concat(others), { level: 9 }).length,
  };
}

if (require.main === module) {
  const [file, ...paths] = process.argv.slice(2);
  console.log(JSON.stringify(share(file, paths)));
}

module.exports = { share, leb };
