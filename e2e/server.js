// A plain static file server for the built app: no SPA fallback, like `python3 -m http.server`
// or a shared host. Serves `dir` under `base` (e.g. "/tools/lp/") so subpath hosting is tested.
// Like nginx with `gzip_static` or Caddy with `precompressed br gzip`, it sends the brotli or
// gzip form a build wrote beside a file when the browser takes it, so the tests run on those.
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.woff2': 'font/woff2', '.svg': 'image/svg+xml', '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8', '.webmanifest': 'application/manifest+json',
};

function start(dir, base = '/', port = 0) {
  const root = path.resolve(dir);
  const server = http.createServer((req, res) => {
    // A path that is not a URL, or is badly escaped, is the client's mistake: say so and go on
    // serving everyone else.
    let p;
    try {
      p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    if (!p.startsWith(base)) { res.writeHead(404).end('not found'); return; }
    p = p.slice(base.length);
    if (p === '' || p.endsWith('/')) p += 'index.html';
    const file = path.resolve(root, p);
    if (!file.startsWith(root + path.sep)) { res.writeHead(403).end(); return; }
    const type = TYPES[path.extname(file)] || 'application/octet-stream';
    const takes = String(req.headers['accept-encoding'] || '').split(',').map((e) => e.trim().split(';')[0]);
    const forms = [['br', '.br'], ['gzip', '.gz']].filter(([coding]) => takes.includes(coding));
    const send = (i) => {
      const [coding, ext] = forms[i] || [null, ''];
      fs.readFile(file + ext, (err, body) => {
        if (err && coding) { send(i + 1); return; }
        if (err) { res.writeHead(404).end('not found'); return; }
        const headers = { 'content-type': type, vary: 'accept-encoding' };
        if (coding) headers['content-encoding'] = coding;
        res.writeHead(200, headers);
        res.end(body);
      });
    };
    send(0);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

module.exports = { start };

if (require.main === module) {
  const [dir = 'dist', base = '/', port = '8080'] = process.argv.slice(2);
  start(dir, base, Number(port)).then((s) => console.log(`serving ${dir} at http://127.0.0.1:${s.address().port}${base}`));
}
