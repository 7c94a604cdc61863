// The app's service worker: after the first visit the app opens and works with no network.
// scripts/finish-dist.js writes it into dist/ with the build's file list and version.
//
// Every file of one build is kept in one cache, named by the build's version. A new build is
// fetched in the background and waits: pages already open keep the files they started with
// (a half-filled card is never switched under a customer), and the next visit, once every page
// of the old build is closed, opens the new one.
const VERSION = '__VERSION__';
const FILES = __FILES__;
const PREFIX = `listening-post ${self.registration.scope} `;
const CACHE = PREFIX + VERSION;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(FILES.map((f) => new Request(f, { cache: 'reload' })))),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || !url.href.startsWith(self.registration.scope)) return;
  // Sync with a CouchDB behind this site's own address (such as /couchdb/) goes to the network.
  if (request.headers.has('Authorization')) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    let hit;
    if (request.mode === 'navigate') {
      // A page: the folder means index.html; a card link's query string picks the card, not
      // the file.
      const page = url.pathname.endsWith('/') ? new URL('index.html', url) : new URL(url.pathname, url);
      hit = await cache.match(page.href);
    } else {
      hit = await cache.match(request);
    }
    return hit || fetch(request);
  })());
});
