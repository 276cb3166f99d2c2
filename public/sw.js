// Roofline's service worker: after one visit the page opens and works with no network.
// scripts/trunk_post_build.mjs fills in BUILD (a hash of every file of the build), FILES
// (every file of the build the page may load, Trunk's hashed names included, relative to
// this file) and ON_USE (the light embeds' modules, which the page never loads) at build
// time; the copy in public/ keeps the placeholders.
//
// Install: every file of FILES into the cache "roofline-BUILD"; a file of ON_USE goes
// there when it is first fetched. Activate: delete every other
// "roofline-…" cache (an earlier build's). A new deploy changes BUILD, so this file's bytes
// change, the browser installs the new worker on the next visit, and the old cache goes.
// Fetch: the page itself network first (a new deploy shows at once when online), the cached
// copy when offline; every other file of the build from the cache (their contents are fixed
// for this build). Requests for anything else are left to the browser.
'use strict';
const BUILD = '__ROOFLINE_BUILD__';
const FILES = ['__ROOFLINE_FILES__'];
const ON_USE = ['__ROOFLINE_ON_USE__'];
const CACHE = `roofline-${BUILD}`;
const scope = new URL('./', self.location.href).href;
const urls = new Set(FILES.map((f) => new URL(f, scope).href));
const onUse = new Set(ON_USE.map((f) => new URL(f, scope).href));

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll([...urls].map((u) => new Request(u, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('roofline-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  url.hash = '';
  if (req.mode === 'navigate' && url.href.startsWith(scope)) {
    // The page, whatever its query: the network's copy, else the cached one.
    const page = new URL('./', scope).href;
    event.respondWith(
      fetch(req).catch(() => caches.open(CACHE).then((c) => c.match(url.pathname.endsWith('/') || url.pathname.endsWith('/index.html') ? page : url.href, { ignoreSearch: true })))
        .then((r) => r || Response.error()),
    );
    return;
  }
  url.search = '';
  if (onUse.has(url.href)) {
    event.respondWith(
      caches.open(CACHE).then((c) => c.match(url.href).then((hit) => hit || fetch(req).then((r) => {
        if (r.ok) c.put(url.href, r.clone());
        return r;
      }))),
    );
    return;
  }
  if (!urls.has(url.href)) return;
  event.respondWith(
    caches.open(CACHE).then((c) => c.match(url.href)).then((r) => r || fetch(req)),
  );
});
