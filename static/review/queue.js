// The queue's bulk actions (the form #bulk; each claim row's box belongs to it). Without this
// script the boxes are ticked one by one, and "全选本页" is a link that brings the page back with
// the section's boxes ticked. With it, that link becomes a checkbox that ticks (or clears) every
// box of its section at once, and the form says how many claims are ticked.
(function () {
  "use strict";
  var form = document.getElementById("bulk");
  var count = document.getElementById("bulk-count");
  if (!form || !count) { return; }
  var initial = count.textContent;

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
    count.textContent = n ? "已勾选 " + n + " 条主张。" : initial;
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
      var words = "全选本页（" + boxes(section).length + " 条）";
      label.appendChild(document.createTextNode(" " + words));
      var heading = section.querySelector("h2");
      if (heading) { input.setAttribute("aria-label", words + "：" + heading.firstChild.textContent.trim()); }
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
      count.textContent = "请先勾选要处理的主张。";
      count.classList.add("error");
    }
  });

  refresh();
})();
