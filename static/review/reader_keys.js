// The article reader by keyboard; templates/review/article.html says which keys do what. The
// body is one Tab stop (its highlights are none). In it the editor moves a caret and selects
// text as in a text editor (Selection.modify), or picks the sentence under the caret, and jumps
// from highlight to highlight, each one's claim and stance shown beside the caret. What she
// selects is the page's selection, which static/review/reader.js turns into the quote and its
// offsets in the stored body exactly as it does a mouse's; Enter and E press its toolbar's
// buttons. Browsers draw no caret in text that cannot be edited, and an editable body would let
// an input method or a paste change it: the caret is drawn here. Its words come from the
// data-* attributes of the status line (#reader-status), translated by the template; %(name)s
// is filled in here.
(function () {
  "use strict";
  var body = document.getElementById("article-body");
  var status = document.getElementById("reader-status");
  var newButton = document.getElementById("toolbar-new-claim");
  var evidenceButton = document.getElementById("toolbar-add-evidence");
  var column = body && body.parentElement;
  var selection = window.getSelection && window.getSelection();
  if (!body || !status || !newButton || !evidenceButton || !column || !selection ||
      !selection.modify) { return; }

  var caret = document.createElement("span");
  caret.className = "reader-caret";
  var tip = document.createElement("span");
  tip.className = "reader-tip";
  [caret, tip].forEach(function (element) {
    element.setAttribute("aria-hidden", "true");
    element.hidden = true;
    column.appendChild(element);
  });

  // ---- where things are -------------------------------------------------------------------

  function inBody(node) { return !!node && body.contains(node); }
  function selectionInBody() {
    return selection.rangeCount > 0 && inBody(selection.anchorNode) && inBody(selection.focusNode);
  }
  function rendered(node) {
    return node.parentElement && node.parentElement.getClientRects().length > 0;
  }
  // The body's text nodes that are on screen (Markdown's hidden markup characters are not).
  function textNodes(within) {
    var walker = document.createTreeWalker(within || body, NodeFilter.SHOW_TEXT);
    var nodes = [];
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.data.length && rendered(node)) { nodes.push(node); }
    }
    return nodes;
  }
  // Offsets in the body's text (UTF-16 units, as the DOM counts; reader.js converts to code
  // points when it reads the selection) to and from boundary points.
  function textOffset(node, offset) {
    var range = document.createRange();
    range.setStart(body, 0);
    range.setEnd(node, offset);
    return range.toString().length;
  }
  function pointAt(index) {
    var walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    var last = null;
    for (var node = walker.nextNode(), seen = 0; node; node = walker.nextNode()) {
      if (index < seen + node.data.length) { return { node: node, offset: index - seen }; }
      seen += node.data.length;
      last = node;
    }
    return last ? { node: last, offset: last.data.length } : { node: body, offset: 0 };
  }
  function markAt(node) {
    var element = node && (node.nodeType === 1 ? node : node.parentElement);
    var mark = element && element.closest("mark");
    return mark && body.contains(mark) ? mark : null;
  }

  // ---- the caret and the tip ----------------------------------------------------------------

  // The box of a boundary point: a collapsed range's, else the edge of a character beside it.
  function pointBox(node, offset) {
    var range = document.createRange();
    range.setStart(node, offset);
    range.collapse(true);
    var rects = range.getClientRects();
    if (rects.length && rects[0].height) { return rects[0]; }
    if (node.nodeType === 3 && offset < node.data.length) {
      range.setEnd(node, offset + 1);
      rects = range.getClientRects();
      if (rects.length) { return { left: rects[0].left, top: rects[0].top, bottom: rects[0].bottom }; }
    }
    if (node.nodeType === 3 && offset > 0) {
      range.setStart(node, offset - 1);
      range.setEnd(node, offset);
      rects = range.getClientRects();
      var box = rects[rects.length - 1];
      if (box) { return { left: box.right, top: box.top, bottom: box.bottom }; }
    }
    return null;
  }

  var shownMark = null;
  function draw() {
    if (document.activeElement !== body || !selectionInBody()) {
      caret.hidden = tip.hidden = true;
      shownMark = null;
      return;
    }
    var box = pointBox(selection.focusNode, selection.focusOffset);
    if (!box) { caret.hidden = tip.hidden = true; return; }
    var frame = column.getBoundingClientRect();
    caret.style.left = (box.left - frame.left) + "px";
    caret.style.top = (box.top - frame.top) + "px";
    caret.style.height = (box.bottom - box.top) + "px";
    caret.hidden = false;
    var mark = markAt(selection.focusNode);
    if (mark !== shownMark) {
      shownMark = mark;
      if (mark) { say(mark.getAttribute("data-tip") || ""); }
    }
    if (mark) { showTip(mark.getAttribute("data-tip") || "", box, frame); } else { tip.hidden = true; }
  }
  function showTip(text, box, frame) {
    tip.textContent = text;
    tip.hidden = !text;
    var left = Math.min(box.left - frame.left, Math.max(0, frame.width - tip.offsetWidth));
    tip.style.left = Math.max(0, left) + "px";
    tip.style.top = (box.bottom - frame.top + 4) + "px";
  }
  // Said to screen readers (a status region, out of sight).
  function say(text) {
    status.textContent = text;
  }
  // The status line's data-<key> sentence (static/review/words.js).
  function words(key, values) { return window.deskWords(status, key, values); }
  // Said, and shown under the caret.
  function hint(text) {
    say(text);
    var box = selectionInBody() && pointBox(selection.focusNode, selection.focusOffset);
    if (box) { showTip(text, box, column.getBoundingClientRect()); }
  }
  function reveal() {
    draw();
    if (!caret.hidden) { caret.scrollIntoView({ block: "nearest" }); }
  }
  // reader.js reads the selection on keyup (and mouseup): tell it at once, before Enter or E
  // press a toolbar button that uses what it read.
  function tell() { body.dispatchEvent(new Event("keyup")); }

  // ---- moving ------------------------------------------------------------------------------

  function toStart() {
    var first = textNodes()[0];
    if (first) { selection.collapse(first, 0); }
  }
  function ensureCaret() {
    if (!selectionInBody()) { toStart(); }
  }
  // [direction, granularity, granularity with Ctrl]
  var MOVES = {
    ArrowLeft: ["backward", "character", "word"],
    ArrowRight: ["forward", "character", "word"],
    ArrowUp: ["backward", "line", "paragraph"],
    ArrowDown: ["forward", "line", "paragraph"],
    Home: ["backward", "lineboundary", "lineboundary"],
    End: ["forward", "lineboundary", "lineboundary"]
  };
  function move(how, extend, ctrl) {
    ensureCaret();
    var before = [selection.anchorNode, selection.anchorOffset, selection.focusNode,
      selection.focusOffset];
    selection.modify(extend ? "extend" : "move", how[0], ctrl ? how[2] : how[1]);
    if (!selectionInBody()) { // the caret does not leave the body
      if (extend) {
        selection.setBaseAndExtent(before[0], before[1], before[2], before[3]);
      } else {
        selection.collapse(before[2], before[3]);
      }
    }
  }

  // Sentences: up to and with 。！？!? (or a full stop before a space) and the closing quotes or
  // brackets after them, or a line.
  var ENDS = /[。！？!?]/;
  var CLOSERS = /[」』”’"'）)】〕》]/;
  function isEnd(text, i) {
    return ENDS.test(text[i]) || (text[i] === "." && (i + 1 === text.length || /\s/.test(text[i + 1])));
  }
  function endsBefore(text, index) { // whether a sentence ends just before `index`
    var i = index - 1;
    if (i < 0) { return true; }
    if (text[i] === "\n") { return true; }
    while (i >= 0 && CLOSERS.test(text[i])) { i--; }
    return i >= 0 && isEnd(text, i);
  }
  function sentenceFrom(text, index) { // the sentence `index` is in
    var start = index;
    while (start > 0 && !endsBefore(text, start)) { start--; }
    return sentenceAfter(text, start);
  }
  function sentenceAfter(text, start) { // the sentence that starts at `start` or after it
    while (start < text.length && /\s/.test(text[start])) { start++; }
    var end = start;
    while (end < text.length && text[end] !== "\n" && !isEnd(text, end)) { end++; }
    if (end < text.length && isEnd(text, end)) {
      end++;
      while (end < text.length && (ENDS.test(text[end]) || CLOSERS.test(text[end]))) { end++; }
    }
    while (end > start && /\s/.test(text[end - 1])) { end--; }
    return end > start ? [start, end] : null;
  }
  function select(start, end) {
    var from = pointAt(start);
    var to = pointAt(end);
    selection.setBaseAndExtent(from.node, from.offset, to.node, to.offset);
  }
  function pickSentence(more) {
    ensureCaret();
    var text = body.textContent;
    var anchor = textOffset(selection.anchorNode, selection.anchorOffset);
    var focus = textOffset(selection.focusNode, selection.focusOffset);
    if (more && anchor !== focus) { // one sentence more after the selection
      var first = Math.min(anchor, focus);
      var next = sentenceAfter(text, Math.max(anchor, focus));
      if (next) { select(first, next[1]); }
      return;
    }
    var sentence = sentenceFrom(text, focus);
    if (!sentence && focus > 0) { sentence = sentenceFrom(text, focus - 1); } // at the very end
    if (sentence) { select(sentence[0], sentence[1]); }
  }

  // Highlights: one stop for a run of pieces of the same highlight (a highlight that other
  // evidence overlaps is cut in pieces, each with its own tip).
  function highlights() {
    var marks = body.querySelectorAll("mark");
    var stops = [];
    for (var i = 0; i < marks.length; i++) {
      var previous = marks[i - 1];
      if (previous && previous.nextSibling === marks[i] &&
          previous.getAttribute("data-tip") === marks[i].getAttribute("data-tip")) { continue; }
      stops.push(marks[i]);
    }
    return stops;
  }
  function goTo(element, announce) {
    var first = textNodes(element)[0];
    if (!first) { return; }
    if (document.activeElement !== body) { body.focus({ preventScroll: true }); }
    selection.collapse(first, 0);
    tell();
    shownMark = null;
    draw();
    if (!caret.hidden) { caret.scrollIntoView({ block: "center" }); }
    if (announce) { say(announce); }
  }
  function jump(step) {
    ensureCaret();
    var stops = highlights();
    if (!stops.length) { hint(words("no-evidence")); return; }
    var here = document.createRange();
    here.setStart(selection.focusNode, selection.focusOffset);
    var order = step > 0 ? stops : stops.slice().reverse();
    for (var i = 0; i < order.length; i++) {
      var first = textNodes(order[i])[0];
      if (!first) { continue; }
      var where = here.comparePoint(first, 0);
      if (step > 0 ? where > 0 : where < 0 && !order[i].contains(selection.focusNode)) {
        var number = stops.indexOf(order[i]) + 1;
        goTo(order[i], words("evidence-at", { number: number, total: stops.length,
                                               tip: order[i].getAttribute("data-tip") || "" }));
        return;
      }
    }
    hint(words(step > 0 ? "no-evidence-after" : "no-evidence-before"));
  }

  // ---- keys --------------------------------------------------------------------------------

  body.addEventListener("keydown", function (event) {
    if (event.target !== body || event.isComposing || event.altKey || event.metaKey) { return; }
    var how = MOVES[event.key];
    if (how) {
      event.preventDefault();
      move(how, event.shiftKey, event.ctrlKey);
      tell();
      reveal();
      return;
    }
    if (event.ctrlKey) { return; } // copying and the browser's own shortcuts
    var picked = selectionInBody() && !selection.isCollapsed;
    switch (event.code === "Enter" || event.key === "Enter" ? "Enter" : event.code) {
      case "KeyS":
        event.preventDefault();
        pickSentence(event.shiftKey);
        tell();
        reveal();
        break;
      case "KeyN":
      case "KeyP":
        event.preventDefault();
        jump(event.code === "KeyN" ? 1 : -1);
        break;
      case "Enter":
      case "KeyE":
        event.preventDefault();
        tell();
        if (!picked || newButton.disabled) {
          hint(words("select-first"));
        } else if (event.code === "KeyE") {
          evidenceButton.click();
        } else {
          newButton.click();
        }
        break;
      case "Escape":
        if (picked) {
          event.preventDefault();
          selection.collapse(selection.focusNode, selection.focusOffset);
          tell();
          draw();
        }
        break;
    }
  });

  body.addEventListener("focus", function () {
    // Reached with the keyboard: a caret at the start, unless the selection is already in the
    // body. A mouse press sets its own selection (and must be left alone to make it).
    var keyboard = false; // unknown: the first key puts the caret at the start
    try { keyboard = body.matches(":focus-visible"); } catch (error) { /* an older browser */ }
    if (!selectionInBody() && keyboard) { toStart(); }
    draw();
  });
  body.addEventListener("blur", function () { caret.hidden = tip.hidden = true; shownMark = null; });
  document.addEventListener("selectionchange", draw);
  window.addEventListener("resize", draw);

  // A link to a highlight or a suggestion ("Evidence in this article", "Sentences to check")
  // brings the caret there.
  function target(hash) {
    if (!hash || hash.length < 2) { return null; }
    var element = document.getElementById(decodeURIComponent(hash.slice(1)));
    return element && body.contains(element) ? element : null;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href^='#']");
    var element = link && target(link.getAttribute("href"));
    if (element) { window.setTimeout(function () { goTo(element); }, 0); }
  });
  if (target(window.location.hash)) { goTo(target(window.location.hash)); }
})();
