/* The not-found page (404.html), made better where JavaScript runs; it works without.
 *
 * Static hosts serve the default language's /404.html for every missing address. Its
 * sections in the other languages carry their home address in data-prefix (/ru/, or
 * /base/ru/ under a base path): when the missing address starts with one, that section
 * moves above the default language's text, so a visitor who followed a Russian or Kazakh
 * link reads their language first. On every not-found page, the search field and the
 * search links get the words of the missing address after its language's home (data-homes:
 * /ru/projects/kestrel-uav/ -> "kestrel uav"), a likely start. Loaded with defer from the site itself (script-src 'self').
 */
(function () {
  'use strict';
  var path = location.pathname;

  var own = document.querySelector('.not-found');
  var others = document.querySelectorAll('.not-found-other[data-prefix]');
  for (var i = 0; i < others.length; i++) {
    var prefix = others[i].getAttribute('data-prefix');
    if (own && prefix && prefix !== '/' && path.indexOf(prefix) === 0) {
      others[i].classList.add('is-first');
      own.parentNode.insertBefore(others[i], own);
      break;
    }
  }

  // The last part of the address after its language's home (/ru/, /base/ru/) that names
  // something: not index.html or 404.html.
  var page = document.querySelector('.not-found-page');
  var homes = ((page && page.getAttribute('data-homes')) || '').split(' ');
  var home = '';
  for (var h = 0; h < homes.length; h++) {
    if (homes[h] && path.indexOf(homes[h]) === 0 && homes[h].length > home.length) home = homes[h];
  }
  var rest = path.slice(home.length);
  var words = '';
  var parts = rest.split('/');
  for (var j = parts.length - 1; j >= 0 && !words; j--) {
    var part;
    try {
      part = decodeURIComponent(parts[j]);
    } catch (e) {
      part = parts[j];
    }
    part = part.replace(/\.html?$/i, '');
    if (part && part !== 'index' && part !== '404') {
      words = part.replace(/[-_+.]+/g, ' ').trim().slice(0, 80);
    }
  }
  if (!words) return;
  var fields = document.querySelectorAll('.not-found-search input[name="q"]');
  for (var k = 0; k < fields.length; k++) {
    if (!fields[k].value) fields[k].value = words;
  }
  var links = document.querySelectorAll('.not-found-other a[data-search]');
  for (var n = 0; n < links.length; n++) {
    links[n].href = links[n].getAttribute('href') + '?q=' + encodeURIComponent(words);
  }
})();
