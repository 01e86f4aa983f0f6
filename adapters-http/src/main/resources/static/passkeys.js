// orgkeys passkeys: a button with data-passkey="create" or "get" and data-options (the server's WebAuthn options,
// JSON as PublicKeyCredential.parse…OptionsFromJSON takes them) asks the browser for a passkey, puts its answer
// (credential.toJSON()) into its form's "credential" field and submits the form. Without this file (or WebAuthn),
// the form is sent without an answer and the server says so.
(function () {
  "use strict";

  function show(button, text) {
    var id = button.getAttribute("aria-describedby");
    var message = id && document.getElementById(id);
    if (!message) return;
    message.textContent = text;
    message.hidden = false;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-passkey]") : null;
    if (!button) return;
    event.preventDefault();
    if (!window.PublicKeyCredential || !PublicKeyCredential.parseCreationOptionsFromJSON) {
      show(button, "This browser cannot use passkeys.");
      return;
    }
    var form = button.form;
    var options = JSON.parse(button.getAttribute("data-options"));
    var asked = button.getAttribute("data-passkey") === "create"
      ? navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) })
      : navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) });
    button.disabled = true;
    asked.then(function (credential) {
      form.elements.credential.value = JSON.stringify(credential.toJSON());
      form.submit();
    }).catch(function (error) {
      button.disabled = false;
      show(button, error && error.name === "NotAllowedError"
        ? "No passkey was used (cancelled, or none of yours is on this device). Try again, or sign in another way."
        : "The passkey did not work: " + (error && error.message ? error.message : "unknown error") + ".");
    });
  });
})();
