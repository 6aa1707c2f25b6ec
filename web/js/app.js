/* The member-area demo page: organisation's look from /config.js, and the chat widget (chat-widget.js) on Rasa's
 * socket.io channel. No inline script (the Content-Security-Policy allows scripts from this origin only). */
(function () {
  "use strict";

  var config = window.RECOURS_CONFIG || {};
  var colours = config.colours || {};
  var name = config.organisationName || "votre organisme";
  var body = document.body;
  var statusLine = document.getElementById("assistant-status");
  var openButton = document.getElementById("open-assistant");
  var mount = document.getElementById("recours-chat");

  // --- The organisation's look -------------------------------------------------------------------------------
  var style = document.documentElement.style;
  if (colours.primary) style.setProperty("--primary", colours.primary);
  if (colours.accent) style.setProperty("--accent", colours.accent);
  if (colours.text_on_primary) style.setProperty("--on-primary", colours.text_on_primary);
  document.title = "Espace adhérent — " + name;
  Array.prototype.forEach.call(document.querySelectorAll("[data-org-name]"), function (node) {
    node.textContent = name;
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-org-initials]"), function (node) {
    var words = name.replace(/[^A-Za-zÀ-ÿ ]/g, " ").split(/\s+/).filter(Boolean);
    var initials = words.length === 1 && words[0].length <= 4 ? words[0]
      : words.map(function (word) { return word[0]; }).join("").slice(0, 3);
    node.textContent = initials.toUpperCase();
  });

  // --- Assistant state, shown on the page (and read by the browser test) ------------------------------------
  var MESSAGES = {
    connecting: "Connexion à l'assistant…",
    ready: "L'assistant est disponible.",
    unavailable: "L'assistant est momentanément indisponible. Réessayez dans quelques instants.",
    missing: "L'assistant n'a pas pu être chargé sur cette page."
  };
  function setState(state) {
    if (body.getAttribute("data-assistant") === state) return;
    body.setAttribute("data-assistant", state);
    statusLine.textContent = MESSAGES[state];
    statusLine.className = "assistant-status assistant-status--" + state;
  }

  if (!window.io || !window.markdownit || !window.RecoursChat) {
    setState("missing");
    openButton.disabled = true;
    return;
  }

  var widget = window.RecoursChat.mount(mount, {
    socketUrl: config.socketUrl,
    socketPath: config.socketPath || "/socket.io/",
    initPayload: "/greet",
    customData: { language: config.language || "fr" }, // sent with every message: Rasa's metadata
    title: "Assistant réclamations",
    subtitle: name + " · Recours",
    placeholder: "Écrivez votre message…",
    launcherLabel: "Ouvrir la discussion avec l'assistant",
    personLabel: config.organisationName ? "Conseiller " + config.organisationName : "Un conseiller", // live handoff
    messageDelay: function (text) {
      var delay = (text || "").length * 8;
      return Math.max(250, Math.min(delay, 1200));
    },
    onStatus: function (state) {
      if (state !== "connecting" || body.getAttribute("data-assistant") === "unavailable") setState(state);
    },
    onOpen: function () { openButton.setAttribute("aria-expanded", "true"); },
    onClose: function () { openButton.setAttribute("aria-expanded", "false"); }
  });

  openButton.setAttribute("aria-controls", "chat-window");
  openButton.setAttribute("aria-expanded", "false");
  openButton.addEventListener("click", function () {
    if (widget.isOpen()) {
      widget.input.focus();
    } else if (body.getAttribute("data-assistant") === "ready") {
      widget.open();
    } else {
      statusLine.focus();
      setState("unavailable");
    }
  });
})();
