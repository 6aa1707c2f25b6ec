// The referral letter travels in the URL fragment (#…), which browsers never send to a server:
// the page decodes it, shows it, and builds the download in the browser.
(function () {
  "use strict";
  var text = window.RecoursFragment.text();  // js/fragment.js
  if (text === null) { return; }
  document.getElementById("letter").textContent = text;
  document.getElementById("download").addEventListener("click", function () {
    var blob = new Blob([text.replace(/\n/g, "\r\n")], { type: "text/plain;charset=utf-8" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "lettre-saisine-mediateur.txt";
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
  });
  document.getElementById("print").addEventListener("click", function () { window.print(); });
}());
