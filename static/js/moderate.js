// Keyboard shortcuts for moderators. Progressive enhancement: every action is a plain link
// or form that works without this file.
//
// Single-key shortcuts (WCAG 2.1.4) are bound only when the moderator has them on (the
// script tag says data-shortcuts="on"; each moderator chooses under My alerts). A decision
// (approve, spam) never follows one key: the first press shows "Press A again to approve"
// and only the same key again, or Enter, within 2 seconds sends the form.
(function () {
  "use strict";

  var script = document.currentScript;
  var shortcutsOn = !!(script && script.getAttribute("data-shortcuts") === "on");
  var CONFIRM_MS = 2000;
  var armed = null; // { key, element, timer } while a decision waits for its second key
  var prompt = null;

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

  function promptElement() {
    if (!prompt) {
      prompt = document.createElement("p");
      prompt.className = "key-prompt";
      prompt.id = "key-prompt";
      prompt.setAttribute("role", "status");
      prompt.setAttribute("aria-live", "assertive");
      prompt.hidden = true;
      document.body.appendChild(prompt);
    }
    return prompt;
  }

  function disarm() {
    if (!armed) { return; }
    window.clearTimeout(armed.timer);
    armed = null;
    var shown = promptElement();
    shown.hidden = true;
    shown.textContent = "";
  }

  function arm(key, element) {
    disarm();
    var shown = promptElement();
    shown.textContent = element.getAttribute("data-key-confirm");
    shown.hidden = false;
    armed = { key: key, element: element, timer: window.setTimeout(disarm, CONFIRM_MS) };
  }

  function onArmedKey(event) {
    // The second key of a decision: the same key or Enter sends it; anything else cancels.
    var key = event.key.toLowerCase();
    if (key === "shift") { return; }
    if (event.repeat) { event.preventDefault(); return; } // a key held down is not pressed twice
    event.preventDefault();
    var element = armed.element;
    var confirmed = key === armed.key || event.key === "Enter";
    disarm();
    if (confirmed) { submitOnce(element); }
  }

  function onShortcut(event) {
    var key = event.key;
    if ((key === "j" || key === "k") && document.querySelector("[data-queue]")) {
      if (moveInQueue(key === "j" ? 1 : -1)) { event.preventDefault(); }
      return;
    }
    if (key === "x" && document.activeElement && document.activeElement.matches(".queue-link")) {
      // Tick (or untick) the focused item for a bulk action.
      var pick = document.activeElement.parentElement.querySelector(".queue-pick");
      if (pick) { pick.checked = !pick.checked; event.preventDefault(); }
      return;
    }
    var focusTarget = document.querySelector('[data-focus-key="' + key + '"]');
    if (focusTarget) { event.preventDefault(); focusTarget.focus(); return; }
    var element = document.querySelector('[data-key="' + key + '"]');
    if (!element) { return; }
    event.preventDefault();
    if (element.tagName === "A") { window.location.assign(element.href); return; }
    if (element.hasAttribute("data-focus-only")) { element.focus(); return; }
    if (element.hasAttribute("data-key-confirm")) { arm(key, element); return; }
    submitOnce(element);
  }

  function onKey(event) {
    var target = event.target;
    if (typing(target)) {
      disarm();
      if (event.key === "Escape") { target.blur(); event.preventDefault(); }
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && target.form) {
        var submit = target.form.querySelector("button[type=submit]");
        if (submit) { event.preventDefault(); submitOnce(submit); }
      }
      return;
    }
    if (!shortcutsOn) { return; }
    if (event.ctrlKey || event.metaKey || event.altKey) { disarm(); return; }
    if (armed) { onArmedKey(event); return; }
    onShortcut(event);
  }

  function show(selector) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), function (el) {
      el.hidden = false;
    });
  }

  function start() {
    show("[data-js-only]");
    if (shortcutsOn) {
      // Hints are for eyes (the buttons' names say what they do): hidden from screen readers
      // only once shown, as aria-hidden on an element already hidden is an error.
      Array.prototype.forEach.call(document.querySelectorAll("[data-shortcut-hint]"), function (el) {
        el.setAttribute("aria-hidden", "true");
      });
      show("[data-shortcut-hint]");
    }
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
