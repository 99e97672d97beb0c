// The queue's bulk actions (the form #bulk; each claim row's box belongs to it). Without this
// script the boxes are ticked one by one, and "Select all on this page" is a link that brings
// the page back with the section's boxes ticked. With it, that link becomes a checkbox that
// ticks (or clears) every box of its section at once, and the form says how many claims are
// ticked. Its words come from the form's data-* attributes, translated by the template
// (templates/review/queue.html): a count's -one and -other forms, %(n)s and %(title)s filled in
// here.
(function () {
  "use strict";
  var form = document.getElementById("bulk");
  var count = document.getElementById("bulk-count");
  if (!form || !count) { return; }
  var initial = count.textContent;

  // The form's data-<key> sentence (static/review/words.js).
  function words(key, values, n) { return window.deskWords(form, key, values, n); }

  function boxes(scope) {
    return Array.prototype.slice.call(
      (scope || document).querySelectorAll("input.bulk-pick[form=bulk]"));
  }

  function ticked() {
    var seen = {};
    boxes().forEach(function (box) { if (box.checked) { seen[box.value] = true; } });
    return Object.keys(seen).length; // a claim shown in two sections counts once
  }

  var toggles = [];

  function refresh() {
    var n = ticked();
    count.textContent = n ? words("ticked", { n: n }, n) : initial;
    toggles.forEach(function (toggle) {
      var own = boxes(toggle.section);
      var on = own.filter(function (box) { return box.checked; }).length;
      toggle.input.checked = on > 0 && on === own.length;
      toggle.input.indeterminate = on > 0 && on < own.length;
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("a[data-select-section]"),
    function (link) {
      var section = document.getElementById(link.getAttribute("data-select-section"));
      if (!section) { return; }
      var label = document.createElement("label");
      var input = document.createElement("input");
      input.type = "checkbox";
      input.className = "select-all-box";
      label.appendChild(input);
      var n = boxes(section).length;
      label.appendChild(document.createTextNode(" " + words("select-all", { n: n }, n)));
      var heading = section.querySelector("h2");
      if (heading) {
        input.setAttribute("aria-label", words("select-all-label",
          { n: n, title: heading.firstChild.textContent.trim() }, n));
      }
      link.parentNode.replaceChild(label, link);
      input.addEventListener("change", function () {
        boxes(section).forEach(function (box) { box.checked = input.checked; });
        refresh();
      });
      toggles.push({ section: section, input: input });
    });

  document.addEventListener("change", function (event) {
    if (event.target.classList && event.target.classList.contains("bulk-pick")) {
      // The same claim in another section follows its twin.
      boxes().forEach(function (box) {
        if (box.value === event.target.value) { box.checked = event.target.checked; }
      });
      refresh();
    }
  });

  form.addEventListener("submit", function (event) {
    if (!ticked()) {
      event.preventDefault();
      count.textContent = words("none-ticked");
      count.classList.add("error");
    }
  });

  refresh();
})();
