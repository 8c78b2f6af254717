// Keyboard shortcuts for moderators. Progressive enhancement: every action is a plain link
// or form that works without this file.
(function () {
  "use strict";

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  function submitOnce(button) {
    var form = button.form;
    if (!form || form.dataset.sent) { return; }
    form.dataset.sent = "yes";
    if (form.requestSubmit) { form.requestSubmit(button); } else { button.click(); }
  }

  function queueLinks() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-queue] .queue-link"));
  }

  function moveInQueue(step) {
    var links = queueLinks();
    if (!links.length) { return false; }
    var at = links.indexOf(document.activeElement);
    var next = at === -1 ? 0 : Math.min(Math.max(at + step, 0), links.length - 1);
    links[next].focus();
    links[next].scrollIntoView({ block: "nearest" });
    return true;
  }

  function onKey(event) {
    var target = event.target;
    if (typing(target)) {
      if (event.key === "Escape") { target.blur(); event.preventDefault(); }
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && target.form) {
        var submit = target.form.querySelector("button[type=submit]");
        if (submit) { event.preventDefault(); submitOnce(submit); }
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var key = event.key;
    if ((key === "j" || key === "k") && document.querySelector("[data-queue]")) {
      if (moveInQueue(key === "j" ? 1 : -1)) { event.preventDefault(); }
      return;
    }
    var focusTarget = document.querySelector('[data-focus-key="' + key + '"]');
    if (focusTarget) { event.preventDefault(); focusTarget.focus(); return; }
    var element = document.querySelector('[data-key="' + key + '"]');
    if (!element) { return; }
    event.preventDefault();
    if (element.tagName === "A") { window.location.assign(element.href); return; }
    if (element.hasAttribute("data-focus-only")) { element.focus(); return; }
    submitOnce(element);
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-js-only]"), function (el) {
      el.hidden = false;
    });
    Array.prototype.forEach.call(document.querySelectorAll("form"), function (form) {
      form.addEventListener("submit", function () { form.dataset.sent = "yes"; });
    });
    window.addEventListener("pageshow", function () {
      // Back from the next page (back-forward cache): the forms can be sent again.
      Array.prototype.forEach.call(document.querySelectorAll("form"), function (form) {
        delete form.dataset.sent;
      });
    });
    var first = document.querySelector("[data-autofocus]");
    if (first) { first.focus(); }
    document.addEventListener("keydown", onKey);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
