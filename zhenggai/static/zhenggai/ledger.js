// The ledger's filters. A new unit clears the round, section and leader chosen in another unit
// before the table is asked for (capture phase: this runs before htmx sends the form), and a
// new unit or round asks the server for the lists that follow it (X-Ledger-Lists).
(function () {
  "use strict";
  function isList(el) {
    return el && el.form && el.form.id === "ledger-filters" && (el.name === "unit" || el.name === "round");
  }
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!isList(select) || select.name !== "unit") return;
    ["round", "section", "leader"].forEach(function (name) {
      var other = select.form.elements.namedItem(name);
      if (other) other.value = "";
    });
  }, true);
  document.addEventListener("htmx:configRequest", function (event) {
    var cause = event.detail.triggeringEvent;
    if (cause && isList(cause.target)) event.detail.headers["X-Ledger-Lists"] = "1";
  });
})();
