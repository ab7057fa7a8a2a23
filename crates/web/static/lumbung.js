// Lumbung: optional enhancements. Every page works without this file.
// Search suggestions: titles and organisations as the reader types.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "en";
  document.querySelectorAll("input[data-suggest]").forEach(function (input, i) {
    var list = document.createElement("datalist");
    list.id = "suggest-" + i;
    input.setAttribute("list", list.id);
    input.after(list);
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2 || q === last) return;
      timer = setTimeout(function () {
        last = q;
        fetch("/api/v1/suggest?lang=" + encodeURIComponent(lang) + "&q=" + encodeURIComponent(q), {
          headers: { Accept: "application/json" }
        })
          .then(function (r) { return r.ok ? r.json() : { cases: [], organisations: [] }; })
          .then(function (s) {
            list.textContent = "";
            s.cases.concat(s.organisations).forEach(function (item) {
              var o = document.createElement("option");
              o.value = item.title || item.name;
              list.appendChild(o);
            });
          })
          .catch(function () {});
      }, 200);
    });
  });
  // Ask before leaving a form with unsaved changes.
  document.querySelectorAll("form[data-guard]").forEach(function (form) {
    var dirty = false;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (e) { if (dirty) { e.preventDefault(); } });
  });
})();
