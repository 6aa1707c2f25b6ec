/* The member-area demo page: organisation's look from /config.js, and the rasa-webchat widget on Rasa's socket.io
 * channel. No inline script (the Content-Security-Policy allows scripts from this origin only). */
(function () {
  "use strict";

  var config = window.RECOURS_CONFIG || {};
  var colours = config.colours || {};
  var name = config.organisationName || "votre organisme";
  var body = document.body;
  var statusLine = document.getElementById("assistant-status");
  var openButton = document.getElementById("open-assistant");
  var mount = document.getElementById("recours-webchat");

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

  if (!window.WebChat || typeof window.WebChat.default !== "function") {
    setState("missing");
    openButton.disabled = true;
    return;
  }

  // rasa-webchat keeps itself hidden until Rasa's session_confirm; it is "ready" once its launcher shows.
  function widgetShown() {
    var wrapper = mount.firstElementChild;
    return !!(wrapper && wrapper.style.display !== "none" && mount.querySelector(".rw-widget-container"));
  }
  function refresh() {
    if (widgetShown() && body.getAttribute("data-assistant") !== "unavailable") setState("ready");
  }
  new MutationObserver(refresh).observe(mount, { subtree: true, childList: true, attributes: true, attributeFilter: ["style"] });

  openButton.addEventListener("click", function () {
    if (mount.querySelector(".rw-conversation-container")) {
      var input = mount.querySelector(".rw-new-message");
      if (input) input.focus();
      return;
    }
    var launcher = mount.querySelector(".rw-launcher");
    if (launcher && widgetShown()) {
      launcher.click();
    } else {
      statusLine.focus();
      setState(body.getAttribute("data-assistant") === "ready" ? "ready" : "unavailable");
    }
  });

  // --- The widget (rasa-webchat 1.0.1 props, see web/node_modules/rasa-webchat/README.md) ---------------------
  window.WebChat.default(
    {
      socketUrl: config.socketUrl,
      socketPath: config.socketPath || "/socket.io/",
      initPayload: "/greet",
      customData: { language: config.language || "fr" }, // sent with every message: Rasa's metadata
      params: { storage: "session" }, // the conversation lives in this tab only, never in localStorage
      title: "Assistant réclamations",
      subtitle: name + " · Recours",
      inputTextFieldHint: "Écrivez votre message…",
      connectingText: "Connexion à l'assistant…",
      showCloseButton: true,
      showFullScreenButton: true,
      hideWhenNotConnected: false,
      displayUnreadCount: true,
      customMessageDelay: function (message) {
        var delay = (message || "").length * 8;
        return Math.max(250, Math.min(delay, 1200));
      },
      onSocketEvent: {
        // Never session_confirm: overriding it would replace rasa-webchat's own handler (it stays hidden).
        connect: function () {
          if (body.getAttribute("data-assistant") === "unavailable") setState("connecting");
          refresh();
        },
        connect_error: function () { setState("unavailable"); },
        disconnect: function () { setState("unavailable"); }
      },
      onWidgetEvent: {
        onChatOpen: function () { openButton.setAttribute("aria-expanded", "true"); },
        onChatClose: function () { openButton.setAttribute("aria-expanded", "false"); },
        onChatHidden: function () {}
      }
    },
    mount
  );
})();
