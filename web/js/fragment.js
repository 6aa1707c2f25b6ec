// What the assistant's links carry in their fragment (#…), which browsers never send to a server: base64url of
// UTF-8 text. Shared by the referral letter (lettre.js) and the complaint's recap (recu.js).
window.RecoursFragment = (function () {
  "use strict";
  function text() {
    var fragment = window.location.hash.slice(1);
    if (!fragment) { return null; }
    var base64 = fragment.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) { base64 += "="; }
    try {
      var bytes = Uint8Array.from(atob(base64), function (c) { return c.charCodeAt(0); });
      return new TextDecoder("utf-8").decode(bytes);
    } catch (e) {
      return null;
    }
  }
  return { text: text };
}());
