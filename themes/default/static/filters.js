/* Filters of /projects/: area, stage, TRL range and cohort, combined, over the whole
 * catalogue.
 *
 * Without JavaScript the page lists one page of projects (with links to the others) and
 * links to the static area, stage and cohort pages. With it, this script shows the filter
 * form. The first choice loads the filter index (the form's data-index: every project's
 * title, URL, summary, stage, TRL, cohort, areas and logo; its shape is described in
 * src/render/filter_index.rs), then the script counts what each choice would show, draws
 * the matching projects as cards (a page at a time, with "Show more"), and keeps the
 * choices in the URL query (?area=...&stage=...&trl_min=...&trl_max=...&cohort=...) so a
 * filtered view can be shared; the language switcher keeps them too. With no choice, the
 * page's own cards and pager are shown again. If the index cannot be loaded, the filters
 * work on the cards of this page only, and say so.
 */
(function () {
  'use strict';
  var form = document.getElementById('project-filter');
  var list = document.getElementById('project-list');
  if (!form || !list || !window.URLSearchParams || !window.fetch) return;
  var status = document.getElementById('filter-status');
  var empty = document.getElementById('filter-empty');
  var pager = list.parentNode.querySelector('.pager');
  var data = form.dataset;
  var PER_PAGE = +data.perPage || 48;
  var NAMES = ['area', 'stage', 'trl_min', 'trl_max', 'cohort'];
  var fields = {};
  NAMES.forEach(function (n) { if (form.elements[n]) fields[n] = form.elements[n]; });
  var ownCards = Array.prototype.slice.call(list.children);
  // The cards of this page, as rows of the index's shape (used until the index loads, and
  // if it cannot).
  var pageRows = ownCards.map(function (li) {
    var d = li.dataset;
    return { el: li, areas: (d.areas || '').split(' '), stage: d.stage || '',
      trl: parseInt(d.trl || '0', 10), cohort: d.cohort || '' };
  });
  var index = null;      // rows of the whole catalogue, once loaded
  var loading = null;    // the promise of the index
  var failed = false;
  var shownUpTo = PER_PAGE;
  var more = null;

  function options(name) {
    return fields[name] ? Array.prototype.slice.call(fields[name].options) : [];
  }

  function known(name, v) {
    return options(name).some(function (o) { return o.value === v; });
  }

  function state() {
    var s = {};
    NAMES.forEach(function (n) { s[n] = fields[n] ? fields[n].value : ''; });
    return s;
  }

  function active(s) {
    return NAMES.some(function (n) { return s[n]; });
  }

  function matches(c, s) {
    if (s.area && c.areas.indexOf(s.area) < 0) return false;
    if (s.stage && c.stage !== s.stage) return false;
    if (s.cohort && c.cohort !== s.cohort) return false;
    if (s.trl_min && !(c.trl >= +s.trl_min)) return false;
    if (s.trl_max && !(c.trl && c.trl <= +s.trl_max)) return false;
    return true;
  }

  function rows() { return index || pageRows; }

  function count(s) {
    var n = 0, r = rows();
    for (var i = 0; i < r.length; i++) if (matches(r[i], s)) n++;
    return n;
  }

  /* Each option says how many projects choosing it would show, given the other choices.
   * None is disabled: a visitor can always change one choice without undoing another, and
   * a choice that shows nothing says so and offers the reset. */
  function recount(s) {
    if (!index && !active(s)) return; // the server's counts are right for no choice
    NAMES.forEach(function (name) {
      options(name).forEach(function (o) {
        if (!o.value) return;
        var t = Object.assign({}, s);
        t[name] = o.value;
        o.textContent = o.dataset.label + ' (' + count(t) + ')';
      });
    });
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function label(name, value) {
    var o = options(name).filter(function (o) { return o.value === value; })[0];
    return o ? o.dataset.label : value;
  }

  /* A card like the theme's project_card component (templates/macros.html). */
  function card(r) {
    var li = el('li', 'card project-card');
    var head = el('div', 'card-head');
    if (r.logo) {
      var img = el('img', 'card-logo');
      var w = r.logo[1], h = r.logo[2], size = 48;
      if (w && h) {
        if (w >= h) { h = Math.round(size * h / w); w = size; } else { w = Math.round(size * w / h); h = size; }
        img.width = w; img.height = h;
      }
      img.src = r.logo[0];
      if (r.logo[3]) { img.srcset = r.logo[3]; img.sizes = size + 'px'; }
      img.alt = ''; img.loading = 'lazy'; img.decoding = 'async';
      head.appendChild(img);
    } else {
      var letter = el('span', 'card-logo card-logo-text', (Array.from(r.title)[0] || '').toUpperCase());
      letter.setAttribute('aria-hidden', 'true');
      head.appendChild(letter);
    }
    var h3 = el('h3', 'card-title');
    var a = el('a', null, r.title);
    a.href = r.url;
    h3.appendChild(a);
    if (r.lang) h3.lang = r.lang;
    head.appendChild(h3);
    li.appendChild(head);
    if (r.summary) {
      var p = el('p', 'card-text', r.summary);
      if (r.summaryLang) p.lang = r.summaryLang;
      li.appendChild(p);
    }
    var badges = el('p', 'badges');
    if (r.lang) {
      var b = el('span', 'badge badge-muted', r.lang.toUpperCase());
      b.title = data.tUntranslated;
      badges.appendChild(b);
      badges.appendChild(document.createTextNode(' '));
    }
    if (r.stage) {
      var st = el('span', 'badge stage stage-' + r.stage);
      st.appendChild(el('span', 'visually-hidden', data.tStage + ': '));
      st.appendChild(document.createTextNode(label('stage', r.stage)));
      badges.appendChild(st);
      badges.appendChild(document.createTextNode(' '));
    }
    if (r.trl) {
      var t = el('span', 'badge badge-trl');
      var abbr = el('abbr', null, data.tTrl);
      abbr.title = data.tTrlFull;
      t.appendChild(abbr);
      t.appendChild(document.createTextNode(' ' + r.trl));
      badges.appendChild(t);
    }
    li.appendChild(badges);
    if (r.areas.length) {
      var tags = el('p', 'card-tags');
      tags.appendChild(el('span', 'visually-hidden', data.tAreas + ': '));
      r.areas.forEach(function (k, i) {
        if (i) tags.appendChild(el('span', 'visually-hidden', ', '));
        var tag = el('span', 'tag', label('area', k));
        // An area name site.yaml does not give in this language is marked as its option is.
        var o = options('area').filter(function (o) { return o.value === k; })[0];
        if (o && o.lang) tag.lang = o.lang;
        tags.appendChild(tag);
      });
      li.appendChild(tags);
    }
    return li;
  }

  function load() {
    if (!loading) {
      var base = new URL(data.index, location.href);
      loading = fetch(data.index, { credentials: 'same-origin' })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (j) {
          if (j.v !== 1) throw new Error('filter index version ' + j.v);
          index = j.projects.map(function (p) {
            // The slug, encoded, is always a folder under the index's: never another
            // scheme or host, whatever the file holds.
            return { title: p[0], url: new URL(encodeURIComponent(p[1]) + '/', base).href,
              summary: p[2], stage: j.stages[p[3]] || '',
              trl: p[4], cohort: j.cohorts[p[5]] || '',
              areas: p[6].map(function (i) { return j.areas[i]; }), logo: p[7] || null,
              lang: p[8], summaryLang: p[9] };
          });
        })
        .catch(function () { failed = true; });
    }
    return loading;
  }

  function showMore() {
    shownUpTo += PER_PAGE;
    apply(true);
  }

  function draw(s) {
    var shown = 0;
    if (!active(s)) {
      // No choice: this page's own cards and pager.
      list.replaceChildren.apply(list, ownCards);
      ownCards.forEach(function (li) { li.hidden = false; });
      if (pager) pager.hidden = false;
      if (more) more.hidden = true;
      return ownCards.length;
    }
    if (pager) pager.hidden = true;
    if (!index) {
      // Without the index: this page's cards only.
      pageRows.forEach(function (c) {
        var ok = matches(c, s);
        c.el.hidden = !ok;
        if (ok) shown++;
      });
      return shown;
    }
    var found = index.filter(function (r) { return matches(r, s); });
    var frag = document.createDocumentFragment();
    found.slice(0, shownUpTo).forEach(function (r) { frag.appendChild(card(r)); });
    list.replaceChildren(frag);
    if (!more) {
      more = el('button', 'button filter-more', data.tMore);
      more.type = 'button';
      more.addEventListener('click', showMore);
      list.parentNode.insertBefore(more, empty);
    }
    more.hidden = found.length <= shownUpTo;
    return found.length;
  }

  /* Carries the choices over to the same page in another language (keys, not names, are in
   * the query: they are the same in every language). */
  function keepInSwitcher(search) {
    document.querySelectorAll('.lang-switch a[hreflang]').forEach(function (a) {
      var u = new URL(a.href, location.href);
      u.search = search;
      a.href = u.pathname + u.search;
    });
  }

  function apply(keepMore) {
    var s = state();
    if (!keepMore) shownUpTo = PER_PAGE;
    var total = index ? index.length : +data.total;
    var shown = draw(s);
    recount(s);
    if (empty) empty.hidden = !active(s) || shown > 0;
    if (active(s)) {
      var text = data.shown.replace('{n}', shown).replace('{m}', total);
      status.textContent = failed ? text + ' ' + data.tFailed : text;
    } else {
      status.textContent = '';
    }
    var url = new URL(location.href);
    NAMES.forEach(function (n) {
      if (s[n]) url.searchParams.set(n, s[n]); else url.searchParams.delete(n);
    });
    history.replaceState(null, '', url);
    keepInSwitcher(url.search);
  }

  function changed() {
    if (active(state()) && !index && !failed) {
      // The list stays as it is until the whole catalogue is there to filter.
      load().then(function () { apply(); });
      status.textContent = data.tLoading;
      return;
    }
    apply();
  }

  // The URL's choices, as far as they still make sense: an area or cohort that no longer
  // exists is dropped, and a TRL range written backwards (trl_min=8&trl_max=3) is read
  // the right way round rather than showing nothing.
  var params = new URLSearchParams(location.search);
  NAMES.forEach(function (n) {
    var v = params.get(n);
    if (v && known(n, v)) fields[n].value = v;
  });
  if (fields.trl_min && fields.trl_max && fields.trl_min.value && fields.trl_max.value &&
      +fields.trl_min.value > +fields.trl_max.value) {
    var lo = fields.trl_max.value;
    fields.trl_max.value = fields.trl_min.value;
    fields.trl_min.value = lo;
  }
  form.addEventListener('change', changed);
  form.addEventListener('reset', function () { setTimeout(changed); });
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  // On a phone the form folds away above the list, unless the URL already chose something.
  var details = document.getElementById('filter-details');
  if (details && window.matchMedia('(max-width: 60rem)').matches && !active(state())) {
    details.open = false;
  }
  form.hidden = false;
  form.closest('aside').classList.add('is-enhanced');
  changed();
})();
