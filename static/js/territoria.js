// Territoria's small progressive enhancements. No inline scripts: the CSP forbids them.
(function () {
  "use strict";
  // After htmx swaps in a form with errors, move focus to the first invalid field.
  // htmx 2 fires afterSwap on each swapped-in element (event.target). After an outerHTML swap,
  // as our forms do, detail.target is the old form, already removed: look in the new one. After
  // an innerHTML swap the target itself is among those elements: handle it, not its children.
  document.addEventListener("htmx:afterSwap", function (event) {
    var swapped = event.target;
    var target = event.detail.target;
    if (!swapped || !swapped.querySelector) return;
    if (swapped !== target && target && target.isConnected && target.contains(swapped)) return;
    var invalid = swapped.querySelector("[aria-invalid=true]");
    if (invalid) invalid.focus();
  });
  // Close an open <details> menu with Escape.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      menu.removeAttribute("open");
      var summary = menu.querySelector("summary");
      if (summary) summary.focus();
    });
  });
})();

// Co-editing: an out-of-band update never destroys an edit in progress, and a card that is
// already on the page is not added twice.
(function () {
  "use strict";
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var target = event.detail.target;
    // An editor open (or opening: its own request is in flight, and its answer will replace
    // the element) is never swapped from under the person typing.
    if (target && target.classList && (target.classList.contains("editing") || target.classList.contains("htmx-request"))) {
      event.detail.shouldSwap = false;
      return;
    }
    var fragment = event.detail.fragment;
    var incoming = fragment && fragment.firstElementChild;
    if (incoming && incoming.id && target && target.id !== incoming.id && document.getElementById(incoming.id)) {
      event.detail.shouldSwap = false;
      return;
    }
    // A swap from the poll keeps the keyboard where it was (a matrix cell's control, a field).
    var active = document.activeElement;
    if (target && active && active.id && active !== document.body && target.contains(active)) {
      refocus = active.id;
    }
  });
  var refocus = null;
  document.addEventListener("htmx:oobAfterSwap", function () {
    if (!refocus) return;
    var again = document.getElementById(refocus);
    refocus = null;
    if (again && document.activeElement !== again) again.focus();
  });
  // Presence: the poller carries {"action:<uuid>": ["Claire", ...]}; show it on each item.
  function showPresence() {
    var poller = document.getElementById("plan-poller");
    if (!poller) return;
    var presence = {};
    try { presence = JSON.parse(poller.getAttribute("data-presence") || "{}"); } catch (e) { presence = {}; }
    document.querySelectorAll("[data-presence-for]").forEach(function (el) {
      var names = presence[el.getAttribute("data-presence-for")] || [];
      var text = names.length ? (el.getAttribute("data-editing-label") || document.body.getAttribute("data-editing-label") || "Editing:") + " " + names.join(", ") : "";
      if (el.textContent !== text) el.textContent = text;
      el.hidden = !names.length;
    });
  }
  document.addEventListener("htmx:afterSettle", showPresence);
  document.addEventListener("DOMContentLoaded", showPresence);
  // Escape in an inline editor cancels it; focus returns to the field.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var editor = event.target.closest && event.target.closest(".inline-editor, .cell-editor.popover");
    if (!editor) return;
    var cancel = editor.querySelector(".cancel");
    if (cancel) { event.preventDefault(); cancel.click(); }
  });
  // Keep the keyboard where the person works: into the editor when it opens, back onto the
  // field when it closes (saved, cancelled, or conflict resolved).
  document.addEventListener("htmx:afterSwap", function (event) {
    var old = event.detail.target;
    if (!old || !old.id) return;
    var now = document.getElementById(old.id);
    if (!now || now === old) return;
    if (now.classList.contains("inline-editor") || now.classList.contains("conflict")) {
      var first = now.querySelector("input:not([type=hidden]), select, textarea, button");
      if (first) first.focus();
    } else if (now.classList.contains("editable") && (old.classList.contains("inline-editor") || old.classList.contains("conflict"))) {
      now.focus();
    }
  });
})();

