/* edition: progressive enhancements. Everything works without this file except the view
   switch and the note popovers. */
(function () {
  "use strict";
  var store = {
    get: function (k) { try { return localStorage.getItem(k); } catch (e) { return null; } },
    set: function (k, v) { try { localStorage.setItem(k, v); } catch (e) { /* private mode */ } }
  };
  var root = document.documentElement;

  /* Opened from disk (file://), a link to a folder would show the folder: point the site's links
     at the folder's index.html instead. Served over HTTP, links stay as they are. */
  if (window.location.protocol === "file:") {
    document.querySelectorAll("a[href]").forEach(function (a) {
      var href = a.getAttribute("href");
      if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(href)) { return; }  // another scheme or host
      var parts = href.split("#");
      if (parts[0] === "" || !/\/$/.test(parts[0])) { return; }  // this page, or a file
      parts[0] += "index.html";
      a.setAttribute("href", parts.join("#"));
    });
  }

  /* The language chooser at the site root: go straight to the remembered language. */
  if (document.body.classList.contains("chooser") && document.body.dataset.root !== undefined) {
    var remembered = store.get("edition-lang");
    var choice = remembered && document.querySelector('a.choose[data-lang-key="' + remembered + '"]');
    if (choice) { window.location.replace(choice.href); return; }
  }

  /* Language links keep the reader on the same paragraph and remember the choice. */
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest && ev.target.closest("a[data-lang-key]");
    if (!a) { return; }
    store.set("edition-lang", a.dataset.langKey);
    if (a.hasAttribute("data-keep-hash") && window.location.hash) {
      a.href = a.href.split("#")[0] + window.location.hash;
    }
  });
  var here = document.body.dataset.lang;
  if (here) { store.set("edition-lang", here); }

  /* View switch: parallel, translation only, original only; remembered across pages. */
  var sw = document.querySelector(".view-switch");
  if (sw) {
    var buttons = sw.querySelectorAll("button[data-view]");
    var apply = function (view) {
      if (view === "parallel") { delete root.dataset.view; } else { root.dataset.view = view; }
      buttons.forEach(function (b) { b.setAttribute("aria-pressed", String(b.dataset.view === view)); });
    };
    apply(store.get("edition-view") || "parallel");
    buttons.forEach(function (b) {
      b.addEventListener("click", function () { store.set("edition-view", b.dataset.view); apply(b.dataset.view); });
    });
    sw.hidden = false;
  }

  /* Note popovers: a reference opens its note beside it; Escape or the close button returns. */
  var open = null;
  function close(refocus) {
    if (!open) { return; }
    var ref = open.ref;
    open.box.remove();
    ref.setAttribute("aria-expanded", "false");
    open = null;
    if (refocus) { ref.focus(); }
  }
  function show(ref) {
    var note = document.getElementById(ref.dataset.note);
    if (!note) { return false; }
    close(false);
    var box = document.createElement("div");
    box.className = "note-popover";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-label", ref.getAttribute("aria-label") || ref.textContent);
    box.tabIndex = -1;
    var body = document.createElement("div");
    body.lang = note.closest("[lang]").lang;
    Array.prototype.forEach.call(note.childNodes, function (n) {
      if (!(n.classList && n.classList.contains("fn-back"))) { body.appendChild(n.cloneNode(true)); }
    });
    var btn = document.createElement("button");
    btn.type = "button";
    btn.className = "close";
    btn.setAttribute("aria-label", document.body.dataset.lang === "zh" ? "关闭" : "Close");
    btn.textContent = "×";
    btn.addEventListener("click", function () { close(true); });
    box.appendChild(body);
    box.appendChild(btn);
    // In the DOM right after its reference (inside the marker's <sup>): Tab and Shift+Tab go on
    // from the text. Placed in page coordinates against its positioned container.
    var anchor = ref.closest(".fn-ref") || ref;
    anchor.insertAdjacentElement("afterend", box);
    var r = ref.getBoundingClientRect();
    var parent = box.offsetParent || document.body;
    var pr = parent.getBoundingClientRect();
    var vw = document.documentElement.clientWidth;
    var left = Math.max(8, Math.min(r.left, vw - box.offsetWidth - 8));
    box.style.left = (left - pr.left) + "px";
    box.style.top = (r.bottom - pr.top + 6) + "px";
    ref.setAttribute("aria-expanded", "true");
    open = { box: box, ref: ref };
    box.focus();
    return true;
  }
  document.addEventListener("click", function (ev) {
    var ref = ev.target.closest && ev.target.closest("a[role=doc-noteref]");
    if (ref) {
      if (show(ref)) { ev.preventDefault(); }
      return;
    }
    if (open && !open.box.contains(ev.target)) { close(false); }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && open) { ev.preventDefault(); close(true); }
  });
  document.addEventListener("focusin", function (ev) {
    if (open && !open.box.contains(ev.target) && ev.target !== open.ref) { close(false); }
  });

  /* The phone header: search and language behind one button; it closes when focus leaves it. */
  var toggle = document.querySelector(".tools-toggle");
  var tools = document.getElementById("site-tools");
  if (toggle && tools) {
    var setTools = function (on) { toggle.setAttribute("aria-expanded", String(on)); };
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var on = toggle.getAttribute("aria-expanded") !== "true";
      setTools(on);
      if (on) { var q = tools.querySelector("input"); if (q) { q.focus(); } }
    });
    tools.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && toggle.getAttribute("aria-expanded") === "true" && toggle.offsetParent) {
        setTools(false); toggle.focus();
      }
    });
    document.addEventListener("focusin", function (ev) {
      if (!tools.contains(ev.target) && ev.target !== toggle) { setTools(false); }
    });
  }

  /* The citation panel: one style at a time, chosen in a list (remembered). */
  var styleSelect = document.getElementById("cite-style");
  if (styleSelect) {
    var styles = document.querySelectorAll(".cite-style[data-style]");
    var showStyle = function (id) {
      styles.forEach(function (d) { d.hidden = d.dataset.style !== id; });
    };
    var kept = store.get("edition-cite-style");
    if (kept && document.querySelector('.cite-style[data-style="' + kept + '"]')) { styleSelect.value = kept; }
    showStyle(styleSelect.value);
    styleSelect.addEventListener("change", function () {
      store.set("edition-cite-style", styleSelect.value);
      showStyle(styleSelect.value);
    });
    styleSelect.closest(".cite-select").hidden = false;
  }
})();

