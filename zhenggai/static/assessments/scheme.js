// The indicator form: show the metric, target, deduction and round kinds only for a computed
// indicator, and 满分起扣 only for an entered one (without JS every field shows; the server
// ignores what the kind does not use). Buttons with data-confirm ask first.
(function () {
  "use strict";
  var COMPUTED = ["metric", "target", "deduct_per", "round_kinds"];
  function field(name) {
    var input = document.querySelector("[name=" + name + "]");
    return input ? input.closest(".field") : null;
  }
  function kind() {
    var checked = document.querySelector("input[name=kind]:checked");
    return checked ? checked.value : "";
  }
  function update() {
    var value = kind();
    COMPUTED.forEach(function (name) {
      var box = field(name);
      if (box) box.hidden = value !== "computed";
    });
    var full = field("starts_full");
    if (full) full.hidden = value !== "entered";
  }
  var kinds = document.querySelectorAll("input[name=kind]");
  kinds.forEach(function (input) { input.addEventListener("change", update); });
  if (kinds.length) update();
  document.querySelectorAll("[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.getAttribute("data-confirm"))) event.preventDefault();
    });
  });
})();
