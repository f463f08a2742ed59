/* The indicator lines of a commune-year sheet: "met" shown as the clerk types, by the same rules the
   server applies again on save (criteria/scoring.py): 85%, 85, 85,5, 1.234,5, Đạt / x / Chưa đạt / -. */
(function () {
  "use strict";
  var YES = ["co", "x", "1", "dat", "yes", "y", "true", "dung", "v"];
  var NO = ["khong", "0", "-", "chua dat", "chua", "no", "n", "false", "sai", "khong dat"];
  var NA = ["khong ap dung", "kad", "n/a", "na"];

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D")
      .toLowerCase().replace(/\s+/g, " ").trim();
  }

  function number(text) {
    text = text.replace(/\s/g, "").replace(/%$/, "");
    if (text.indexOf(",") >= 0 && text.indexOf(".") >= 0) {
      text = text.lastIndexOf(",") > text.lastIndexOf(".") ? text.replace(/\./g, "").replace(",", ".") : text.replace(/,/g, "");
    } else if (text.indexOf(".") >= 0) {
      if (/^\d{1,3}(\.\d{3})+$/.test(text)) text = text.replace(/\./g, "");
    } else if (text.indexOf(",") >= 0) {
      text = text.replace(",", ".");
    }
    return /^-?\d+(\.\d+)?$/.test(text) ? parseFloat(text) : NaN;
  }

  function judge(input, notApplicable) {
    if (notApplicable) return "na";
    var raw = (input.value || "").trim();
    var folded = fold(raw);
    if (NA.indexOf(folded) >= 0) return "na";
    if (!raw) return "";
    var type = input.dataset.type, comparison = input.dataset.comparison;
    if (comparison === "text") return "hand";
    if (type === "bool" || comparison === "bool") {
      if (YES.indexOf(folded) >= 0) return "met";
      if (NO.indexOf(folded) >= 0) return "not";
      return "bad";
    }
    var value = number(raw);
    if (isNaN(value) || (type === "percent" && (value < 0 || value > 100))) return "bad";
    var target = parseFloat(input.dataset.target);
    if (isNaN(target)) return "not";
    var met = comparison === "gte" ? value >= target : comparison === "lte" ? value <= target : value === target;
    return met ? "met" : "not";
  }

  function update(row) {
    var input = row.querySelector("[data-indicator]");
    var out = row.querySelector(".indicator-met");
    if (!input || !out) return;
    var box = row.querySelector("input[name$='-not_applicable']");
    var state = judge(input, box && box.checked);
    out.dataset.state = state;
    out.textContent = out.dataset["label" + state.charAt(0).toUpperCase() + state.slice(1)] || "";
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("tr.indicator-line").forEach(function (row) {
      update(row);
      row.addEventListener("input", function () { update(row); });
      row.addEventListener("change", function () { update(row); });
    });
  });
})();
