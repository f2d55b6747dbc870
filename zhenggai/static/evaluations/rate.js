// The rating page works without this: it only says at once, before sending, that a 差评 needs
// its reason (the server checks again and keeps what was typed).
(function () {
  "use strict";
  var form = document.getElementById("rate-form");
  if (!form) return;
  var comment = form.querySelector("textarea[name=comment]");
  var message = document.getElementById("reason-msg");
  var tag = document.getElementById("reason-tag");
  var MIN = 5;

  function level() {
    var checked = form.querySelector("input[name=level]:checked");
    return checked ? Number(checked.value) : 0;
  }
  function isBad() {
    var value = level();
    return value === 1 || value === 2;
  }
  function refresh() {
    var bad = isBad();
    tag.textContent = bad ? "必填" : "差评必填";
    tag.className = bad ? "req" : "opt";
    comment.setAttribute("aria-required", bad ? "true" : "false");
    if (!bad || comment.value.trim().length >= MIN) message.hidden = true;
  }
  form.addEventListener("change", refresh);
  comment.addEventListener("input", refresh);
  form.addEventListener("submit", function (event) {
    if (isBad() && comment.value.trim().length < MIN) {
      event.preventDefault();
      message.hidden = false;
      comment.focus();
    }
  });
  refresh();
})();
