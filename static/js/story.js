// Adds a "Print this story" button where the story page leaves room for one. Without
// JavaScript the page prints just as well from the browser's menu.
(function () {
  "use strict";
  var slot = document.querySelector(".print-slot");
  if (!slot || typeof window.print !== "function") {
    return;
  }
  var button = document.createElement("button");
  button.type = "button";
  button.className = "secondary";
  button.textContent = slot.getAttribute("data-label");
  button.addEventListener("click", function () {
    window.print();
  });
  slot.appendChild(button);
})();
