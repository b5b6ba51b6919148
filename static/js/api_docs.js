// The API docs (core/api_docs.html): what Swagger UI's own markup lacks for assistive technology.
// Swagger UI redraws as a reader opens groups and operations; each redraw is patched again.
// A parameter's list is named by the parameter; the examples' lists by a label from the page.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root) { return; }

  function nameSelects() {
    root.querySelectorAll("select:not([aria-label])").forEach(function (select) {
      var row = select.closest("tr[data-param-name]");
      var section = select.closest(".examples-select");
      var name = row ? row.getAttribute("data-param-name") : section ? root.dataset.examplesLabel : "";
      if (name) { select.setAttribute("aria-label", name.trim()); }
    });
  }

  function patch() {
    nameSelects();
    // The responses table marks its headers as <td>: say what they are.
    root.querySelectorAll("table thead td.col_header:not([role])").forEach(function (cell) {
      cell.setAttribute("role", "columnheader");
    });
    // Code samples scroll sideways: let the keyboard reach them.
    root.querySelectorAll(".highlight-code > pre:not([tabindex])").forEach(function (pre) {
      pre.setAttribute("tabindex", "0");
    });
  }

  var pending = false;
  new MutationObserver(function () {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; patch(); });
  }).observe(root, { childList: true, subtree: true });
})();
