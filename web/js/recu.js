// The recap of a recorded complaint travels in the URL fragment (#…), which browsers never send to a server
// (recours/receipts.py, receipt_download_message): the page decodes it, shows it, and the browser's own print
// dialog saves it as a PDF (« Enregistrer en PDF »). Text only: nothing from the fragment is read as HTML.
(function () {
  "use strict";
  function element(name, text) {
    var node = document.createElement(name);
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  var text = window.RecoursFragment.text();  // js/fragment.js
  if (text === null) { return; }
  var receipt;
  try { receipt = JSON.parse(text); } catch (e) { return; }
  if (!receipt || !Array.isArray(receipt.sections)) { return; }
  var title = "Votre réclamation " + (receipt.reference || "") + " auprès de " + (receipt.organisation || "");
  document.getElementById("title").textContent = title;
  document.title = title;
  var container = document.getElementById("receipt");
  container.textContent = "";
  receipt.sections.forEach(function (section) {
    container.appendChild(element("h2", String(section.title || "")));
    var lines = Array.isArray(section.lines) ? section.lines : [];
    if (section.bullets) {
      var list = element("ul");
      lines.forEach(function (line) { list.appendChild(element("li", String(line))); });
      container.appendChild(list);
    } else {
      lines.forEach(function (line) { container.appendChild(element("p", String(line))); });
    }
  });
  document.getElementById("save-pdf").addEventListener("click", function () { window.print(); });
}());
