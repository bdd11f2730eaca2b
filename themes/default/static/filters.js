/* Filters of /projects/: area, stage, TRL range and cohort, combined.
 *
 * Without JavaScript the page lists every project and links to the static area, stage and
 * cohort pages. With it, this script shows the filter form, hides the cards that do not
 * match, counts what each choice would show, and keeps the choices in the URL query
 * (?area=...&stage=...&trl_min=...&trl_max=...&cohort=...) so a filtered view can be shared.
 * It reads the cards' data-areas, data-stage, data-trl and data-cohort.
 */
(function () {
  'use strict';
  var form = document.getElementById('project-filter');
  var list = document.getElementById('project-list');
  if (!form || !list || !window.URLSearchParams) return;
  var status = document.getElementById('filter-status');
  var empty = document.getElementById('filter-empty');
  var NAMES = ['area', 'stage', 'trl_min', 'trl_max', 'cohort'];
  var fields = {};
  NAMES.forEach(function (n) { if (form.elements[n]) fields[n] = form.elements[n]; });
  var cards = Array.prototype.map.call(list.children, function (li) {
    var d = li.dataset;
    return {
      el: li,
      areas: (d.areas || '').split(' '),
      stage: d.stage || '',
      trl: parseInt(d.trl || '0', 10),
      cohort: d.cohort || '',
    };
  });

  function state() {
    var s = {};
    NAMES.forEach(function (n) { s[n] = fields[n] ? fields[n].value : ''; });
    return s;
  }

  function matches(c, s) {
    if (s.area && c.areas.indexOf(s.area) < 0) return false;
    if (s.stage && c.stage !== s.stage) return false;
    if (s.cohort && c.cohort !== s.cohort) return false;
    if (s.trl_min && !(c.trl >= +s.trl_min)) return false;
    if (s.trl_max && !(c.trl && c.trl <= +s.trl_max)) return false;
    return true;
  }

  function count(s) {
    var n = 0;
    for (var i = 0; i < cards.length; i++) if (matches(cards[i], s)) n++;
    return n;
  }

  /* Each option says how many projects choosing it would show, given the other choices. */
  function recount(s) {
    NAMES.forEach(function (name) {
      var f = fields[name];
      if (!f) return;
      Array.prototype.forEach.call(f.options, function (o) {
        if (!o.value) return;
        var t = Object.assign({}, s);
        t[name] = o.value;
        var n = count(t);
        o.textContent = o.dataset.label + ' (' + n + ')';
        o.disabled = n === 0 && o.value !== s[name];
      });
    });
  }

  function apply() {
    var s = state();
    var shown = 0;
    cards.forEach(function (c) {
      var ok = matches(c, s);
      c.el.hidden = !ok;
      if (ok) shown++;
    });
    recount(s);
    if (empty) empty.hidden = shown > 0;
    status.textContent = form.dataset.shown.replace('{n}', shown).replace('{m}', cards.length);
    var url = new URL(location.href);
    NAMES.forEach(function (n) {
      if (s[n]) url.searchParams.set(n, s[n]); else url.searchParams.delete(n);
    });
    history.replaceState(null, '', url);
  }

  var params = new URLSearchParams(location.search);
  NAMES.forEach(function (n) {
    var v = params.get(n);
    var f = fields[n];
    if (v && f && Array.prototype.some.call(f.options, function (o) { return o.value === v; })) {
      f.value = v;
    }
  });
  form.addEventListener('change', apply);
  form.addEventListener('reset', function () { setTimeout(apply); });
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  // On a phone the form folds away above the list, unless the URL already chose something.
  var details = document.getElementById('filter-details');
  if (details && window.matchMedia('(max-width: 60rem)').matches && !location.search) {
    details.open = false;
  }
  form.hidden = false;
  form.closest('aside').classList.add('is-enhanced');
  apply();
})();
