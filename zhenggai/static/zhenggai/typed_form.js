// Fills a form with what was typed into it before the session expired (lib/typed_forms.py).
(function () {
  "use strict";
  var data = document.getElementById("typed-form");
  if (!data) return;
  var fields = JSON.parse(data.textContent);
  var names = {};
  fields.forEach(function (pair) { (names[pair[0]] = names[pair[0]] || []).push(pair[1]); });
  // The page's form that has most of the kept fields.
  var best = null, bestScore = 0;
  document.querySelectorAll("main form[method=post]").forEach(function (form) {
    var score = 0;
    Object.keys(names).forEach(function (name) { if (form.elements.namedItem(name)) score++; });
    if (score > bestScore) { best = form; bestScore = score; }
  });
  if (!best) return;
  Array.prototype.forEach.call(best.elements, function (el) {
    var values = names[el.name];
    if (!values || el.type === "file" || el.type === "submit" || el.type === "button") return;
    if (el.type === "checkbox" || el.type === "radio") {
      el.checked = values.indexOf(el.value) !== -1;
    } else if (el.tagName === "SELECT") {
      Array.prototype.forEach.call(el.options, function (o) { o.selected = values.indexOf(o.value) !== -1; });
    } else {
      el.value = values[0];
    }
    el.dispatchEvent(new Event("change", { bubbles: true }));
  });
  var note = document.getElementById("typed-form-note");
  if (note) best.parentNode.insertBefore(note, best);
})();
