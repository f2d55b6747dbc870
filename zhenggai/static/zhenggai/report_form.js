// The progress report form: choosing a measure fills 完成进度 with that measure's completion now
// (the page's #measure-percents); a report on the whole problem states no percentage, so the
// field is emptied and disabled, as the server would refuse it.
(function () {
  "use strict";
  const data = document.getElementById("measure-percents");
  const select = document.getElementById("id_measure");
  const input = document.getElementById("id_percent");
  if (!data || !select || !input) return;
  const percents = JSON.parse(data.textContent);

  function sync(fill) {
    const chosen = select.value;
    input.disabled = !chosen;
    if (!chosen) {
      input.value = "";
    } else if (fill || input.value === "") {
      input.value = chosen in percents ? percents[chosen] : "";
    }
  }

  select.addEventListener("change", () => sync(true));
  sync(false);
})();