/* Arriving from a search result (?highlight=words#pN): mark the words in that paragraph. */
(function () {
  "use strict";
  var words = new URLSearchParams(window.location.search).get("highlight");
  if (!words) { return; }
  // Longest first, so that a phrase is marked whole rather than as the pieces it also contains.
  var terms = words.split(/\s+/).filter(Boolean).sort(function (a, b) { return b.length - a.length; }).map(function (w) { return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
  if (!terms.length) { return; }
  var pattern = new RegExp("(" + terms.join("|") + ")", "gi");
  var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
  var scope = target || document.querySelector(".aligned");
  if (!scope) { return; }
  var walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT, null);
  var nodes = [];
  while (walker.nextNode()) { nodes.push(walker.currentNode); }
  nodes.forEach(function (node) {
    if (!pattern.test(node.nodeValue) || node.parentNode.closest(".pn, .vh, mark")) { pattern.lastIndex = 0; return; }
    pattern.lastIndex = 0;
    var frag = document.createDocumentFragment();
    var last = 0;
    node.nodeValue.replace(pattern, function (m, g, offset) {
      frag.appendChild(document.createTextNode(node.nodeValue.slice(last, offset)));
      var mark = document.createElement("mark");
      mark.className = "search-hit";
      mark.textContent = m;
      frag.appendChild(mark);
      last = offset + m.length;
      return m;
    });
    frag.appendChild(document.createTextNode(node.nodeValue.slice(last)));
    node.parentNode.replaceChild(frag, node);
  });
})();

/* Copy buttons (the citation panel) and the ¶N menu: copy the paragraph's link or its citation. */
(function () {
  "use strict";
  if (!navigator.clipboard) { return; }
  function copy(button, text) {
    navigator.clipboard.writeText(text).then(function () {
      var label = button.textContent;
      button.textContent = button.dataset.copied || label;
      setTimeout(function () { button.textContent = label; }, 1500);
    });
  }
  document.querySelectorAll("button.copy[data-copy]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { copy(b, b.dataset.copy); });
  });
  var article = document.querySelector("article[data-cite-prefix]");
  if (!article) { return; }
  var d = article.dataset;
  var menu = null;
  function close(refocus) {
    if (!menu) { return; }
    var pn = menu.pn;
    menu.box.remove();
    menu = null;
    if (refocus) { pn.focus(); }
  }
  function button(label, text) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.dataset.copied = d.copied;
    b.addEventListener("click", function () { copy(b, text); });
    return b;
  }
  article.addEventListener("click", function (ev) {
    var pn = ev.target.closest && ev.target.closest("a.pn");
    if (!pn) { return; }
    ev.preventDefault();
    close(false);
    var n = pn.getAttribute("href").slice(2);
    if (window.location.hash !== "#p" + n) { window.location.hash = "p" + n; }
    var url = d.citeUrl + "#p" + n;
    var box = document.createElement("div");
    box.className = "pn-menu";
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", pn.getAttribute("aria-label"));
    box.appendChild(button(d.copyLink.replace("{n}", n), url));
    box.appendChild(button(d.copyCitation.replace("{n}", n),
      d.citePrefix + d.citePinpoint.replace("{n}", n) + url + d.citeEnd));
    pn.insertAdjacentElement("afterend", box);
    box.style.top = (pn.offsetTop + pn.offsetHeight + 4) + "px";  // below the ¶, never over it
    menu = { box: box, pn: pn };
    box.querySelector("button").focus();
  });
  /* A correction's source reading opens at the word; near the edge of a phone's screen it is moved
     back inside it (the page must never scroll sideways). */
  function keepInView(ev) {
    var corr = ev.target.closest && ev.target.closest(".ed-corr");
    var sic = corr && corr.querySelector(".ed-sic");
    if (!sic) { return; }
    sic.style.translate = "";
    window.requestAnimationFrame(function () {
      var r = sic.getBoundingClientRect();
      var room = document.documentElement.clientWidth - 8;
      var dx = r.right > room ? room - r.right : 0;
      if (r.left + dx < 8) { dx = 8 - r.left; }
      if (dx) { sic.style.translate = dx + "px 0"; }
    });
  }
  document.addEventListener("focusin", keepInView);
  document.addEventListener("mouseover", keepInView);
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape" && menu) { close(true); } });
  document.addEventListener("focusin", function (ev) {
    if (menu && !menu.box.contains(ev.target) && ev.target !== menu.pn) { close(false); }
  });
  document.addEventListener("click", function (ev) {
    if (menu && !menu.box.contains(ev.target) && !(ev.target.closest && ev.target.closest("a.pn"))) { close(false); }
  });
})();
