/* Names for the form fields Django's admin shows without a <label>, so a screen reader can say
   what each one is: the cells of tabular inlines (only the column header names them), the date and
   time halves of a date-time field, and the search box of select2's multiple autocompletes. */
(function () {
  "use strict";

  function text(node) {
    return node ? node.textContent.replace(/\s+/g, " ").replace(/[:*]\s*$/, "").trim() : "";
  }

  function name(field, label) {
    if (!label || (field.labels && field.labels.length) || field.getAttribute("aria-label")) return;
    field.setAttribute("aria-label", label);
  }

  function fieldsIn(node) {
    return node.querySelectorAll("input:not([type=hidden]), select, textarea");
  }

  function labelTabularInlines() {
    document.querySelectorAll(".tabular table").forEach(function (table) {
      var rows = table.querySelectorAll("tbody tr.form-row:not(.empty-form)");
      rows.forEach(function (row, index) {
        row.querySelectorAll("td[class*='field-']").forEach(function (cell) {
          var column = Array.from(cell.classList).find(function (c) { return c.indexOf("field-") === 0; });
          var header = table.querySelector("thead th.column-" + column.slice(6));
          var label = text(header) + " (" + (index + 1) + ")";
          fieldsIn(cell).forEach(function (field) { name(field, label); });
        });
        row.querySelectorAll("td.delete input[type=checkbox]").forEach(function (box) {
          name(box, text(table.querySelector("thead th:last-child")) + " (" + (index + 1) + ")");
        });
      });
    });
  }

  function labelDateTimeHalves() {
    document.querySelectorAll("p.datetime").forEach(function (p) {
      var row = p.closest(".form-row, fieldset");
      var owner = row ? text(row.querySelector("label, legend")) : "";
      p.querySelectorAll("input").forEach(function (input) {
        var before = input.previousSibling;
        while (before && before.nodeType !== Node.TEXT_NODE) before = before.previousSibling;
        name(input, [owner, text(before)].filter(Boolean).join(", "));
      });
    });
  }

  function labelSelect2Searches() {
    document.querySelectorAll(".select2-search__field").forEach(function (input) {
      var container = input.closest(".select2-container");
      var select = container && container.previousElementSibling;
      if (select && select.tagName === "SELECT") {
        name(input, (select.labels && select.labels.length ? text(select.labels[0]) : select.getAttribute("aria-label")));
      }
    });
  }

  function run() {
    labelTabularInlines();
    labelDateTimeHalves();
    labelSelect2Searches();
  }

  var pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; run(); });
  }

  window.addEventListener("load", function () {
    run();
    // Rows added with "Thêm …" and select2 redrawing its search box after each choice.
    new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true });
  });
})();
