// Progressive enhancement for the patients' pages; everything works without it.
(function () {
  "use strict";
  // After a failed send, move focus to the list of problems so it is read out first.
  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) { summary.focus(); }

  // "Copy the link" on the receipt.
  var copy = document.querySelector("[data-copy]");
  if (copy && navigator.clipboard) {
    var input = document.getElementById(copy.getAttribute("data-copy"));
    var done = document.querySelector("[data-copied]");
    copy.hidden = false;
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(input.textContent.trim()).then(function () {
        if (done) { done.hidden = false; }
      });
    });
  }
  // "Print this page" on the complaint summary.
  var print = document.querySelector("[data-print]");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }
})();
