// The 约谈 record form: "再加一行" adds an empty commitment row from the formset's template.
// Without JavaScript the form still offers its empty rows, and saving keeps what was typed.
(function () {
  "use strict";
  var add = document.getElementById("add-commitment");
  var template = document.getElementById("commitment-row-template");
  var rows = document.getElementById("commitment-rows");
  var total = document.querySelector("input[name=c-TOTAL_FORMS]");
  var max = document.querySelector("input[name=c-MAX_NUM_FORMS]");
  if (!add || !template || !rows || !total) return;
  add.hidden = false;
  add.addEventListener("click", function () {
    var n = parseInt(total.value, 10);
    if (max && n >= parseInt(max.value, 10)) {
      add.disabled = true;
      return;
    }
    var html = template.innerHTML.replace(/__prefix__/g, String(n));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(n + 1);
    var row = rows.lastElementChild;
    var field = row && row.querySelector("textarea");
    if (field) field.focus();
  });
})();
