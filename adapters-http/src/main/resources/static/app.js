// orgkeys dashboard: progressive enhancement only; every form also works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // <form data-confirm="Question?">: ask before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });

  // "In [ ] days": typing a number chooses that option; choosing another one empties the number, so the form
  // never says two things (the server also reads a typed number as the choice, and refuses a contradiction).
  document.addEventListener("input", function (event) {
    var el = event.target;
    if (el.id !== "custom-days" || el.value === "") return;
    var custom = document.getElementById("expiry-custom");
    if (custom) custom.checked = true;
  });
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.name !== "expiry" || el.value === "custom") return;
    var days = document.getElementById("custom-days");
    if (days) days.value = "";
  });

  // The header's menu button (shown below 720 px): opens and closes the menu; Escape closes it again.
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest ? event.target.closest("#menu-toggle") : null;
    if (!toggle) return;
    var open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    document.getElementById(toggle.getAttribute("aria-controls")).classList.toggle("open", open);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var toggle = document.getElementById("menu-toggle");
    var menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
    if (!menu || !menu.classList.contains("open") || !menu.contains(document.activeElement)) return;
    toggle.setAttribute("aria-expanded", "false");
    menu.classList.remove("open");
    toggle.focus();
  });

  // Says `text` through the page's polite live region (layout.jte's #announcer). Emptied first, so that the
  // same words twice are announced twice.
  function announce(text) {
    var region = document.getElementById("announcer");
    if (!region) return;
    region.textContent = "";
    setTimeout(function () { region.textContent = text; }, 50);
  }

  function ready() {
    // A notice rendered with the page ("API key revoked.") was on the page before any live region could
    // observe it: repeated into the announcer, a screen reader says it.
    var notice = document.getElementById("notice");
    if (notice) announce(notice.textContent.trim());

    // Field errors: the templates mark the field aria-invalid and described by its error (err.jte's
    // <span class="field-error" id="…-error" data-for="field-id">); after a failed submit the first invalid field
    // gets the focus (in a group of checkboxes or radios, its first control).
    var first = null;
    var error = document.querySelector(".field-error[data-for]");
    var field = error && document.getElementById(error.getAttribute("data-for"));
    if (field) first = field.tagName === "FIELDSET" ? field.querySelector("input, select, textarea") : field;
    if (first) first.focus();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready); else ready();

  // <button data-copy="element-id">: copy that element's text to the clipboard.
  var copiedTimers = new WeakMap();
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-copy]") : null;
    if (!button) return;
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) return;
    var text = source.textContent;
    var done = function () {
      // The label is kept once, before the first "Copied": a second click within the 1.5 s must not take
      // "Copied" for the label and leave it there.
      if (!button.hasAttribute("data-label")) button.setAttribute("data-label", button.textContent);
      button.textContent = "Copied";
      announce("Copied to the clipboard");
      clearTimeout(copiedTimers.get(button));
      copiedTimers.set(button, setTimeout(function () {
        button.textContent = button.getAttribute("data-label");
      }, 1500));
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { select(source); });
    } else {
      select(source);
    }
  });

  function select(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
})();
