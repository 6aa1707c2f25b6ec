// The referral letter travels in the URL fragment (#…), which browsers never send to a server:
// the page decodes it, shows it, and builds the download in the browser.
(function () {
  "use strict";
  function decode(fragment) {
    var base64 = fragment.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) { base64 += "="; }
    var bytes = Uint8Array.from(atob(base64), function (c) { return c.charCodeAt(0); });
    return new TextDecoder("utf-8").decode(bytes);
  }
  var fragment = window.location.hash.slice(1);
  if (!fragment) { return; }
  var text;
  try { text = decode(fragment); } catch (e) { return; }
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
