// The order form: a 催办单 has no level, so choosing it hides 督办级别 (the server ignores the
// field for a 催办单 and asks it of a 督办单); choosing 督办单 shows it again.
(function () {
  "use strict";
  const level = document.getElementById("id_level");
  const kinds = document.querySelectorAll("input[name=kind]");
  if (!level || !kinds.length) return;
  const field = level.closest(".field");

  function sync() {
    const chosen = document.querySelector("input[name=kind]:checked");
    const urge = chosen !== null && chosen.value === "urge";
    field.hidden = urge;
    level.disabled = urge;
  }

  kinds.forEach((input) => input.addEventListener("change", sync));
  sync();
})();
