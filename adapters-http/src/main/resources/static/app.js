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
