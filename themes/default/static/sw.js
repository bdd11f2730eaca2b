/* Offline reading for visitors: a service worker that keeps a copy of every page and file
 * of this site the browser fetched, and serves the copy when the network is gone.
 *
 * Network first, always: online, a visitor sees the site as published (no stale page or
 * stylesheet after a deploy); offline, the last copy. Installed with the home page, the
 * project list, the stylesheet and the scripts, so the site opens offline after one visit.
 * Only this site's own GET requests are touched: another host's (a video player's frame
 * and what it loads) goes to the network untouched and is never kept. Nor are video and
 * audio files, which browsers fetch in ranges. base.html registers it on HTTPS (and
 * http://localhost), never in a build with drafts or in the preview.
 */
'use strict';
var CACHE = 'showcase-v1';
var ROOT = new URL('./', self.location).pathname;
var CORE = ['', 'projects/', 'style.css', 'search.js', 'filters.js', 'video.js', 'favicon.svg'].map(function (p) {
  return ROOT + p;
});

self.addEventListener('install', function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      // One missing file must not stop the rest.
      return Promise.all(CORE.map(function (u) { return cache.add(u).catch(function () {}); }));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener('activate', function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) {
        return caches.delete(k);
      }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener('fetch', function (event) {
  var req = event.request;
  var url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin || !url.pathname.startsWith(ROOT)) {
    return;
  }
  // A partial answer (206) cannot be cached, and a film does not belong in the cache.
  if (req.headers.has('range') || req.destination === 'video' || req.destination === 'audio') {
    return;
  }
  // A search's query does not change the page: one copy of /search/ serves them all.
  var key = url.search && req.mode === 'navigate' ? url.origin + url.pathname : req;
  event.respondWith(
    fetch(req).then(function (resp) {
      if (resp.status >= 500) throw new Error(resp.status);
      if (resp.ok) {
        var copy = resp.clone();
        caches.open(CACHE).then(function (cache) { cache.put(key, copy); });
      }
      return resp;
    }).catch(function (err) {
      return caches.match(key).then(function (hit) {
        if (hit) return hit;
        if (req.mode === 'navigate') return caches.match(ROOT);
        throw err;
      });
    })
  );
});
