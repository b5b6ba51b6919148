// API tokens page: copy buttons, and focus on the new token's panel. No inline scripts (CSP).
(function () {
  "use strict";

  function copyByHand(text) {
    // Without the asynchronous clipboard (plain http on another host than localhost).
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.appendChild(area);
    area.select();
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
    document.body.removeChild(area);
    return copied ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return copyByHand(text); });
    }
    return copyByHand(text);
  }

  function selectContents(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  // <button data-copy="id" data-copy-status="id" data-copied-label=".." data-failed-label="..">
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-copy]");
    if (!button) return;
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) return;
    var status = document.getElementById(button.getAttribute("data-copy-status") || "");
    function say(label) { if (status) status.textContent = button.getAttribute(label) || ""; }
    copy(source.textContent.trim()).then(
      function () { say("data-copied-label"); },
      function () { selectContents(source); say("data-failed-label"); }
    );
  });

  // The panel with the new token takes the focus when it arrives (or on a full page load).
  function focusNewPanel() {
    var panel = document.querySelector("[data-focus-on-swap]");
    if (panel && !panel.hasAttribute("data-focused")) {
      panel.setAttribute("data-focused", "");
      panel.focus();
    }
  }
  document.addEventListener("htmx:afterSettle", focusNewPanel);
  document.addEventListener("DOMContentLoaded", focusNewPanel);
})();
