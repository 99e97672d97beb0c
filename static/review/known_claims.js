// Marks, in the article reader, the sentences that repeat one of the desk's claims: every
// piece of the body (data-o = its offset in the original text) that overlaps such a sentence.
(function () {
  var body = document.getElementById("article-body");
  if (!body) return;
  var items = document.querySelectorAll("#known-claims li.known-claim");
  var pieces = body.querySelectorAll("[data-o]");
  items.forEach(function (item, n) {
    var start = parseInt(item.dataset.start, 10), end = parseInt(item.dataset.end, 10);
    pieces.forEach(function (piece) {
      var from = parseInt(piece.dataset.o, 10);
      var to = from + Array.from(piece.textContent).length;  // code points, like the offsets
      if (from < end && start < to) {
        piece.classList.add("known-claim-sentence");
        piece.title = (piece.title ? piece.title + "\n" : "") + item.querySelector(".meta").textContent;
        if (!piece.id) piece.id = "kc-" + n;
      }
    });
  });
})();
