// The scan beside its text in an import preview: one page at a time, turned with two buttons
// (without scripts every page shows, one under another).
(function () {
  var panel = document.getElementById("scan");
  if (!panel) return;
  var pages = panel.querySelectorAll(".scan-page");
  var nav = panel.querySelector(".scan-pager");
  if (pages.length < 2 || !nav) return;
  var at = 0;
  var label = nav.querySelector(".scan-at");
  var previous = nav.querySelector("[data-step='-1']");
  var next = nav.querySelector("[data-step='1']");
  function show(n) {
    at = Math.max(0, Math.min(pages.length - 1, n));
    for (var i = 0; i < pages.length; i++) pages[i].hidden = i !== at;
    label.textContent = "第 " + (at + 1) + " / " + pages.length + " 页";
    previous.disabled = at === 0;
    next.disabled = at === pages.length - 1;
  }
  previous.addEventListener("click", function () { show(at - 1); });
  next.addEventListener("click", function () { show(at + 1); });
  nav.hidden = false;
  show(0);
})();
