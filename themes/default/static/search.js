/* Search of the showcase: no server, no dependencies.
 *
 * The build writes per language a manifest (search-index.json), shards of an inverted index
 * (search/t<N>.json: folded term -> postings) and the documents in chunks
 * (search/d<N>.json). A query fetches the manifest, one shard per word it holds and the
 * chunks of the results it shows. Folding, splitting and the shard hash must stay the same
 * as src/search.rs.
 *
 * Matching: each word of the query matches a term exactly, as its beginning (from two
 * letters: the first two pick the shard) or with one typo (two for long words; typos in the
 * first two letters are not forgiven). Every word must match; a last word of one letter is
 * still being typed and waits for the next. Ranking: title over summary, areas, team and
 * tags, over body; rarer terms weigh more.
 */
(function () {
  'use strict';
  var form = document.getElementById('search-form');
  if (!form || !window.fetch || !window.URLSearchParams) return;
  var input = form.elements.q;
  var list = document.getElementById('search-results');
  var status = document.getElementById('search-status');
  var data = form.dataset;
  var PAGE = 20;
  var MAX_TERM = 32;
  var KAZAKH = { 'ә': 'а', 'ғ': 'г', 'қ': 'к', 'ң': 'н', 'ө': 'о', 'ұ': 'у', 'ү': 'у', 'һ': 'х', 'і': 'и', 'ё': 'е', 'й': 'й' };

  function foldChar(c) {
    var l = c.toLowerCase();
    var out = '';
    for (var ch of l) {
      if (KAZAKH[ch]) out += KAZAKH[ch];
      else out += ch.normalize('NFD').replace(/\p{M}/gu, '');
    }
    return out;
  }

  /* The folded terms of a text, as src/search.rs splits them (composed first: "é" typed as
     e + accent is one letter). */
  function terms(text) {
    var out = [];
    var words = text.normalize('NFC').match(/[\p{L}\p{N}]+/gu) || [];
    for (var w of words) {
      if (Array.from(w).length > MAX_TERM) continue;
      var f = '';
      for (var ch of w) f += foldChar(ch);
      if (f) out.push(f);
    }
    return out;
  }

  /* FNV-1a of the code points of the first two letters. */
  function shardOf(term, shards) {
    var h = 0x811c9dc5;
    var n = 0;
    for (var ch of term) {
      if (n++ === 2) break;
      h = Math.imul(h ^ ch.codePointAt(0), 16777619) >>> 0;
    }
    return h % shards;
  }

  /* Edit distance with transpositions, giving up past `max`. */
  function distance(a, b, max) {
    a = Array.from(a);
    b = Array.from(b);
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev2 = null;
    var prev = [];
    for (var j = 0; j <= b.length; j++) prev.push(j);
    for (var i = 1; i <= a.length; i++) {
      var cur = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          v = Math.min(v, prev2[j - 2] + 1);
        }
        cur.push(v);
        if (v < best) best = v;
      }
      if (best > max) return max + 1;
      prev2 = prev;
      prev = cur;
    }
    return prev[b.length];
  }

  var manifest = null;
  var cache = {};

  function getJSON(url) {
    if (!cache[url]) {
      cache[url] = fetch(url).then(function (r) {
        if (!r.ok) throw new Error(url + ': ' + r.status);
        return r.json();
      });
      cache[url].catch(function () { delete cache[url]; });
    }
    return cache[url];
  }

  function loadManifest() {
    return getJSON(data.index).then(function (m) { manifest = m; return m; });
  }

  /* For one word: doc id -> best score among the terms it matches. */
  function scoreWord(word, shard) {
    var scores = new Map();
    var len = Array.from(word).length;
    var typos = len >= 8 ? 2 : len >= 4 ? 1 : 0;
    var n = manifest.documents || 1;
    for (var term in shard) {
      var quality = 0;
      if (term === word) quality = 1;
      else if (len >= 2 && term.startsWith(word)) quality = 0.75;
      else if (typos && distance(word, term, typos) <= typos) quality = 0.5;
      if (!quality) continue;
      var postings = shard[term];
      var idf = Math.log(1 + n / postings.length);
      var id = 0;
      for (var k = 0; k < postings.length; k++) {
        var p = postings[k];
        id += Math.floor(p / 8);
        var bits = p % 8;
        var field = bits & 1 ? 10 : bits & 2 ? 4 : 1;
        var s = quality * field * idf;
        if (!(scores.get(id) >= s)) scores.set(id, s);
      }
    }
    return scores;
  }

  function search(query) {
    var words = terms(query);
    // A last word of one letter is being typed: its terms are spread over every shard.
    if (words.length > 1 && Array.from(words[words.length - 1]).length === 1) words.pop();
    if (!words.length) return Promise.resolve([]);
    return loadManifest().then(function (m) {
      var urls = words.map(function (w) { return m.base + 't' + shardOf(w, m.shards) + '.json'; });
      return Promise.all(urls.map(getJSON)).then(function (shards) {
        var total = null;
        words.forEach(function (w, i) {
          var s = scoreWord(w, shards[i]);
          if (total === null) { total = s; return; }
          var next = new Map();
          total.forEach(function (v, id) {
            if (s.has(id)) next.set(id, v + s.get(id));
          });
          total = next;
        });
        return Array.from(total.entries()).sort(function (a, b) {
          return b[1] - a[1] || a[0] - b[0];
        }).map(function (e) { return e[0]; });
      });
    });
  }

  function entries(ids) {
    var chunks = {};
    ids.forEach(function (id) { chunks[Math.floor(id / manifest.chunk)] = true; });
    var names = Object.keys(chunks);
    return Promise.all(names.map(function (c) {
      return getJSON(manifest.base + 'd' + c + '.json');
    })).then(function (loaded) {
      var byChunk = {};
      names.forEach(function (c, i) { byChunk[c] = loaded[i]; });
      return ids.map(function (id) {
        return byChunk[Math.floor(id / manifest.chunk)][id % manifest.chunk];
      });
    });
  }

  function element(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  function marked(e, lang) {
    if (lang) e.lang = lang;
    return e;
  }

  // The area names, each in a span with its language when it has one of its own.
  function areas(text, langs) {
    var p = element('p', 'search-areas');
    var names = text.split(', ');
    if (!langs || langs.length !== names.length) {
      p.textContent = text;
      return p;
    }
    names.forEach(function (name, i) {
      if (i) p.appendChild(document.createTextNode(', '));
      p.appendChild(marked(element('span', '', name), langs[i]));
    });
    return p;
  }

  function show(docs) {
    docs.forEach(function (d) {
      if (!d) return;
      var li = element('li', 'search-result');
      var a = element('a', 'search-link');
      a.href = d[2];
      a.appendChild(element('span', 'search-kind', data['kind' + d[0][0].toUpperCase() + d[0].slice(1)] || d[0]));
      // d[5]: the languages of the texts not in the page's (inherited, or borrowed).
      var langs = d[5] || {};
      a.appendChild(marked(element('span', 'search-title', d[1]), langs.title));
      li.appendChild(a);
      if (d[3]) li.appendChild(marked(element('p', 'search-summary', d[3]), langs.summary));
      if (d[4]) li.appendChild(areas(d[4], langs.areas));
      list.appendChild(li);
    });
  }

  var run = 0;
  var more = null;

  function render(ids, shown) {
    var mine = run;
    return entries(ids.slice(shown, shown + PAGE)).then(function (docs) {
      if (mine !== run) return;
      show(docs);
      if (more) more.remove();
      more = null;
      if (ids.length > shown + PAGE) {
        more = element('button', 'button search-more', data.more);
        more.type = 'button';
        more.addEventListener('click', function () {
          var first = list.children.length;
          render(ids, shown + PAGE).then(function () {
            var link = list.children[first] && list.children[first].querySelector('a');
            if (link) link.focus();
          });
        });
        list.after(more);
      }
    });
  }

  function update() {
    var q = input.value.trim();
    var url = new URL(location.href);
    if (q) url.searchParams.set('q', q); else url.searchParams.delete('q');
    history.replaceState(null, '', url);
    var mine = ++run;
    if (!q) {
      list.textContent = '';
      status.textContent = '';
      if (more) more.remove();
      return;
    }
    search(q).then(function (ids) {
      if (mine !== run) return;

      list.textContent = '';
      status.textContent = ids.length ? data.count.replace('{n}', ids.length) : data.none;
      return render(ids, 0);
    }).catch(function () {
      if (mine !== run) return;
      list.textContent = '';
      status.textContent = data.error;
    });
  }

  var timer = null;
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(update, 120);
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    clearTimeout(timer);
    update();
  });

  /* Arrow keys move between the field and the results; Escape goes back to the field. */
  function links() { return Array.from(list.querySelectorAll('a')); }
  input.addEventListener('keydown', function (e) {
    if (e.key === 'ArrowDown' && links().length) {
      e.preventDefault();
      links()[0].focus();
    }
  });
  list.addEventListener('keydown', function (e) {
    var all = links();
    var i = all.indexOf(document.activeElement);
    if (i < 0) return;
    if (e.key === 'ArrowDown' && i + 1 < all.length) { e.preventDefault(); all[i + 1].focus(); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); (i ? all[i - 1] : input).focus(); }
    else if (e.key === 'Escape') { e.preventDefault(); input.focus(); }
  });

  var initial = new URLSearchParams(location.search).get('q');
  if (initial) {
    input.value = initial;
    update();
  }
  form.classList.add('is-ready');
})();
