// The queue's assistant panel: fetched after the queue has shown, since matching every claim
// against every article takes a moment. Without JavaScript the link opens it as a page.
(function () {
  "use strict";
  var panel = document.getElementById("assistant-queue");
  if (!panel || !window.fetch) { return; }
  fetch(panel.getAttribute("data-src"), { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
    .then(function (html) {
      // Server-rendered by Django's templates (every imported text escaped there).
      var holder = document.createElement("div");
      holder.innerHTML = html;
      panel.replaceWith.apply(panel, Array.prototype.slice.call(holder.children));
    })
    .catch(function () { /* the link stays: the page itself still works */ });
}());
