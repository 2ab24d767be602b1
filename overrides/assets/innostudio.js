/* Directory filters: progressive enhancement. Without JavaScript the directory is a plain list. The filters
   apply as they change, so they sit in a search region rather than a form with nothing to submit. */
(function () {
  function setup() {
    var form = document.querySelector(".inno-filter");
    if (!form || form.dataset.ready) return;
    form.dataset.ready = "1";
    var cards = Array.prototype.slice.call(document.querySelectorAll(".inno-directory .inno-card"));
    var empty = document.querySelector(".inno-filter__empty");
    var count = form.querySelector(".inno-filter__count");
    function value(name) { return form.querySelector("select[name=" + name + "]").value; }
    function apply() {
      var unit = value("unit"), field = value("field"), status = value("status");
      var shown = 0;
      cards.forEach(function (card) {
        var ok = (!unit || card.dataset.unit === unit) &&
          (!field || card.dataset.fields.split("|").indexOf(field) >= 0) &&
          (!status || card.dataset.status === status);
        card.hidden = !ok;
        if (ok) shown += 1;
      });
      if (count) count.textContent = "显示 " + shown + " / " + cards.length + " 个工作室";
      if (empty) empty.hidden = shown > 0;
    }
    form.addEventListener("change", apply);
    form.hidden = false;
    apply();
  }
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(setup); }
  else if (document.readyState !== "loading") { setup(); }
  else { document.addEventListener("DOMContentLoaded", setup); }
})();

/* An older link to a rule (/rules/#S1-1, from a check message) goes on to the rule's own page. */
(function () {
  function follow() {
    var id = decodeURIComponent(location.hash.slice(1));
    var row = id && document.getElementById(id);
    var page = row && row.getAttribute("data-rule-page");
    if (page) { location.replace(page); }
  }
  window.addEventListener("hashchange", follow);
  if (document.readyState !== "loading") { follow(); }
  else { document.addEventListener("DOMContentLoaded", follow); }
})();
