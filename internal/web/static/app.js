// Small enhancements to the rating form. Every form works without them.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var form = document.querySelector("form.rate");
  if (!form) return;

  // Problem tags matter for a bad review (1-2 stars): show them only then.
  var tags = form.querySelector("[data-bad-only]");
  function starsChanged() {
    var s = form.querySelector("input[name=stars]:checked");
    var bad = s && Number(s.value) <= 2;
    if (tags) tags.hidden = !bad;
  }
  form.querySelectorAll("input[name=stars]").forEach(function (el) { el.addEventListener("change", starsChanged); });
  var hasTag = tags && tags.querySelector("input:checked");
  if (!hasTag) starsChanged();
  // Tags hidden by a good rating are not sent.
  form.addEventListener("submit", function () {
    if (tags && tags.hidden) tags.querySelectorAll("input:checked").forEach(function (el) { el.checked = false; });
  });

  // Name and phone are asked only for a real-name review.
  var realname = form.querySelector("[data-realname]");
  function whoChanged() {
    var anon = form.querySelector("input[name=anonymous]:checked");
    if (realname) realname.hidden = !anon || anon.value !== "0";
  }
  form.querySelectorAll("input[name=anonymous]").forEach(function (el) { el.addEventListener("change", whoChanged); });
  whoChanged();

  // Filter the item list as the citizen types, without a round trip.
  var q = document.getElementById("item-q");
  var item = document.getElementById("item");
  var count = document.getElementById("item-count");
  if (q && item) {
    var filter = function () {
      var words = q.value.trim().toLowerCase();
      var n = 0;
      Array.prototype.forEach.call(item.options, function (o) {
        if (!o.value) return;
        // data-keys holds the item's other names, "|"-separated: abbreviations (社保)
        // and pinyin initials (sb), as the server's search knows them.
        var keys = (o.getAttribute("data-keys") || "").toLowerCase();
        var show = !words || o.text.toLowerCase().indexOf(words) >= 0 || o.value.toLowerCase().indexOf(words) >= 0 ||
          keys.split("|").some(function (k) { return k && k.indexOf(words) === 0; });
        o.hidden = !show;
        if (show) n++;
      });
      item.querySelectorAll("optgroup").forEach(function (g) {
        g.hidden = !g.querySelector("option:not([hidden])");
      });
      if (count) count.textContent = count.textContent.replace(/^\d+/, String(n));
    };
    q.addEventListener("input", filter);
    q.form.addEventListener("submit", function (e) { e.preventDefault(); filter(); item.focus(); });
  }

  // Offer only the stages the chosen item has.
  var stage = document.getElementById("stage");
  if (item && stage) {
    item.addEventListener("change", function () {
      if (!item.value) return;
      fetch("/api/v1/items/" + encodeURIComponent(item.value)).then(function (r) { return r.ok ? r.json() : null; }).then(function (it) {
        if (!it || !it.stages) return;
        var lang = document.documentElement.lang === "en" ? "en" : "zh";
        var keep = stage.value, blank = stage.querySelector('option[value=""]');
        stage.innerHTML = "";
        if (blank) stage.appendChild(blank); // no stage is chosen for the citizen
        it.stages.forEach(function (s) {
          var o = document.createElement("option");
          o.value = s.code;
          o.textContent = lang === "en" && s.name_en ? s.name_en : s.name_zh;
          if (s.code === keep) o.selected = true;
          stage.appendChild(o);
        });
      });
    });
  }
})();
