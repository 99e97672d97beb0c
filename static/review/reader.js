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
  var shownQuote = document.getElementById("selected-quote");
  var newButton = document.getElementById("toolbar-new-claim");
  var evidenceButton = document.getElementById("toolbar-add-evidence");
  if (!body || !toolbar || !newForm || !evidenceForm || !shownQuote || !newButton ||
      !evidenceButton) { return; }

  function codePoints(text) { return Array.from(text).length; }
  function leadingSpace(text) { return codePoints(text) - codePoints(text.replace(/^\s+/, "")); }
  function dataOffset(piece) { return parseInt(piece.getAttribute("data-o"), 10); }

  // The code point offset in the article body of a boundary point (node, offset), wherever it
  // falls: in a text node, in a highlight (<mark>) or plain piece (<span data-o>), between
  // pieces, in a suggestion's <span>, or on the body itself. Each piece carries its offset in
  // the stored body (data-o); text inside a piece counts from there. Null if unknown.
  function offsetOf(node, offset) {
    var pieces = body.querySelectorAll("[data-o]");
    var span = document.createRange();
    for (var i = 0; i < pieces.length; i++) {
      span.selectNodeContents(pieces[i]);
      var where = span.comparePoint(node, offset);
      if (where < 0) { return dataOffset(pieces[i]); } // between pieces: this one's start
      if (where === 0) { // inside this piece (its ends included)
        span.setEnd(node, offset);
        return dataOffset(pieces[i]) + codePoints(span.toString());
      }
    }
    if (!pieces.length) { return null; }
    var last = pieces[pieces.length - 1];
    return dataOffset(last) + codePoints(last.textContent);
  }

  // The selection, cut to the article body, as {quote, start, end}; null when there is no
  // selection, it is empty or only white space, or it lies outside the body.
  function readSelection() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) { return null; }
    var range = selection.getRangeAt(0).cloneRange();
    var whole = document.createRange();
    whole.selectNodeContents(body);
    // A drag that overshoots the body keeps the part inside it. Setting a start after the
    // end (or an end before the start) collapses the range: then nothing of it is in the body.
    if (range.compareBoundaryPoints(Range.START_TO_START, whole) < 0) {
      range.setStart(body, 0);
    }
    if (range.compareBoundaryPoints(Range.END_TO_END, whole) > 0) {
      range.setEnd(body, body.childNodes.length);
    }
    if (range.collapsed) { return null; }
    var raw = range.toString();
    var quote = raw.trim();
    if (!quote) { return null; }
    // A Range is ordered, but take the two ends in order anyway: a selection made backwards
    // (right to left, anchor after focus) must give the same span as one made forwards.
    var start = offsetOf(range.startContainer, range.startOffset);
    var other = offsetOf(range.endContainer, range.endOffset);
    if (start !== null && other !== null && other < start) { start = other; }
    if (start !== null) { start += leadingSpace(raw); }
    return {
      quote: quote,
      start: start,
      end: start === null ? null : start + codePoints(quote)
    };
  }

  var current = null; // what the toolbar offers; null when nothing is selected
  var filled = new Map(); // form -> the quote this script put in it

  function fill(form, picked) {
    form.elements.quote.value = picked.quote;
    form.elements.start.value = picked.start === null ? "" : String(picked.start);
    form.elements.end.value = picked.end === null ? "" : String(picked.end);
    filled.set(form, picked.quote);
  }

  // Empty what an earlier selection put in a form, so that no button sends an old quote.
  // A quote the editor typed or changed herself is hers: it stays.
  function unfill(form) {
    if (!filled.has(form)) { return; }
    if (form.elements.quote.value === filled.get(form)) {
      form.elements.quote.value = "";
      form.elements.start.value = "";
      form.elements.end.value = "";
    }
    filled.delete(form);
  }

  function offer(picked) {
    current = picked;
    shownQuote.textContent = picked ? picked.quote : "";
    newButton.disabled = evidenceButton.disabled = !picked;
    toolbar.hidden = !picked;
  }

  function onSelect() {
    var picked = readSelection();
    if (picked) {
      fill(newForm, picked);
      fill(evidenceForm, picked);
    } else if (current) {
      unfill(newForm);
      unfill(evidenceForm);
    }
    offer(picked);
  }

  // The highlights are not focusable: the body is, as one Tab stop, and the keyboard moves in it
  // (static/review/reader_keys.js), making selections that this script reads as a mouse's.
  body.addEventListener("mouseup", onSelect);
  body.addEventListener("keyup", onSelect);
  body.addEventListener("touchend", function () { window.setTimeout(onSelect, 0); });
  // A click elsewhere on the page (not in the toolbar or the forms, where the editor goes on
  // with her selection) empties the selection: the toolbar must forget it.
  document.addEventListener("mouseup", function (event) {
    if (body.contains(event.target) || toolbar.contains(event.target) ||
        newForm.contains(event.target) || evidenceForm.contains(event.target)) { return; }
    window.setTimeout(onSelect, 0);
  });

  newButton.addEventListener("click", function () {
    if (!current) { return; }
    fill(newForm, current);
    if (newForm.elements.text) { newForm.elements.text.value = ""; }
    newForm.requestSubmit();
  });

  evidenceButton.addEventListener("click", function () {
    if (!current) { return; }
    fill(evidenceForm, current);
    toolbar.hidden = true;
    evidenceForm.scrollIntoView({ behavior: "smooth", block: "center" });
    (evidenceForm.elements.find || evidenceForm.elements.claim).focus(); // the claim search
  });
})();
