// The words the desk's scripts show. The CSP allows no inline script, so each page renders
// them, translated into the editor's language, as data-* attributes of an element the script
// reads (templates/review/queue.html, article.html, _claim_picker.html, digest_form.html):
// deskWords(element, "key", values, n) is the element's data-key sentence (data-key-one or
// data-key-other when `n` is given, for a count's two English forms) with each %(name)s
// filled in from `values`. Each page loads it (deferred) before the scripts that use it.
window.deskWords = function (element, key, values, n) {
  "use strict";
  if (n !== undefined) { key += n === 1 ? "-one" : "-other"; }
  var text = element.getAttribute("data-" + key) || "";
  return text.replace(/%\((\w+)\)s/g, function (all, name) {
    return values && name in values ? String(values[name]) : all;
  });
};