// Timeline bars: positions come as data attributes (the CSP forbids inline styles).
(function () {
  "use strict";
  function place() {
    document.querySelectorAll("[data-left][data-width]").forEach(function (el) {
      el.style.setProperty("--left", el.getAttribute("data-left") + "%");
      el.style.setProperty("--width", el.getAttribute("data-width") + "%");
    });
  }
  document.addEventListener("DOMContentLoaded", place);
  document.addEventListener("htmx:afterSettle", place);
  // A bar's or a milestone's tooltip shows on hover and focus; Escape hides it until the
  // pointer or the focus leaves (WCAG 1.4.13: dismissable without moving).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var slot = event.target.closest && event.target.closest(".tl-slot");
    if (slot) slot.classList.add("tip-off");
  });
  function reset(event) {
    var slot = event.target.closest && event.target.closest(".tl-slot");
    if (slot && !slot.contains(event.relatedTarget)) slot.classList.remove("tip-off");
  }
  document.addEventListener("focusout", reset);
  document.addEventListener("mouseout", reset);
  // The tooltip is fixed to the viewport (the timeline scrolls sideways and would clip it):
  // below its bar, or above it when the window ends first, and inside the window's width.
  var active = null;
  function position() {
    if (!active || !document.contains(active)) return;
    var tip = active.querySelector(".tl-tip");
    if (!tip || !tip.offsetWidth) return;
    var box = active.getBoundingClientRect();
    var width = tip.offsetWidth, height = tip.offsetHeight, margin = 6;
    var top = box.bottom + margin;
    if (top + height > window.innerHeight && box.top - margin - height > 0) top = box.top - margin - height;
    var left = Math.min(Math.max(margin, box.left), window.innerWidth - width - margin);
    tip.style.setProperty("top", top + "px");
    tip.style.setProperty("left", Math.max(margin, left) + "px");
  }
  function show(event) {
    var slot = event.target.closest && event.target.closest(".tl-slot");
    if (!slot) return;
    active = slot;
    position();
  }
  document.addEventListener("focusin", show);
  document.addEventListener("mouseover", show);
  window.addEventListener("scroll", position, true);
  window.addEventListener("resize", position);
})();

// Comments: @mentions. The comment box asks for matching members (htmx, on keyup, after 300 ms);
// only the word being typed after "@" is sent. Choosing a member inserts "@handle ".
(function () {
  "use strict";
  var TOKEN = /(?:^|[^\p{L}\p{N}_.+@-])@([\p{L}\p{N}_.+-]*)$/u;
  function token(textarea) {
    var match = TOKEN.exec(textarea.value.slice(0, textarea.selectionStart));
    return match ? match[1] : null;
  }
  function listOf(textarea) {
    return document.getElementById(textarea.getAttribute("data-mention-list"));
  }
  function clear(list) {
    if (list) list.innerHTML = "";
  }
  document.addEventListener("htmx:configRequest", function (event) {
    var textarea = event.detail.elt;
    if (!textarea.matches || !textarea.matches("textarea[data-mention-list]")) return;
    var typed = token(textarea);
    if (!typed) {
      event.preventDefault();
      clear(listOf(textarea));
      return;
    }
    event.detail.parameters.delete("body");
    event.detail.parameters.set("q", typed);
  });
  function choose(option) {
    var list = option.closest(".mention-list");
    var textarea = list && document.querySelector('textarea[data-mention-list="' + list.id + '"]');
    if (!textarea) return;
    var caret = textarea.selectionStart;
    var before = textarea.value.slice(0, caret).replace(/@[\p{L}\p{N}_.+-]*$/u, "@" + option.getAttribute("data-mention") + " ");
    textarea.value = before + textarea.value.slice(caret);
    clear(list);
    textarea.focus();
    textarea.setSelectionRange(before.length, before.length);
  }
  document.addEventListener("click", function (event) {
    var option = event.target.closest && event.target.closest(".mention-list [data-mention]");
    if (option) choose(option);
  });
  // Keyboard: Down from the box into the list, Up/Down within it, Escape back to the box.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (target.matches && target.matches("textarea[data-mention-list]")) {
      var first = listOf(target) && listOf(target).querySelector("[data-mention]");
      if (event.key === "ArrowDown" && first) { event.preventDefault(); first.focus(); }
      else if (event.key === "Escape") clear(listOf(target));
      return;
    }
    var option = target.closest && target.closest(".mention-list [data-mention]");
    if (!option) return;
    var options = Array.prototype.slice.call(option.closest(".mention-list").querySelectorAll("[data-mention]"));
    var index = options.indexOf(option);
    var box = document.querySelector('textarea[data-mention-list="' + option.closest(".mention-list").id + '"]');
    if (event.key === "ArrowDown" && index < options.length - 1) { event.preventDefault(); options[index + 1].focus(); }
    else if (event.key === "ArrowUp") { event.preventDefault(); (index > 0 ? options[index - 1] : box).focus(); }
    else if (event.key === "Escape" && box) { event.preventDefault(); clear(option.closest(".mention-list")); box.focus(); }
  });
})();

// A select marked data-autosubmit (the cycle switcher) submits its form when it changes.
(function () {
  document.addEventListener("change", function (event) {
    var select = event.target.closest && event.target.closest("select[data-autosubmit]");
    if (select && select.form) {
      select.form.requestSubmit ? select.form.requestSubmit() : select.form.submit();
    }
  });
})();
