// A plain static file server for the built app: no SPA fallback, like `python3 -m http.server`
// or a shared host. Serves `dir` under `base` (e.g. "/tools/lp/") so subpath hosting is tested.
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
    fs.readFile(file, (err, body) => {
      if (err) { res.writeHead(404).end('not found'); return; }
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
      res.end(body);
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

module.exports = { start };

if (require.main === module) {
  const [dir = 'dist', base = '/', port = '8080'] = process.argv.slice(2);
  start(dir, base, Number(port)).then((s) => console.log(`serving ${dir} at http://127.0.0.1:${s.address().port}${base}`));
}
