/* Site search: the header's box and the /search/?q= page, over Pagefind's chunked index.
 *
 * Nothing is fetched until the visitor starts to search (focuses the box or opens a ?q= link). Pagefind
 * then loads its runtime and, per query, only the index chunks and result fragments it needs: on a
 * provincial site of hundreds of studios a first search costs a few hundred kilobytes, not the whole
 * index. Results are built with DOM nodes (titles and excerpts as text; only Pagefind's <mark> kept).
 */
(function () {
  "use strict";
  // Material fetches sitemap.xml for every <link rel=alternate> (it expects language versions); the feed
  // link is one too. Feed readers read the static HTML, so the live page can drop the keyword: no
  // sitemap download (24 KB gzipped at 300 studios, and growing) on every page view.
  Array.prototype.forEach.call(document.querySelectorAll('link[rel=alternate][type$="+xml"]'), function (l) {
    l.rel = "feed";
  });
  var script = document.currentScript;
  var root = new URL("../", script ? script.src : location.href);  // the site root (assets/ is one level down)
  var T = {
    placeholder: "键入以开始搜索", none: "没有找到符合条件的结果", one: "找到 1 个符合条件的结果",
    other: "# 个符合条件的结果", error: "搜索暂时不可用，请稍后再试"
  };
  try {
    var cfg = JSON.parse(document.getElementById("__config").textContent).translations || {};
    ["placeholder", "none", "one", "other"].forEach(function (k) {
      if (cfg["search.result." + k]) T[k] = cfg["search.result." + k];
    });
  } catch (e) { /* defaults above */ }

  var engine = null;
  function load() {
    if (!engine) {
      engine = import(new URL("pagefind/pagefind.js", root).href).then(function (pf) {
        return pf.options({ baseUrl: root.pathname, excerptLength: 28 }).then(function () {
          pf.init();
          return pf;
        });
      });
      engine.catch(function () { engine = null; });
    }
    return engine;
  }

  // The index segments Chinese with a dictionary at build time, the browser with its own segmenter:
  // the two disagree (药学院分工会 vs 药|学院|分|工会), so a word can miss pages that hold it. The query
  // is searched as typed and with its Han characters apart, the results merged; pages holding the query
  // as typed come first: in the title, then in the text.
  var HAN = /(\p{Script=Han})/gu;
  function terms(q) { return q.replace(HAN, " $1 ").replace(/\s+/g, " ").trim(); }
  function words(q) {
    if (typeof Intl === "undefined" || !Intl.Segmenter) return q.split(/\s+/).filter(Boolean);
    var out = [];
    for (var it = new Intl.Segmenter("zh", { granularity: "word" }).segment(q)[Symbol.iterator](), x = it.next();
         !x.done; x = it.next()) {
      if (x.value.isWordLike) out.push(x.value.segment);
    }
    return out;
  }
  // Searches to run: the query as typed and with its Han characters apart (a page must hold every
  // word), and, for a query of several words, each word alone: a page holding most of them still
  // shows (钙钛矿 is 钙|钛|矿 to the browser and one word in the index).
  function variants(q) {
    var out = [{ q: q, all: true }], split = terms(q), ws = words(q);
    if (split !== q) out.push({ q: split, all: true });
    if (ws.length > 1 && ws.length <= 12) ws.forEach(function (w) { out.push({ q: w, all: false }); });
    return out;
  }
  function merge(queries, all) {
    var pages = {}, parts = queries.filter(function (v) { return !v.all; }).length;
    all.forEach(function (res, i) {
      (res ? res.results : []).forEach(function (r) {
        var p = pages[r.id] || (pages[r.id] = { r: r, score: 0, hits: 0, full: false });
        if (queries[i].all) p.full = true; else p.hits += 1;
        if (r.score > p.score) { p.score = r.score; p.r = r; }
      });
    });
    return Object.keys(pages).map(function (k) { return pages[k]; })
      .filter(function (p) { return p.full || p.hits * 2 >= parts; })
      .sort(function (a, b) {
        return (b.full ? parts : b.hits) - (a.full ? parts : a.hits) || b.score - a.score || (a.r.id < b.r.id ? -1 : 1);
      })
      .map(function (p) { return p.r; });
  }

  function rank(data, q) {
    var plain = q.replace(/\s+/g, "");
    function tier(d) {
      var t = d.title.replace(/\s+/g, "");
      if (t === plain) return 0;
      if (t.indexOf(plain) >= 0) return 1;
      return (d.content || "").replace(/\s+/g, "").indexOf(plain) >= 0 ? 2 : 3;
    }
    data.forEach(function (d) { d.title = title(d); });
    return data.map(function (d, i) { return [tier(d), i, d]; })
      .sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; })
      .map(function (x) { return x[2]; });
  }

  function countText(n) {
    return n === 0 ? T.none : n === 1 ? T.one : T.other.replace("#", String(n));
  }

  // Pagefind's excerpt is escaped text with <mark> around the hits: keep the text and the marks only.
  function excerpt(into, html) {
    var tpl = document.createElement("template");
    tpl.innerHTML = html;
    Array.prototype.forEach.call(tpl.content.childNodes, function (node) {
      if (node.nodeName === "MARK") {
        var m = document.createElement("mark");
        m.textContent = node.textContent;
        into.appendChild(m);
      } else {
        into.appendChild(document.createTextNode(node.textContent));
      }
    });
  }

  // Titles arrive hex-encoded (see hooks/innostudio_hooks.py: Pagefind would otherwise index them).
  function title(d) {
    var hex = (d.meta && d.meta.title) || "";
    if (!/^([0-9a-f]{2})+$/.test(hex)) return hex || d.url;
    var bytes = new Uint8Array(hex.length / 2);
    for (var i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.substr(i * 2, 2), 16);
    return new TextDecoder().decode(bytes);
  }

  function item(d) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var a = document.createElement("a");
    a.className = "md-search-result__link";
    a.href = d.url;
    var art = document.createElement("article");
    art.className = "md-search-result__article md-typeset";
    var head = document.createElement("div");
    head.className = "inno-search__title";
    head.textContent = d.title;
    var p = document.createElement("p");
    p.className = "md-search-result__teaser";
    excerpt(p, d.excerpt || "");
    art.appendChild(head);
    art.appendChild(p);
    a.appendChild(art);
    li.appendChild(a);
    return li;
  }

  // One search box: its input, the list it fills and the status line read out to screen readers.
  // From a keystroke until the results of what the box then holds are shown, the list is aria-busy: a
  // screen reader waits, and a script (or a test) can tell the results of the query typed from those
  // of a shorter one searched while the visitor was still typing.
  function Searcher(input, list, status, limit) {
    var seq = 0, asked = 0, timer = null;
    function settle(want) {
      if (want === asked) list.removeAttribute("aria-busy");
    }
    function show(q) {
      var my = ++seq, want = asked;
      if (!q) {
        list.textContent = "";
        status.textContent = T.placeholder;
        settle(want);
        return;
      }
      load().then(function (pf) {
        var queries = variants(q);
        return Promise.all(queries.map(function (v) { return pf.search(v.q); })).then(function (all) {
          return merge(queries, all);
        });
      }).then(function (found) {
        if (my !== seq) return null;
        return Promise.all(found.slice(0, limit).map(function (r) { return r.data(); })).then(function (data) {
          if (my !== seq) return;
          list.textContent = "";
          rank(data, q).forEach(function (d) { list.appendChild(item(d)); });
          status.textContent = countText(found.length);
          settle(want);
        });
      }).catch(function () {
        if (my !== seq) return;
        status.textContent = T.error;
        settle(want);
      });
    }
    this.run = function (q, now) {
      clearTimeout(timer);
      asked += 1;
      list.setAttribute("aria-busy", "true");
      q = (q || "").trim();
      if (now) show(q); else timer = setTimeout(function () { show(q); }, 120);
    };
    var self = this;
    input.addEventListener("input", function () { self.run(input.value); });
    input.addEventListener("focus", function () { load(); }, { once: true });
  }

  function links(list) { return Array.prototype.slice.call(list.querySelectorAll("a")); }

  // Arrow keys move between the box and the results; Escape leaves.
  function arrows(input, list, onEscape) {
    function move(e, from) {
      var all = links(list);
      var i = all.indexOf(from);
      if (e.key === "ArrowDown" && all.length) {
        e.preventDefault();
        all[Math.min(i + 1, all.length - 1)].focus();
      } else if (e.key === "ArrowUp" && i >= 0) {
        e.preventDefault();
        if (i === 0) input.focus(); else all[i - 1].focus();
      } else if (e.key === "Escape" && onEscape) {
        e.preventDefault();
        onEscape();
      }
    }
    input.addEventListener("keydown", function (e) { move(e, input); });
    list.addEventListener("keydown", function (e) { move(e, e.target.closest("a")); });
  }

  function header() {
    var box = document.querySelector(".inno-search");
    if (!box) return;
    var toggle = document.getElementById("__search");
    var input = box.querySelector("input[name=q]");
    var list = box.querySelector(".md-search-result__list");
    var status = box.querySelector(".md-search-result__meta");
    var s = new Searcher(input, list, status, 10);
    function open(on) { if (toggle && toggle.checked !== on) toggle.checked = on; }
    input.addEventListener("focus", function () { open(true); });
    if (toggle) {
      toggle.addEventListener("change", function () {
        if (toggle.checked) input.focus(); else input.blur();
      });
    }
    box.querySelector("form").addEventListener("reset", function () { s.run("", true); input.focus(); });
    arrows(input, list, function () { open(false); input.blur(); });
    box.querySelector(".md-search__overlay").addEventListener("click", function () { input.blur(); });
    document.addEventListener("keydown", function (e) {  // "/" or "s" jumps to the box, as in Material
      var t = e.target;
      if (e.ctrlKey || e.metaKey || e.altKey || (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)))) return;
      if (e.key === "/" || e.key === "s") { e.preventDefault(); input.focus(); input.select(); }
    });
    return { input: input, searcher: s };
  }

  function page(head) {  // /search/?q=词: a shareable results page
    var form = document.querySelector(".inno-search-page form");
    if (!form) return;
    var input = form.querySelector("input[name=q]");
    var list = document.querySelector(".inno-search-page__results");
    var status = document.querySelector(".inno-search-page__status");
    var s = new Searcher(input, list, status, 50);
    arrows(input, list, null);
    form.addEventListener("submit", function (e) { e.preventDefault(); s.run(input.value, true); });
    input.addEventListener("input", function () {
      var url = new URL(location.href);
      if (input.value.trim()) url.searchParams.set("q", input.value.trim()); else url.searchParams.delete("q");
      history.replaceState(null, "", url.href);
    });
    var q = new URLSearchParams(location.search).get("q") || "";
    if (q) {
      input.value = q;
      if (head) head.input.value = q;
      s.run(q, true);
    }
  }

  page(header());
})();
