// The article reader: selecting text offers "new claim from this" and "add as evidence to
// claim…". The forms work without this script (type or paste the quote); the script fills
// them from the selection, with offsets in code points (Python string indices) because the
// browser counts UTF-16 units, which differ for characters outside the Basic Multilingual
// Plane (搭𨋢去九龍 is 5 code points, 6 UTF-16 units). The server re-checks every quote.
(function () {
  "use strict";
  var body = document.getElementById("article-body");
  var toolbar = document.getElementById("selection-toolbar");
  var newForm = document.getElementById("new-claim-form");
  var evidenceForm = document.getElementById("add-evidence-form");
  if (!body || !toolbar || !newForm || !evidenceForm) { return; }

  function codePoints(text) { return Array.from(text).length; }

  // The code point offset in the article body of a range boundary, or null if unknown.
  function offsetOf(node, offset) {
    if (node.nodeType !== Node.TEXT_NODE) {
      var child = node.childNodes[offset];
      var piece = child && child.nodeType === Node.ELEMENT_NODE
        ? (child.matches("[data-o]") ? child : child.querySelector("[data-o]"))
        : null;
      return piece ? parseInt(piece.getAttribute("data-o"), 10) : null;
    }
    var holder = node.parentElement && node.parentElement.closest("[data-o]");
    if (!holder || !body.contains(holder)) { return null; }
    return parseInt(holder.getAttribute("data-o"), 10) + codePoints(node.data.slice(0, offset));
  }

  var current = null;

  function readSelection() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) { return null; }
    var range = selection.getRangeAt(0);
    if (!body.contains(range.commonAncestorContainer)) { return null; }
    var raw = selection.toString();
    var quote = raw.trim();
    if (!quote) { return null; }
    var start = offsetOf(range.startContainer, range.startOffset);
    if (start !== null) {
      start += codePoints(raw) - codePoints(raw.replace(/^\s+/, ""));
    }
    return {
      quote: quote,
      start: start,
      end: start === null ? null : start + codePoints(quote)
    };
  }

  function fill(form, picked) {
    form.elements.quote.value = picked.quote;
    form.elements.start.value = picked.start === null ? "" : String(picked.start);
    form.elements.end.value = picked.end === null ? "" : String(picked.end);
  }

  function onSelect() {
    var picked = readSelection();
    if (!picked) { return; }
    current = picked;
    fill(newForm, picked);
    fill(evidenceForm, picked);
    document.getElementById("selected-quote").textContent = picked.quote;
    toolbar.hidden = false;
  }

  body.addEventListener("mouseup", onSelect);
  body.addEventListener("keyup", onSelect);
  body.addEventListener("touchend", function () { window.setTimeout(onSelect, 0); });

  document.getElementById("toolbar-new-claim").addEventListener("click", function () {
    if (!current) { return; }
    fill(newForm, current);
    if (newForm.elements.text) { newForm.elements.text.value = ""; }
    newForm.requestSubmit();
  });

  document.getElementById("toolbar-add-evidence").addEventListener("click", function () {
    if (!current) { return; }
    fill(evidenceForm, current);
    toolbar.hidden = true;
    evidenceForm.scrollIntoView({ behavior: "smooth", block: "center" });
    evidenceForm.elements.claim.focus();
  });
})();
