/* Registers sw.js, which keeps visited pages for offline reading. Only on HTTPS (and
 * http://localhost, where browsers allow service workers for testing): never in the
 * preview (`showcase serve` answers on 127.0.0.1) and never in a build with drafts
 * (base.html leaves this script out). */
(function () {
  'use strict';
  if (!('serviceWorker' in navigator)) return;
  if (location.protocol !== 'https:' && location.hostname !== 'localhost') return;
  // The preview (its live-reload script is on the page) must never be cached.
  if (document.querySelector('script[src$="/__showcase/live.js"]')) return;
  var me = document.currentScript || document.querySelector('script[src$="offline.js"]');
  var sw = me ? new URL('sw.js', me.src) : new URL('/sw.js', location.href);
  navigator.serviceWorker.register(sw.pathname).catch(function () {});
})();
