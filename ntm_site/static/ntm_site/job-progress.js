/* Background jobs (ntm_site.jobs): every .ntm-job that is not finished asks its status URL (same origin, JSON)
   once a second and moves its bar and counts; when the job ends, the page reloads to show the result and its
   download. Without script the page refreshes itself (<noscript> meta refresh) and has a reload link. */
(function () {
  "use strict";
  var INTERVAL = 1000;
  var grouping = new Intl.NumberFormat(document.documentElement.lang || "vi");

  function show(box, data) {
    box.setAttribute("data-job-state", data.state);
    var bar = box.querySelector(".ntm-job-bar");
    if (bar && data.percent !== null && data.percent !== undefined) {
      bar.value = data.percent;
      bar.textContent = data.percent + "%";
    }
    ["read", "written", "total"].forEach(function (key) {
      var field = box.querySelector('[data-job-field="' + key + '"]');
      if (field) { field.textContent = grouping.format(data[key] || 0); }
    });
    var label = box.querySelector('[data-job-field="state_label"]');
    if (label) {
      label.textContent = data.state_label;
      label.className = "ntm-job-badge ntm-job-" + data.state;
    }
  }

  function watch(box) {
    var url = box.getAttribute("data-job-status-url");
    function poll() {
      fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { setTimeout(poll, INTERVAL * 5); return; }
          show(box, data);
          if (data.finished) { window.location.reload(); } else { setTimeout(poll, INTERVAL); }
        })
        .catch(function () { setTimeout(poll, INTERVAL * 5); });
    }
    setTimeout(poll, INTERVAL);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".ntm-job[data-job-status-url]").forEach(watch);
  });
})();
