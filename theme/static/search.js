/* edition: the search page. The form is a plain GET form: the query, the filters and the order
   live in the URL (shareable; the back button works). This script reads them, asks Pagefind
   (the bundle in pagefind/ at the site root, one index per language) and lists the hits, each
   linked to the paragraph that holds it, with the hit words to highlight there. */
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (!form) { return; }
  var S = JSON.parse(document.getElementById("search-strings").textContent);
  var ui = S.ui;
  // The site root and the language roots are relative to this page (the site works under any
  // path): as paths from the server root, to load the bundle and to match Pagefind's result URLs.
  function pathOf(url) { return new URL(url, document.baseURI).pathname; }
  var root = pathOf(document.body.dataset.root);
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var filtersBox = document.getElementById("search-filters");
  var sortSelect = document.getElementById("search-sort");
  var FILTERS = ["speaker", "event", "year", "tag", "text"];
  var PAGE = 10;

  function fmt(s, values) {
    return s.replace(/\{(\w+)\}/g, function (m, k) { return values[k] !== undefined ? values[k] : m; });
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  var state;
  function readState() {
    var params = new URLSearchParams(window.location.search);
    state = { q: (params.get("q") || "").trim(), also: params.getAll("also"), sort: params.get("sort") || "",
              filters: {} };
    FILTERS.forEach(function (f) { var v = params.getAll(f); if (v.length) { state.filters[f] = v; } });
    input.value = state.q;
    sortSelect.value = state.sort;
    form.querySelectorAll("input[name=also]").forEach(function (box) { box.checked = state.also.indexOf(box.value) >= 0; });
  }
  readState();
  function submit() { form.requestSubmit(); }
  form.querySelectorAll("input[name=also]").forEach(function (box) { box.addEventListener("change", submit); });
  sortSelect.addEventListener("change", submit);
  // With JavaScript, a query runs in the page (the URL still records it; back and forward work):
  // the search library, its index and the filters already fetched are not fetched again.
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var url = form.action.split("?")[0] + "?" + new URLSearchParams(new FormData(form)).toString();
    if (url !== window.location.href) { window.history.pushState(null, "", url); }
    readState();
    run();
  });
  window.addEventListener("popstate", function () { readState(); run(); });

  function languageOf(url) {
    var best = S.key;
    Object.keys(S.languages).forEach(function (k) { if (url.indexOf(pathOf(S.languages[k].root)) === 0) { best = k; } });
    return best;
  }
  // The paragraph to open: the one holding most of the hit's locations (a location is a word's
  // position; an anchor's is where its element starts). Hits in the title or summary, before ¶1, do not count.
  function paragraphOf(data) {
    var anchors = (data.anchors || []).filter(function (a) { return /^p\d+$/.test(a.id); })
      .sort(function (a, b) { return a.location - b.location; });
    var counts = {};
    var best = null;
    (data.locations || []).forEach(function (loc) {
      var here = null;
      anchors.forEach(function (a) { if (a.location <= loc) { here = a.id; } });
      if (!here) { return; }
      counts[here] = (counts[here] || 0) + 1;
      if (!best || counts[here] > counts[best]) { best = here; }
    });
    return best;
  }
  function hitWords(excerpt) {
    var words = [];
    excerpt.replace(/<mark>([\s\S]*?)<\/mark>/g, function (m, w) {
      // the marked word, without the punctuation Pagefind marks with it
      var t = w.replace(/<[^>]*>/g, "").replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
      if (t && words.indexOf(t) < 0) { words.push(t); }
      return m;
    });
    return words;
  }

  // Filters are fetched only when the reader opens them (or arrives with one set): each filter is
  // a file of its own that a plain query never needs. Counts are those of the current results.
  var filterBox = document.getElementById("search-filter-box");
  var filtersLoaded = null;
  function renderFilters(counts) {
    filtersBox.textContent = "";
    FILTERS.forEach(function (name) {
      var values = counts[name] || {};
      var chosen = state.filters[name] || [];
      var names = Object.keys(values).filter(function (v) { return values[v] > 0 || chosen.indexOf(v) >= 0; });
      if (!names.length) { return; }
      var fs = el("fieldset", { "class": "filter" });
      fs.appendChild(el("legend", {}, ui["filter_" + name]));
      names.sort().forEach(function (value, i) {
        var id = "f-" + name + "-" + i;
        var box = el("input", { type: "checkbox", name: name, value: value, id: id });
        box.checked = chosen.indexOf(value) >= 0;
        box.addEventListener("change", submit);
        var label = el("label", { "for": id }, value + ui.paren.replace("{}", values[value]));
        var p = el("p");
        p.appendChild(box);
        p.appendChild(label);
        fs.appendChild(p);
      });
      filtersBox.appendChild(fs);
    });
  }

  function item(data) {
    var key = languageOf(data.url);
    var lang = S.languages[key].lang;
    var pid = paragraphOf(data);
    // The query's own words first: a Chinese phrase is matched in pieces but marked whole on arrival.
    var words = state.q.split(/\s+/).filter(Boolean);
    hitWords(data.excerpt || "").forEach(function (w) { if (words.indexOf(w) < 0) { words.push(w); } });
    var href = data.url + (words.length ? "?highlight=" + encodeURIComponent(words.join(" ")) : "") +
      (pid ? "#" + pid : "");
    var li = el("li", { "class": "search-result" });
    var h = el("h2", { "class": "result-title" });
    var a = el("a", { href: href, lang: lang }, (data.meta && data.meta.title) || data.url);
    h.appendChild(a);
    li.appendChild(h);
    var meta = el("p", { "class": "result-meta" });
    var parts = [];
    if (data.meta && data.meta.speaker) { parts.push(el("span", { lang: lang }, data.meta.speaker)); }
    if (data.meta && data.meta.date) { parts.push(el("span", { lang: lang }, data.meta.date)); }
    if (pid) { parts.push(el("span", {}, fmt(ui.in_para, { n: pid.slice(1) }))); }
    if (key !== S.key) { parts.push(el("span", { "class": "badge" }, fmt(ui.result_in, { lang: S.languages[key].name }))); }
    parts.forEach(function (p, i) { if (i) { meta.appendChild(document.createTextNode(" · ")); } meta.appendChild(p); });
    li.appendChild(meta);
    var ex = el("p", { "class": "result-excerpt", lang: lang });
    ex.innerHTML = data.excerpt || "";  // Pagefind's excerpt: escaped text with <mark> around hits
    li.appendChild(ex);
    return li;
  }

  var results = [];
  var shown = 0;
  function showMore() {
    var batch = results.slice(shown, shown + PAGE);
    shown += batch.length;
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (datas) {
      datas.forEach(function (d) { list.appendChild(item(d)); });
      more.hidden = shown >= results.length;
    });
  }
  more.addEventListener("click", function () {
    var first = shown;
    showMore().then(function () {
      var next = list.children[first];
      if (next) { next.querySelector("a").focus(); }
    });
  });

  var pagefind = null;
  var merged = {};
  function library() {
    if (pagefind) { return Promise.resolve(pagefind); }
    return import(root + "pagefind/" + S.key + "/pagefind.js").then(function (pf) {
      return pf.options({ baseUrl: root }).then(function () { pagefind = pf; return pf; });
    });
  }
  function mergeOthers(pf) {
    // The other languages' texts: their indexes merged into this one, on request (once each).
    return Promise.all(state.also.filter(function (k) { return S.languages[k] && k !== S.key && !merged[k]; })
      .map(function (k) {
        merged[k] = true;
        return pf.mergeIndex(root + "pagefind/" + k + "/", { language: S.languages[k].lang.toLowerCase() });
      }));
  }
  function loadFilters(pf) {
    if (!filtersLoaded) { filtersLoaded = pf.filters(); }
    return filtersLoaded;
  }

  var generation = 0;
  var filtersRequested = false;
  function run() {
    if (Object.keys(merged).some(function (k) { return state.also.indexOf(k) < 0; })) {
      window.location.reload();  // an index merged in cannot be taken out again
      return;
    }
    var mine = ++generation;
    status.textContent = state.q ? ui.search_loading : "";
    list.textContent = "";
    more.hidden = true;
    results = [];
    shown = 0;
    var wantFilters = filterBox.open || Object.keys(state.filters).length > 0;
    if (wantFilters) { filterBox.open = true; filtersRequested = true; }
    library().then(function (pf) {
      return mergeOthers(pf).then(function () { return wantFilters ? loadFilters(pf) : null; }).then(function (all) {
        if (!state.q) {
          if (all) { renderFilters(all); }
          return null;
        }
        var options = { filters: {} };
        Object.keys(state.filters).forEach(function (f) { options.filters[f] = { any: state.filters[f] }; });
        // A speech without this language's text is indexed here with another's: where that
        // language's own index is merged in, its page there is the one hit, not both.
        var merging = state.also.filter(function (k) { return merged[k]; });
        if (merging.length) { options.filters.borrowed = { none: merging }; }
        if (state.sort) { options.sort = { date: state.sort === "new" ? "desc" : "asc" }; }
        return pf.search(state.q, options);
      });
    }).then(function (search) {
      if (!search || mine !== generation) { return; }
      if (filterBox.open) { renderFilters(search.filters || {}); }
      results = search.results;
      var n = results.length;
      status.textContent = n === 0 ? fmt(ui.search_none, { q: state.q })
        : fmt(n === 1 ? ui.search_count_one : ui.search_count, { n: n, q: state.q });
      return showMore();
    }).catch(function (e) {
      status.textContent = ui.search_failed;
      if (window.console) { console.warn(e); }
    });
  }
  filterBox.addEventListener("toggle", function () {
    if (filterBox.open && !filtersRequested) { run(); }
  });
  run();
})();
