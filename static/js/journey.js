// Help while typing on the journey's pages (progressive enhancement: every page works without
// it). Loaded as an external file, so the strict Content-Security-Policy holds.
(function () {
  "use strict";

  // A character count under the story: "120 characters (at least 50, at most 10,000)".
  var story = document.querySelector("textarea[data-count]");
  var counter = story && document.querySelector("[data-count-for='" + story.id + "']");
  if (story && counter) {
    var template = counter.getAttribute("data-template");
    var show = function () {
      // Characters as the server counts them (code points: an emoji is one, not two).
      counter.textContent = template.replace("{count}", String(Array.from(story.value).length));
    };
    counter.hidden = false;
    show();
    story.addEventListener("input", show);
  }

  // A gentle note when the story seems to hold an e-mail, a phone number, an address or a name.
  var note = document.querySelector("[data-pii-note]");
  var looksPersonal = function (text) {
    return /[^\s@]+@[^\s@]+\.[a-z]{2,}/i.test(text) ||
      /(\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}/.test(text) ||
      /\b\d{1,5}\s+(\w+\s){0,3}(street|st|avenue|ave|road|rd|blvd|drive|dr|lane|ln|way|calle|avenida)\b/i.test(text) ||
      /\b(Dr|Dra|Mr|Mrs|Ms|Sr|Sra)\.?\s+[A-Z][a-z]+/.test(text);
  };
  if (story && note) {
    var timer = null;
    story.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { note.hidden = !looksPersonal(story.value); }, 400);
    });
    note.hidden = !looksPersonal(story.value);
  }

  // A searchable clinic list: typing narrows the grouped select; without JavaScript the
  // search box is not shown and the select is all there is (it works the same).
  var box = document.querySelector("[data-clinic-search]");
  var select = box && box.querySelector("select");
  if (box && select && box.querySelector("#facility-search")) {
    var all = Array.prototype.map.call(select.children, function (node) {
      return node.cloneNode(true);
    });
    var input = box.querySelector("#facility-search");
    var status = box.querySelector("[data-search-status]");
    var fold = function (text) {
      return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    };
    var filter = function () {
      var wanted = fold(input.value.trim());
      var chosen = select.value;
      var shown = 0;
      while (select.firstChild) { select.removeChild(select.firstChild); }
      all.forEach(function (node) {
        if (node.tagName === "OPTGROUP") {
          var group = node.cloneNode(false);
          Array.prototype.forEach.call(node.children, function (option) {
            if (!wanted || fold(option.textContent + " " + node.label).indexOf(wanted) !== -1) {
              group.appendChild(option.cloneNode(true));
              shown += 1;
            }
          });
          if (group.children.length) { select.appendChild(group); }
        } else {
          select.appendChild(node.cloneNode(true));  // "Choose" and "Other / not listed"
        }
      });
      select.value = chosen;
      if (select.value !== chosen) { select.selectedIndex = 0; }
      status.textContent = wanted ? box.getAttribute("data-found").replace("{count}", String(shown)) : "";
    };
    input.addEventListener("input", filter);
  }
})();
