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
  var jumps = panel.querySelectorAll(".scan-jump a");
  function show(n) {
    at = Math.max(0, Math.min(pages.length - 1, n));
    for (var i = 0; i < pages.length; i++) pages[i].hidden = i !== at;
    for (var j = 0; j < jumps.length; j++) {
      if (j === at) jumps[j].setAttribute("aria-current", "page");
      else jumps[j].removeAttribute("aria-current");
    }
    var low = Number(pages[at].getAttribute("data-low") || 0);
    label.textContent = "第 " + (at + 1) + " / " + pages.length + " 页" + (low ? "（" + low + "行待核）" : "");
    previous.disabled = at === 0;
    next.disabled = at === pages.length - 1;
  }
  previous.addEventListener("click", function () { show(at - 1); });
  next.addEventListener("click", function () { show(at + 1); });
  // The list of pages (those with doubtful lines marked) jumps to a page: without scripts, to
  // its place on the long page.
  for (var k = 0; k < jumps.length; k++) {
    jumps[k].addEventListener("click", function (event) {
      event.preventDefault();
      show(Number(this.getAttribute("data-page")));
      nav.scrollIntoView({ block: "nearest" });
    });
  }
  nav.hidden = false;
  show(0);
})();
