// The digest composer (templates/review/digest_form.html). The draft's claims are an ordered
// list; each entry carries a hidden `claims` input, so the order of the list is the order the
// form sends and services.update_draft_digest / create_digest save. Without this script every
// "move up", "move down", "remove" and "add" button sends the form back to the server, which shows it
// again with the change made (nothing saved). With it, the same buttons change the list in
// the page, keep the keyboard focus on the entry that moved and say what happened in the
// status line; entries can also be dragged with the mouse. Its words come from the form's
// data-* attributes, translated by the template (%(id)s and %(place)s are filled in here).
(function () {
  "use strict";
  var form = document.getElementById("composer");
  var list = document.getElementById("composer-entries");
  var status = document.getElementById("composer-status");
  if (!form || !list || !status) { return; }
  var count = document.getElementById("entries-count");
  var empty = document.getElementById("entries-empty");
  var hint = form.querySelector(".drag-hint");
  if (hint) { hint.hidden = false; }

  function entries() { return Array.prototype.slice.call(list.querySelectorAll("li.entry")); }
  function idOf(entry) { return entry.getAttribute("data-claim"); }
  function say(text) { status.textContent = text; }
  // The form's data-<key> sentence (static/review/words.js).
  function words(key, values) { return window.deskWords(form, key, values); }
  function button(entry, name, value) {
    return entry.querySelector("button[name=" + name + "][value='" + value + "']");
  }

  // The first entry cannot go up, the last cannot go down; the count and the empty note follow.
  function refresh() {
    var all = entries();
    all.forEach(function (entry, n) {
      var id = idOf(entry);
      button(entry, "move", "up:" + id).disabled = n === 0;
      button(entry, "move", "down:" + id).disabled = n === all.length - 1;
      entry.setAttribute("draggable", "true");
    });
    if (count) { count.textContent = String(all.length); }
    if (empty) { empty.hidden = all.length > 0; }
  }

  function place(entry) { return entries().indexOf(entry) + 1; }

  function move(entry, direction) {
    var id = idOf(entry);
    var other = direction === "up" ? entry.previousElementSibling : entry.nextElementSibling;
    if (!other) {
      say(words(direction === "up" ? "at-top" : "at-bottom", { id: id }));
      return;
    }
    list.insertBefore(entry, direction === "up" ? other : other.nextElementSibling);
    refresh();
    // The focus stays with the entry that moved: on the same button, or on the other one when
    // this one can go no further.
    var same = button(entry, "move", direction + ":" + id);
    var opposite = button(entry, "move", (direction === "up" ? "down:" : "up:") + id);
    (same.disabled ? opposite : same).focus();
    say(words(direction === "up" ? "moved-up" : "moved-down", { id: id, place: place(entry) }));
  }

  function remove(entry) {
    var id = idOf(entry);
    var next = entry.nextElementSibling || entry.previousElementSibling;
    entry.parentNode.removeChild(entry);
    refresh();
    if (next) {
      button(next, "remove", idOf(next)).focus();
    } else {
      var title = document.getElementById("entries-title");
      title.setAttribute("tabindex", "-1");
      title.focus();
    }
    say(words("removed", { id: id }));
  }

  function newButton(name, value, text, label, formaction) {
    var b = document.createElement("button");
    b.type = "submit";
    b.className = "small";
    b.name = name;
    b.value = value;
    b.textContent = text;
    b.formNoValidate = true;
    b.setAttribute("formaction", formaction);
    b.setAttribute("aria-label", label);
    return b;
  }

  // The same markup as review/_composer_entry.html.
  function makeEntry(id, rating, label, text) {
    var entry = document.createElement("li");
    entry.className = "entry";
    entry.id = "entry-" + id;
    entry.setAttribute("data-claim", id);
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = "claims";
    input.value = id;
    var row = document.createElement("div");
    row.className = "entry-row";
    var body = document.createElement("span");
    body.className = "entry-body";
    var badge = document.createElement("span");
    badge.className = "badge rating-" + rating;
    badge.textContent = label;
    var textSpan = document.createElement("span");
    textSpan.className = "entry-text";
    textSpan.textContent = text;
    body.appendChild(badge);
    body.appendChild(document.createTextNode(" "));
    body.appendChild(textSpan);
    var actions = document.createElement("span");
    actions.className = "entry-actions";
    actions.appendChild(newButton("move", "up:" + id, words("up"), words("up-label", { id: id }),
                                  "#entry-" + id));
    actions.appendChild(newButton("move", "down:" + id, words("down"),
                                  words("down-label", { id: id }), "#entry-" + id));
    actions.appendChild(newButton("remove", id, words("remove"), words("remove-label", { id: id }),
                                  "#composer-entries"));
    row.appendChild(body);
    row.appendChild(actions);
    entry.appendChild(input);
    entry.appendChild(row);
    return entry;
  }

  function add(row) {
    var id = row.getAttribute("data-claim");
    var entry = document.getElementById("entry-" + id);
    if (!entry) {
      entry = makeEntry(id, row.getAttribute("data-rating"), row.getAttribute("data-label"),
                        row.getAttribute("data-text"));
      list.appendChild(entry);
    }
    var next = row.nextElementSibling || row.previousElementSibling;
    var rows = row.parentNode;
    rows.removeChild(row);
    if (!rows.children.length) {
      var done = document.createElement("tr");
      var cell = document.createElement("td");
      cell.colSpan = 5;
      cell.className = "meta";
      cell.textContent = words("all-added");
      done.appendChild(cell);
      rows.appendChild(done);
    }
    refresh();
    if (next) { next.querySelector("button[name=add]").focus(); } else { button(entry, "remove", id).focus(); }
    say(words("added", { id: id, place: place(entry) }));
  }

  form.addEventListener("click", function (event) {
    var b = event.target.closest("button");
    if (!b || !form.contains(b)) { return; }
    if (b.name === "move" || b.name === "remove") {
      var entry = b.closest("li.entry");
      if (!entry) { return; }
      event.preventDefault();
      if (b.name === "remove") { remove(entry); } else { move(entry, b.value.split(":")[0]); }
    } else if (b.name === "add") {
      var row = b.closest("tr[data-claim]");
      if (!row) { return; }
      event.preventDefault();
      add(row);
    }
  });

  // Dragging an entry with the mouse: dropped before or after the entry under the pointer.
  var dragged = null;

  function clearMarks() {
    entries().forEach(function (entry) { entry.classList.remove("drop-before", "drop-after"); });
  }

  function spot(event) {
    var over = event.target.closest && event.target.closest("li.entry");
    if (!over || over === dragged || !list.contains(over)) { return null; }
    var box = over.getBoundingClientRect();
    return { entry: over, after: event.clientY > box.top + box.height / 2 };
  }

  list.addEventListener("dragstart", function (event) {
    var entry = event.target.closest && event.target.closest("li.entry");
    if (!entry) { return; }
    dragged = entry;
    entry.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", "#" + idOf(entry));
  });
  list.addEventListener("dragover", function (event) {
    if (!dragged) { return; }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    clearMarks();
    var where = spot(event);
    if (where) { where.entry.classList.add(where.after ? "drop-after" : "drop-before"); }
  });
  list.addEventListener("drop", function (event) {
    if (!dragged) { return; }
    event.preventDefault();
    var where = spot(event);
    clearMarks();
    if (where) {
      list.insertBefore(dragged, where.after ? where.entry.nextElementSibling : where.entry);
      refresh();
      say(words("moved-to", { id: idOf(dragged), place: place(dragged) }));
    }
  });
  list.addEventListener("dragend", function () {
    if (dragged) { dragged.classList.remove("dragging"); }
    dragged = null;
    clearMarks();
  });

  refresh();
})();
