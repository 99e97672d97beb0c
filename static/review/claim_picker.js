// Type-to-search claim pickers. A search field marked data-claim-picker="<url>" becomes a
// combobox: as the editor types (either script, or a claim's number), it asks the desk's
// claim search (review:claim_picker, at most 20 claims) and lists the matches under the
// field; arrow keys move through them, Enter or a click picks one, Escape closes the list.
// Picking puts the claim's number in the plain number field (data-claim-target), which is
// what the form sends, and shows the claim's words (data-claim-chosen). Without this script
// the number field and the form's "Find claims" button do the same work. The script's own words
// come from the data-picker-* attributes of the field's .claim-picker box, translated by the
// template (templates/review/_claim_picker.html): a count's -one and -other forms, %(name)s
// filled in here.
(function () {
  "use strict";
  if (!window.fetch) { return; }
  var WAIT = 200; // ms after the last keystroke

  Array.prototype.forEach.call(document.querySelectorAll("input[data-claim-picker]"), setUp);

  function setUp(input) {
    var target = document.getElementById(input.getAttribute("data-claim-target"));
    var chosen = document.getElementById(input.getAttribute("data-claim-chosen"));
    var url = input.getAttribute("data-claim-picker");
    if (!target) { return; }
    var form = input.form;
    var box = input.closest(".claim-picker") || input;
    // The box's data-picker-<key> sentence (static/review/words.js).
    function words(key, values, n) { return window.deskWords(box, "picker-" + key, values, n); }
    var listId = input.id + "-listbox";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "picker-listbox";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", words("list"));
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "meta picker-status";
    status.setAttribute("role", "status");
    var field = input.closest(".field") || input;
    field.parentNode.insertBefore(status, field.nextSibling);
    field.parentNode.insertBefore(list, field.nextSibling);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var items = [];
    var active = -1;
    var timer = null;
    var asked = 0; // the latest request: older answers are dropped

    function open() {
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", list.hidden ? "false" : "true");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      if (!options.length) { return; }
      active = (index + options.length) % options.length;
      Array.prototype.forEach.call(options, function (option, n) {
        option.setAttribute("aria-selected", n === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    function show(data) {
      items = data.results || [];
      list.textContent = "";
      items.forEach(function (item, n) {
        var option = document.createElement("li");
        option.id = listId + "-" + n;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.setAttribute("data-claim", String(item.id));
        option.textContent = item.label;
        list.appendChild(option);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (!items.length) {
        status.textContent = words("none");
      } else {
        status.textContent = words("found", { n: items.length + (data.more ? "+" : "") },
                                   data.more ? 2 : items.length);
      }
      open();
    }

    function lookUp() {
      var mine = ++asked;
      var query = url + "?q=" + encodeURIComponent(input.value.trim());
      fetch(query, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (answer) {
          return answer.json().then(function (data) {
            if (!answer.ok) { throw new Error(data.detail || String(answer.status)); }
            return data;
          });
        })
        .then(function (data) { if (mine === asked) { show(data); } })
        .catch(function (error) {
          if (mine !== asked) { return; }
          items = [];
          close();
          status.textContent = words("failed", { error: error.message });
        });
    }

    function choose(index) {
      var item = items[index];
      if (!item) { return; }
      target.value = String(item.id);
      if (chosen) {
        // "Chosen: %(claim)s", the claim a link wherever the sentence puts it.
        var parts = words("chosen").split("%(claim)s");
        var link = document.createElement("a");
        link.href = item.url;
        link.textContent = item.label;
        chosen.textContent = parts[0];
        chosen.appendChild(link);
        chosen.appendChild(document.createTextNode(parts.slice(1).join("")));
      }
      status.textContent = words("picked", { id: item.id });
      close();
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(lookUp, WAIT);
    });

    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) {
          if (items.length) { open(); } else { lookUp(); }
          return;
        }
        highlight(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault(); // pick, do not submit the form
        choose(active);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });

    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
    // A press on the list keeps the focus in the field (the list would close on blur).
    list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    list.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) { choose(Array.prototype.indexOf.call(list.children, option)); }
    });

    // A number typed by hand: the words shown were for another claim.
    target.addEventListener("input", function () {
      if (chosen) { chosen.textContent = ""; }
    });
    // Enter in the number field adds the evidence (without the script, the form's first
    // button, "Find claims", would take it).
    var submit = form && form.querySelector("#add-evidence-submit");
    target.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && submit && form.requestSubmit) {
        event.preventDefault();
        form.requestSubmit(submit);
      }
    });
  }
})();
