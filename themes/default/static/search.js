/* Search of the showcase: no server, no dependencies.
 *
 * The build writes per language a manifest (search-index.json), shards of an inverted index
 * (search/t<N>.json: folded term -> postings) and the documents in chunks
 * (search/d<N>.json). A query fetches the manifest, one shard per word it holds and the
 * chunks of the results it shows. The word rule and the shard hash must stay the same as
 * src/render/search.rs (each_word, shard_of): tests/fixtures/search-words.json holds the
 * vectors both are tested against (tests/search_words.rs). The rule is exposed as
 * `showcaseSearch.words(text)` for those tests; pages without the search form only get
 * that global.
 *
 * Matching: each word of the query matches a term exactly, as its beginning (from two
 * letters: the first two pick the shard) or with one typo (two for long words; typos in the
 * first two letters are not forgiven); Kazakh letters typed on a Russian keyboard (а for ә)
 * match below the exact letters. A compound (O'Brien, кейс-стади) matches joined or as all
 * its pieces of more than one letter. Every word must match; a last word of one letter is
 * still being typed and waits for the next. Ranking: title over summary, areas, team and
 * tags, over body; rarer terms weigh more.
 */
(function () {
  'use strict';
  var MAX_TERM = 32;

  /* The word rule (see each_word in src/render/search.rs for the whole of it): NFKC; UAX #29
     word boundaries; pieces of letters and digits with their marks and format characters
     (a mark after anything else belongs to it); a letter of a script written without
     spaces is a word by itself; pieces with one connector between them make a compound
     (joined, then each piece); each word lowercased, ß -> ss, ς -> σ, each character
     decomposed (NFD) less its nonspacing and enclosing marks, format characters and
     tatweel (й and the voiced kana keep theirs), NFC again. */
  var CONNECTOR = /['\u2018\u2019\u02BC\-\u2010._\u00B7"\u05F3\u05F4]/;
  var SOLO = /[\p{scx=Hani}\p{scx=Hira}\p{scx=Kana}\p{scx=Thai}\p{scx=Laoo}\p{scx=Khmr}\p{scx=Mymr}\p{scx=Tale}\p{scx=Talu}\p{scx=Lana}\p{scx=Tavt}\p{scx=Ahom}\p{scx=Tang}\p{scx=Nshu}\p{scx=Kits}]/u;
  var LETTER = /\p{L}/u;
  var LETTER_OR_NL = /[\p{L}\p{Nl}]/u;
  var BASE = /[\p{L}\p{Nd}\p{Nl}]/u;
  var MARK = /[\p{M}\p{Cf}\u0640]/u;
  var DROPPED = /(?![\u3099\u309A])[\p{Mn}\p{Me}\p{Cf}\u0640]/gu;
  /* Intl.Segmenter follows UAX #29 with dictionaries for the scripts written without spaces,
     which the rule splits letter by letter anyway; without it, runs of word characters are
     what UAX #29 gives for the rest. */
  var segmenter = typeof Intl === 'object' && typeof Intl.Segmenter === 'function'
    ? new Intl.Segmenter('en', { granularity: 'word' }) : null;

  function segments(text) {
    if (segmenter) return Array.from(segmenter.segment(text), function (s) { return s.segment; });
    return text.match(/(?:(?!\u200B)[\p{L}\p{M}\p{N}\p{Cf}])+|[^]/gu) || [];
  }

  /* base: a letter or a decimal or letter digit; mark: a mark, a format character (not the
     zero width space) or the tatweel, part of the piece it follows and ignored after
     anything else; solo: a letter that is a word by itself; connector; other. */
  function classOf(c) {
    if (CONNECTOR.test(c)) return 'connector';
    if (c === '\u0640') return 'mark';
    if (LETTER_OR_NL.test(c)) return SOLO.test(c) ? 'solo' : 'base';
    if (BASE.test(c)) return 'base';
    if (c !== '\u200B' && MARK.test(c)) return 'mark';
    return 'other';
  }

  function fold(raw) {
    var out = '';
    for (var c of raw.toLowerCase().replace(/ß/g, 'ss').replace(/ς/g, 'σ')) {
      out += c === 'й' ? c : c.normalize('NFD').replace(DROPPED, '');
    }
    return out.normalize('NFC');
  }

  /* Calls emit(pieces) for each compound of the text: its folded pieces, in order. */
  function eachCompound(text, emit) {
    var raw = '';
    var open = false;
    var solo = false;
    var pieces = [];
    var connector = false;

    function flush() {
      if (pieces.length) emit(pieces);
      pieces = [];
      connector = false;
    }
    function endPiece() {
      if (!open) return;
      open = false;
      var f = fold(raw);
      if (f) pieces.push(f);
      raw = '';
      if (solo) {
        solo = false;
        flush();
      }
    }

    segments(text.normalize('NFKC')).forEach(function (segment) {
      for (var c of segment) {
        var k = classOf(c);
        if (k === 'base') {
          if (solo) endPiece();
          if (!open) {
            if (!connector) flush();
            connector = false;
            open = true;
          }
          raw += c;
        } else if (k === 'mark') {
          if (open) raw += c;
        } else if (k === 'solo') {
          endPiece();
          flush();
          open = true;
          solo = true;
          raw += c;
        } else if (k === 'connector') {
          endPiece();
          if (connector || !pieces.length) flush();
          else connector = true;
        } else {
          endPiece();
          flush();
        }
      }
      // A word boundary inside a run of letters ends the piece; only a connector
      // continues the compound.
      endPiece();
    });
    flush();
  }

  function short(w) {
    return Array.from(w).length <= MAX_TERM;
  }

  /* The words of a text, as the index holds them. */
  function words(text) {
    var out = [];
    eachCompound(text, function (pieces) {
      if (pieces.length > 1 && short(pieces.join(''))) out.push(pieces.join(''));
      pieces.forEach(function (p) { if (short(p)) out.push(p); });
    });
    return out;
  }

  window.showcaseSearch = Object.freeze({ words: words });

  var form = document.getElementById('search-form');
  if (!form || !window.fetch || !window.URLSearchParams) return;
  var input = form.elements.q;
  var list = document.getElementById('search-results');
  var status = document.getElementById('search-status');
  var data = form.dataset;
  var PAGE = 20;
  var KEYBOARD = { 'ә': 'а', 'ғ': 'г', 'қ': 'к', 'ң': 'н', 'ө': 'о', 'ұ': 'у', 'ү': 'у', 'һ': 'х', 'і': 'и' };
  var KAZAKH = /[әғқңөұүһі]/g;
  var HAS_KAZAKH = /[әғқңөұүһі]/;

  /* Kazakh letters as a Russian keyboard types them (shard_of's `keyboard`). */
  function keyboard(w) {
    return w.replace(KAZAKH, function (c) { return KEYBOARD[c]; });
  }

  /* FNV-1a of the code points of the first two letters. */
  function shardOf(term, shards) {
    var h = 0x811c9dc5;
    var n = 0;
    for (var ch of keyboard(term)) {
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
    var typed = keyboard(word);
    for (var term in shard) {
      var quality = 0;
      var key = HAS_KAZAKH.test(term) ? keyboard(term) : term;
      if (term === word) quality = 1;
      else if (key === typed) quality = 0.9;
      else if (len >= 2 && term.startsWith(word)) quality = 0.75;
      else if (len >= 2 && key.startsWith(typed)) quality = 0.7;
      else if (typos && distance(typed, key, typos) <= typos) quality = 0.5;
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

  /* A word of one letter of an alphabet (not a digit, not an ideograph). */
  function oneLetter(w) {
    return Array.from(w).length === 1 && LETTER.test(w) && !SOLO.test(w);
  }

  /* The query as groups that must each match: a word, or a compound, which matches joined
     or as all its pieces of more than one letter ("O'Brien": obrien, or brien). */
  function groupsOf(query) {
    var groups = [];
    eachCompound(query, function (pieces) {
      var joined = pieces.length > 1 && short(pieces.join('')) ? pieces.join('') : null;
      var parts = pieces.filter(short);
      if (pieces.length > 1) parts = parts.filter(function (p) { return !oneLetter(p); });
      if (joined || parts.length) groups.push({ joined: joined, parts: parts });
    });
    // A last word of one letter is being typed: its terms are spread over every shard.
    var last = groups[groups.length - 1];
    if (groups.length > 1 && !last.joined && last.parts.length === 1 && oneLetter(last.parts[0])) {
      groups.pop();
    }
    return groups;
  }

  /* Documents in both maps, their scores added. */
  function both(a, b) {
    var out = new Map();
    a.forEach(function (v, id) { if (b.has(id)) out.set(id, v + b.get(id)); });
    return out;
  }

  function search(query) {
    var groups = groupsOf(query);
    if (!groups.length) return Promise.resolve([]);
    return loadManifest().then(function (m) {
      var terms = [];
      groups.forEach(function (g) {
        if (g.joined) terms.push(g.joined);
        g.parts.forEach(function (p) { terms.push(p); });
      });
      var urls = terms.map(function (t) { return m.base + 't' + shardOf(t, m.shards) + '.json'; });
      return Promise.all(urls.map(getJSON)).then(function (shards) {
        var scored = new Map();
        function score(t) {
          if (!scored.has(t)) scored.set(t, scoreWord(t, shards[terms.indexOf(t)]));
          return scored.get(t);
        }
        var total = null;
        groups.forEach(function (g) {
          // All the pieces, their mean score; or the joined word, whichever is better.
          var s = new Map();
          if (g.parts.length) {
            g.parts.map(score).reduce(both).forEach(function (v, id) {
              s.set(id, v / g.parts.length);
            });
          }
          if (g.joined) {
            score(g.joined).forEach(function (v, id) { if (!(s.get(id) >= v)) s.set(id, v); });
          }
          total = total === null ? s : both(total, s);
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
    // The same search in another language: the switcher keeps the query.
    document.querySelectorAll('.lang-switch a[hreflang]').forEach(function (a) {
      var to = new URL(a.href, location.href);
      to.search = url.search;
      a.href = to.pathname + to.search;
    });
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
