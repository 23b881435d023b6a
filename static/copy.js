// The citation box's copy button; without JavaScript the citation is still
// selectable text.
document.querySelectorAll("button[data-copy]").forEach(function (b) {
  b.addEventListener("click", function () {
    var el = document.getElementById(b.getAttribute("data-copy"));
    if (el && navigator.clipboard) {
      navigator.clipboard.writeText(el.textContent.trim()).then(function () {
        b.textContent = "已复制";
      });
    }
  });
});
