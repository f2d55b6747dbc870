// Upload with a progress bar: a large document takes a while to send and to read.
(function () {
  var form = document.getElementById("import-form");
  if (!form || !window.FormData || !window.XMLHttpRequest) return;
  var bar = document.getElementById("import-progress");
  var label = document.getElementById("import-status");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    bar.hidden = false;
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) {
        bar.value = Math.round((e.loaded / e.total) * 100);
        label.textContent = "上传中 " + bar.value + "%";
      }
    };
    xhr.upload.onload = function () {
      bar.removeAttribute("value");
      label.textContent = "已上传，正在识别文件内容……";
    };
    xhr.onload = function () {
      if (xhr.status === 200 && xhr.responseURL && xhr.responseURL !== window.location.href) {
        window.location.href = xhr.responseURL;
      } else {
        document.open();
        document.write(xhr.responseText);
        document.close();
      }
    };
    xhr.onerror = function () {
      label.textContent = "上传失败，请检查网络后重试。";
    };
    xhr.send(new FormData(form));
  });
})();
