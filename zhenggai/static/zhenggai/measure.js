// The measure form: show the date, or the working-day count and start, as the deadline kind asks.
(function () {
  "use strict";
  var kind = document.getElementById("id_deadline_kind");
  if (!kind) return;
  function field(name) {
    var input = document.getElementById("id_" + name);
    return input ? input.closest(".field") : null;
  }
  function update() {
    var date = field("deadline"), count = field("deadline_workdays"), start = field("deadline_from");
    if (date) date.hidden = kind.value !== "date";
    if (count) count.hidden = kind.value !== "workdays";
    if (start) start.hidden = kind.value !== "workdays";
  }
  kind.addEventListener("change", update);
  update();
})();
