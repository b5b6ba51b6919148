// The cycle review's close button opens a confirmation dialog (a native <dialog>, modal): it
// says what closes, counts and lists what the form's current ticks carry over, and that it
// cannot be undone. Only its confirm button closes the cycle: it ticks the form's confirmation
// box (which the server requires: without JavaScript the person ticks it) and submits the form.
// Tab and Shift+Tab stay inside the dialog; Escape or Cancel closes it and gives focus back to
// the button that opened it. Event delegation: the form is swapped by htmx after a 422.
(function () {
  "use strict";

  var lang = document.documentElement.lang || "en";
  var plurals = window.Intl && Intl.PluralRules ? new Intl.PluralRules(lang) : null;
  var numbers = new Intl.NumberFormat(lang);
  var FOCUSABLE = "button:not([disabled]), [href], input:not([disabled]):not([type=hidden]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";

  function counted(dialog, noun, n) {
    var form = plurals && plurals.select(n) === "one" ? "one" : "other";
    return (dialog.getAttribute("data-" + noun + "-" + form) || "%(count)s").replace("%(count)s", numbers.format(n));
  }

  function ticked(form, name) {
    var labels = [];
    form.querySelectorAll("input[type=checkbox][name='" + name + "']:checked").forEach(function (input) {
      var label = input.closest("label") || form.querySelector("label[for='" + input.id + "']");
      labels.push(label ? label.textContent.trim() : input.value);
    });
    return labels;
  }

  function fill(dialog, form) {
    ["objectives", "actions"].forEach(function (noun) {
      var labels = ticked(form, noun);
      var count = dialog.querySelector("[data-carry-count='" + noun + "']");
      var list = dialog.querySelector("[data-carry-list='" + noun + "']");
      if (count) count.textContent = counted(dialog, noun, labels.length);
      if (!list) return;
      list.replaceChildren();
      labels.forEach(function (text) {
        var item = document.createElement("li");
        item.textContent = text;
        list.appendChild(item);
      });
      list.hidden = !labels.length;
    });
  }

  function hideConfirmBoxes(root) {
    // With this script the dialog asks for the confirmation; the box stays for no-JS posts.
    (root || document).querySelectorAll("[data-close-confirm]").forEach(function (box) {
      var input = box.querySelector("input[type=checkbox]");
      if (input && !box.querySelector(".errorlist")) box.hidden = true;
    });
  }

  document.addEventListener("click", function (event) {
    var opener = event.target.closest && event.target.closest("[data-opens-dialog]");
    if (opener) {
      var dialog = document.getElementById(opener.getAttribute("data-opens-dialog"));
      if (!dialog || typeof dialog.showModal !== "function") return; // no dialog: the server asks
      event.preventDefault();
      dialog.__opener = opener;
      dialog.__confirmed = false;
      fill(dialog, opener.form || dialog.closest("form"));
      dialog.showModal();
      return;
    }
    var cancel = event.target.closest && event.target.closest("[data-dialog-cancel]");
    if (cancel) {
      cancel.closest("dialog").close();
      return;
    }
    var confirm = event.target.closest && event.target.closest("[data-dialog-confirm]");
    if (confirm) {
      var box = confirm.closest("dialog");
      var form = box.closest("form");
      var tick = form && form.querySelector("[data-close-confirm] input[type=checkbox]");
      if (!form || !tick) return;
      tick.checked = true;
      box.__confirmed = true;
      box.close();
      form.requestSubmit();
    }
  });

  // Focus stays inside an open modal dialog: Tab from the last control goes to the first.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Tab") return;
    var dialog = document.querySelector("dialog.confirm-dialog[open]");
    if (!dialog) return;
    var controls = Array.prototype.filter.call(dialog.querySelectorAll(FOCUSABLE), function (el) {
      return el.offsetParent !== null || el === document.activeElement;
    });
    if (!controls.length) return;
    var first = controls[0];
    var last = controls[controls.length - 1];
    var inside = dialog.contains(document.activeElement);
    if (event.shiftKey && (document.activeElement === first || !inside)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (document.activeElement === last || !inside)) {
      event.preventDefault();
      first.focus();
    }
  });

  // Escape (the dialog's own "cancel") or Cancel: nothing happens, focus goes back to the opener.
  document.addEventListener("close", function (event) {
    var dialog = event.target;
    if (!dialog.classList || !dialog.classList.contains("confirm-dialog")) return;
    if (!dialog.__confirmed && dialog.__opener && document.contains(dialog.__opener)) dialog.__opener.focus();
  }, true);

  document.addEventListener("htmx:afterSettle", function (event) { hideConfirmBoxes(event.target); });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { hideConfirmBoxes(); });
  else hideConfirmBoxes();
})();
