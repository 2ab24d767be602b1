/* The federation portal's script: the studio filters and the Chinese search over every member.
   The search index (search/, see innostudio/federate/search.py) is fetched only once a visitor types,
   and then only the shards of the query's keys and the record chunks of the results shown. */
(function () {
  "use strict";
  var HAN = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff";
  var TOKEN = new RegExp("[" + HAN + "]+|(?:(?![" + HAN + "])[\\p{L}\\p{N}])+", "gu");
  var IS_HAN = new RegExp("^[" + HAN + "]");
  var MAX_PREFIX = 12;
  var MAX_RUN = 5;  // Han runs up to this length look up all their bigrams, longer ones a covering chain
  var root = document.body.getAttribute("data-root") || "";
  var base = root + "search/";
  var cache = {};

  function get(path) {
    if (!cache[path]) {
      cache[path] = fetch(base + path).then(function (r) {
        if (!r.ok) { throw new Error(path + ": " + r.status); }
        return r.json();
      });
    }
    return cache[path];
  }

  function fnv1a(key) {
    var bytes = new TextEncoder().encode(key), h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) { h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0; }
    return h >>> 0;
  }

  function queryKeys(q) {
    var out = [], seen = {}, tokens = q.normalize("NFKC").toLowerCase().match(TOKEN) || [];
    function add(fam, key) { if (!seen[fam + key]) { seen[fam + key] = 1; out.push([fam, key]); } }
    tokens.forEach(function (t) {
      var chars = Array.from(t);
      if (IS_HAN.test(t)) {
        var n = chars.length;
        if (n === 1) { add("u", t); }
        for (var i = 0; i + 1 < n; i++) {
          if (n <= MAX_RUN || i % 2 === 0 || i === n - 2) { add("b", chars[i] + chars[i + 1]); }
        }
      } else {
        add("b", "~" + chars.slice(0, MAX_PREFIX).join(""));
      }
    });
    return out;
  }

  function postings(meta, fam, key) {
    return get(fam + "/" + (fnv1a(key) % meta.shards[fam]) + ".json").then(function (shard) {
      // tokens: g >= 0 -> the number g after the one after the last; -n -> the next n numbers (search.py encode)
      var tokens = shard[key] || [], ids = [], last = -1;
      for (var i = 0; i < tokens.length; i++) {
        var t = tokens[i];
        if (t >= 0) { last += t + 1; ids.push(last); } else { for (var k = 0; k < -t; k++) { last += 1; ids.push(last); } }
      }
      return ids;
    });
  }

  function find(q) {
    var ks = queryKeys(q);
    if (!ks.length) { return Promise.resolve({meta: null, ids: []}); }
    return get("meta.json").then(function (meta) {
      return Promise.all(ks.map(function (k) { return postings(meta, k[0], k[1]); })).then(function (lists) {
        lists.sort(function (a, b) { return a.length - b.length; });
        var ids = lists[0];
        for (var i = 1; i < lists.length && ids.length; i++) {
          var set = new Set(lists[i]);
          ids = ids.filter(function (x) { return set.has(x); });
        }
        return {meta: meta, ids: ids};
      });
    });
  }

  function records(meta, ids) {
    return Promise.all(ids.map(function (id) {
      return get("r/" + Math.floor(id / meta.chunk) + ".json").then(function (chunk) {
        return chunk[id % meta.chunk];
      });
    }));
  }

  function hit(meta, rec, q) {
    var li = document.createElement("li"), a = document.createElement("a");
    a.textContent = rec.t;
    if (/^https?:\/\//.test(rec.u)) { a.href = rec.u; }
    var kind = document.createElement("span");
    kind.className = "hits__kind";
    kind.textContent = rec.k + " · " + (meta.members[rec.m] || "");
    var line = document.createElement("span");
    line.className = "hits__line";
    line.textContent = rec.s;
    li.appendChild(a); li.appendChild(kind); li.appendChild(line);
    li.exact = rec.t.toLowerCase().indexOf(q.toLowerCase().trim()) >= 0;
    return li;
  }

  function status(text) {
    var p = document.createElement("p");
    p.className = "hits__status";
    p.textContent = text;
    return p;
  }

  function show(box, q, limit, serial) {
    return find(q).then(function (found) {
      if (serial !== box.serial) { return; }
      var ids = found.ids.slice(0, limit);
      return (found.meta ? records(found.meta, ids) : Promise.resolve([])).then(function (recs) {
        if (serial !== box.serial) { return; }
        var list = document.createElement("ul");
        list.className = "hits";
        var items = recs.map(function (r) { return hit(found.meta, r, q); });
        items.filter(function (li) { return li.exact; }).concat(items.filter(function (li) { return !li.exact; }))
          .forEach(function (li) { list.appendChild(li); });
        box.replaceChildren(status(found.ids.length ? "找到 " + found.ids.length + " 项" + (found.ids.length > limit ? "，显示前 " + limit + " 项" : "") : "没有找到“" + q + "”"), list);
        if (found.ids.length > limit && box.id === "fed-search-page") {
          var more = document.createElement("button");
          more.type = "button";
          more.textContent = "显示更多";
          more.addEventListener("click", function () { box.serial += 1; show(box, q, limit + 50, box.serial); });
          box.appendChild(more);
        }
      });
    }).catch(function () {
      if (serial === box.serial) { box.replaceChildren(status("搜索暂时不可用")); }
    });
  }

  function run(box, q, limit) {
    box.serial = (box.serial || 0) + 1;
    if (!q.trim()) { box.replaceChildren(); return; }
    show(box, q, limit, box.serial);
  }

  var page = document.getElementById("fed-search-page");
  document.querySelectorAll("form.fed-search").forEach(function (form) {
    var input = form.querySelector("input[name=q]");
    var box = page || form.querySelector(".fed-search__results");
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { run(box, input.value, page ? 50 : 10); }, 120);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && !page) { box.replaceChildren(); }
    });
    if (page) {
      var q = new URLSearchParams(location.search).get("q") || "";
      if (q) { input.value = q; run(box, q, 50); }
    }
  });

  var filter = document.getElementById("fed-filter");
  if (filter) {
    var cards = Array.prototype.slice.call(document.querySelectorAll("#fed-studios > .card"));
    var count = filter.querySelector(".filters__count");
    var apply = function () {
      var m = filter.member.value, s = filter.status.value, f = filter.field.value, shown = 0;
      cards.forEach(function (c) {
        var ok = (!m || c.getAttribute("data-member") === m) && (!s || c.getAttribute("data-status") === s) &&
          (!f || c.getAttribute("data-fields").split("|").indexOf(f) >= 0);
        c.hidden = !ok;
        if (ok) { shown += 1; }
      });
      count.textContent = "显示 " + shown + " 个工作室";
    };
    filter.hidden = false;
    filter.addEventListener("change", apply);
    filter.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
  }
})();
