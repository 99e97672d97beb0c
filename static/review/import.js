// The import job page (/review/import/<id>/): while the job runs, ask its status.json every
// second and bring the status, the progress bar, the counts and the list of files up to date.
// Each new row comes as HTML rendered (and escaped) by the server's own template
// (review/_import_result.html). Rows are added only to a page that shows the end of the list
// of all files, until it holds a page's worth (data-room); the page then links to the next
// one. Without JavaScript the page shows the state on reload.
(function () {
  "use strict";
  var job = document.getElementById("import-job");
  if (!job || !window.fetch || job.getAttribute("data-finished") === "1") { return; }
  var url = job.getAttribute("data-status-url");
  var next = parseInt(job.getAttribute("data-next"), 10) || 0;
  var room = parseInt(job.getAttribute("data-room"), 10) || 0;
  // Whether this page shows the end of the list of all files (new rows belong here or next).
  var live = job.getAttribute("data-live") === "1";
  var list = document.getElementById("import-results");
  var bar = document.getElementById("import-progress");
  var failures = 0;
  var EVERY = 1000;

  function text(id, value) {
    var node = document.getElementById(id);
    if (node && node.textContent !== value) { node.textContent = value; }
  }

  function update(data) {
    text("import-status", data.status_label);
    text("import-progress-text", data.progress_label);
    bar.textContent = data.progress_label;
    if (data.total > 0) {
      bar.max = data.total;
      bar.value = data.done;
    } else if (data.finished) {
      bar.max = 1;
      bar.value = 1;
    }
    var counts = Object.assign({ done: data.done }, data.counts);
    Object.keys(counts).forEach(function (key) {
      document.querySelectorAll('[data-count="' + key + '"]').forEach(function (node) {
        node.textContent = String(counts[key]);
      });
    });
    data.results.forEach(function (item) {
      if (room > 0 && !document.getElementById("file-" + item.index)) {
        list.insertAdjacentHTML("beforeend", item.row_html);
        room -= 1;
        document.getElementById("import-empty").hidden = true;
      }
    });
    document.getElementById("import-stalled").hidden = !data.stalled;
    document.getElementById("import-stopped").hidden = !data.stopped;
    next = data.next;
    if (live && room === 0 && data.done > next) {
      document.getElementById("import-more").hidden = false;
    }
    if (data.error) {
      text("import-error-text", data.error);
      document.getElementById("import-error").hidden = false;
    }
    if (data.finished) {
      job.setAttribute("data-finished", "1");
      document.getElementById("import-reload").hidden = true;
    }
  }

  function poll() {
    fetch(url + "?since=" + next + "&limit=" + room, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { return Promise.reject(response.status); }
        return response.json();
      })
      .then(function (data) {
        failures = 0;
        update(data);
        if (!data.finished) { window.setTimeout(poll, EVERY); }
      })
      .catch(function (status) {
        failures += 1;
        // Signed out or refused: polling again will not help; the reload link stays.
        if (status === 401 || status === 403 || status === 404 || failures > 30) { return; }
        window.setTimeout(poll, Math.min(EVERY * (failures + 1), 10000));
      });
  }

  window.setTimeout(poll, EVERY);
}());
