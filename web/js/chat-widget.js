/* The chat widget of the demo page, written for keyboard and screen-reader users (RGAA / WCAG 2.1 AA; why it
 * replaces rasa-webchat: docs/widget.md). Native buttons and a labelled text box; focus to the box on opening and
 * back to the launcher on closing; Escape closes; each new answer of the assistant is read by a polite live region;
 * the message list is a named, focusable region. Bot texts are Markdown (the socket.io channel escapes what must
 * stay literal), rendered by markdown-it with HTML off. The conversation itself is chat-session.js. */
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var ICONS = {
    chat: "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z",
    close: "M6 6l12 12M18 6L6 18",
    send: "M3 20l18-8L3 4l2 8-2 8zm2-8h9"
  };
  var ANNOUNCED_KEPT = 3;

  function element(tag, className, attributes) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    return node;
  }

  function icon(name) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(SVG, "path");
    path.setAttribute("d", ICONS[name]);
    svg.appendChild(path);
    return svg;
  }

  function hiddenText(text) {
    var span = element("span", "visually-hidden");
    span.textContent = text;
    return span;
  }

  function markdownRenderer() {
    var md = window.markdownit({ html: false, linkify: true, breaks: true });
    md.linkify.set({ fuzzyLink: false }); // links typed with http(s):// or www. only: "ameli.fr" stays text
    var render = md.renderer.rules.link_open || function (tokens, index, options, env, self) {
      return self.renderToken(tokens, index, options);
    };
    md.renderer.rules.link_open = function (tokens, index, options, env, self) {
      tokens[index].attrSet("target", "_blank");
      tokens[index].attrSet("rel", "noopener noreferrer");
      return render(tokens, index, options, env, self);
    };
    return md;
  }

  function ChatWidget(mount, session, options) {
    this.mount = mount;
    this.session = session;
    this.options = options;
    this.md = markdownRenderer();
    this.queue = [];
    this.timer = null;
    this.unread = 0;
    this.build();
    this.session.messages().forEach(function (message) { this.render(message, false); }, this);
    this.showReplies();
    session.on("message", this.receive.bind(this));
    session.on("reset", this.clear.bind(this));
    session.on("status", this.status.bind(this));
  }

  ChatWidget.prototype.build = function () {
    var o = this.options;
    this.live = element("div", "visually-hidden", { "aria-live": "polite", "data-chat-announcer": "" });

    this.launcher = element("button", "chat-launcher", { type: "button", "aria-label": o.launcherLabel,
                                                         "aria-describedby": "chat-unread" });
    this.launcher.hidden = true; // until Rasa confirms the session
    this.badge = element("span", "chat-badge", { "aria-hidden": "true" });
    this.badge.hidden = true;
    this.unreadText = element("span", "visually-hidden", { id: "chat-unread" });
    this.launcher.append(icon("chat"), this.badge, this.unreadText);

    this.window = element("section", "chat-window", { id: "chat-window", role: "dialog",
                                                      "aria-labelledby": "chat-title", "aria-describedby": "chat-subtitle" });
    this.window.hidden = true;
    var header = element("header", "chat-header");
    var titles = element("div", "chat-titles");
    var title = element("h2", "chat-title", { id: "chat-title" });
    title.textContent = o.title;
    var subtitle = element("p", "chat-subtitle", { id: "chat-subtitle" });
    subtitle.textContent = o.subtitle;
    titles.append(title, subtitle);
    this.closeButton = element("button", "chat-close", { type: "button", "aria-label": "Fermer la discussion" });
    this.closeButton.appendChild(icon("close"));
    header.append(titles, this.closeButton);

    this.log = element("div", "chat-log", { role: "region", "aria-label": "Messages de la discussion", tabindex: "0" });
    this.connection = element("p", "chat-connection", { role: "status" });

    this.form = element("form", "chat-form");
    var label = element("label", "visually-hidden", { "for": "chat-input" });
    label.textContent = "Votre message à l'assistant";
    this.input = element("textarea", "chat-input", { id: "chat-input", rows: "1", placeholder: o.placeholder,
                                                     autocomplete: "off", enterkeyhint: "send" });
    var send = element("button", "chat-send", { type: "submit", "aria-label": "Envoyer le message" });
    send.appendChild(icon("send"));
    this.form.append(label, this.input, send);

    this.window.append(header, this.log, this.connection, this.form);
    this.mount.append(this.live, this.launcher, this.window);

    var self = this;
    this.launcher.addEventListener("click", function () { self.open(); });
    this.closeButton.addEventListener("click", function () { self.close(); });
    this.window.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        self.close();
      }
    });
    this.input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        self.submit();
      }
    });
    this.input.addEventListener("input", function () { self.fitInput(); });
    // A zoom, a rotation or a smaller window keeps the last message in view if it was.
    this.atEnd = true;
    this.log.addEventListener("scroll", function () {
      self.atEnd = self.log.scrollHeight - self.log.scrollTop - self.log.clientHeight < 8;
    });
    if (window.ResizeObserver) {
      new window.ResizeObserver(function () { if (self.atEnd) self.scrollToEnd(); }).observe(this.log);
    }
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.submit();
    });
  };

  ChatWidget.prototype.isOpen = function () {
    return !this.window.hidden;
  };

  ChatWidget.prototype.open = function () {
    if (this.launcher.hidden && !this.isOpen()) return; // not connected yet: nothing to type in
    this.window.hidden = false;
    this.launcher.hidden = true;
    this.setUnread(0);
    this.scrollToEnd();
    this.input.focus();
    if (this.options.onOpen) this.options.onOpen();
  };

  ChatWidget.prototype.close = function () {
    if (!this.isOpen()) return;
    this.window.hidden = true;
    this.launcher.hidden = false;
    this.launcher.focus();
    if (this.options.onClose) this.options.onClose();
  };

  ChatWidget.prototype.status = function (state) {
    if (state === "ready") this.launcher.hidden = this.isOpen();
    this.connection.textContent = state === "unavailable"
      ? "La connexion à l'assistant est interrompue ; nouvelle tentative en cours…" : "";
    if (this.options.onStatus) this.options.onStatus(state);
  };

  ChatWidget.prototype.submit = function () {
    var text = this.input.value.trim();
    if (!text) return;
    this.input.value = "";
    this.fitInput();
    this.session.send(text);
  };

  ChatWidget.prototype.fitInput = function () {
    this.input.style.height = "auto";
    this.input.style.height = Math.min(this.input.scrollHeight, 160) + "px";
  };

  // --- Messages: the member's at once; the assistant's one by one, after a typing delay, as rasa-webchat did ---
  ChatWidget.prototype.receive = function (message) {
    if (message.from === "member") {
      this.flush();
      this.render(message, false);
      this.showReplies();
      return;
    }
    this.queue.push(message);
    this.showTyping(true);
    if (!this.timer) this.next();
  };

  ChatWidget.prototype.next = function () {
    var self = this;
    if (!this.queue.length) {
      this.timer = null;
      this.showTyping(false);
      this.showReplies();
      return;
    }
    this.timer = window.setTimeout(function () {
      self.render(self.queue.shift(), true);
      self.next();
    }, this.options.messageDelay(this.queue[0].text));
  };

  ChatWidget.prototype.flush = function () {
    window.clearTimeout(this.timer);
    this.timer = null;
    while (this.queue.length) this.render(this.queue.shift(), true);
    this.showTyping(false);
  };

  // A person's message (a handler of the organisation, in a live handoff) has its author written above the bubble,
  // in words for everyone: the assistant's and the member's are told apart by place and colour, and a hidden label.
  ChatWidget.prototype.render = function (message, live) {
    var person = message.from === "person";
    var incoming = person || message.from === "bot";
    var node = element("div", "chat-message chat-message--" + message.from);
    var bubble = element("div", "chat-bubble");
    if (incoming) {
      bubble.innerHTML = this.md.render(message.text); // markdown-it with html: false escapes any markup
    } else {
      bubble.textContent = message.text;
    }
    if (person) {
      var author = element("p", "chat-author");
      author.append(document.createTextNode(this.personLabel()), hiddenText(" : "));
      node.append(author, bubble);
    } else {
      node.append(hiddenText(incoming ? "L'assistant : " : "Vous : "), bubble);
    }
    node.chatMessage = message;
    this.log.insertBefore(node, this.log.querySelector(".chat-replies, .chat-typing"));
    if (live && incoming) {
      if (this.isOpen()) this.announce(bubble.textContent, message.replies, person ? this.personLabel() : null);
      else this.setUnread(this.unread + 1);
    }
    this.scrollToEnd();
  };

  // Quick replies belong to the last message only, as in rasa-webchat: answering (or typing) makes them go.
  ChatWidget.prototype.showReplies = function () {
    var old = this.log.querySelector(".chat-replies");
    if (old) old.remove();
    var messages = this.log.querySelectorAll(".chat-message");
    var last = messages.length ? messages[messages.length - 1].chatMessage : null;
    if (this.queue.length || !last || last.from !== "bot" || !last.replies.length) return;
    var group = element("div", "chat-replies", { role: "group", "aria-label": "Réponses proposées" });
    var self = this;
    last.replies.forEach(function (reply) {
      var control;
      if (reply.url) {
        control = element("a", "chat-reply chat-reply--link", { href: reply.url, target: "_blank",
                                                                rel: "noopener noreferrer" });
        control.append(document.createTextNode(reply.title), hiddenText(" (nouvelle fenêtre)"));
      } else {
        control = element("button", "chat-reply", { type: "button" });
        control.textContent = reply.title;
        control.addEventListener("click", function () {
          self.flush();
          self.session.send(reply.title, reply.payload);
          self.input.focus(); // the buttons are gone: the focus goes where the member answers
        });
      }
      group.appendChild(control);
    });
    this.log.insertBefore(group, this.log.querySelector(".chat-typing"));
    this.scrollToEnd();
  };

  ChatWidget.prototype.showTyping = function (shown) {
    var typing = this.log.querySelector(".chat-typing");
    if (shown && !typing) {
      typing = element("div", "chat-typing", { "aria-hidden": "true" });
      typing.append(element("span"), element("span"), element("span"));
      this.log.appendChild(typing);
      this.scrollToEnd();
    } else if (!shown && typing) {
      typing.remove();
    }
  };

  ChatWidget.prototype.personLabel = function () {
    return this.options.personLabel || "Un conseiller";
  };

  ChatWidget.prototype.announce = function (text, replies, author) {
    var line = element("p");
    var choices = (replies || []).map(function (reply) { return reply.title; });
    line.textContent = (author || "L'assistant") + " : " + text.trim() + (choices.length ? " Réponses proposées : " + choices.join(" ; ") + "." : "");
    this.live.appendChild(line);
    while (this.live.childNodes.length > ANNOUNCED_KEPT) this.live.removeChild(this.live.firstChild);
  };

  ChatWidget.prototype.setUnread = function (count) {
    this.unread = count;
    this.badge.hidden = !count;
    this.badge.textContent = count ? String(count) : "";
    this.unreadText.textContent = count ? (count === 1 ? "1 nouveau message" : count + " nouveaux messages") : "";
  };

  ChatWidget.prototype.clear = function () {
    this.flush();
    this.log.textContent = "";
  };

  ChatWidget.prototype.scrollToEnd = function () {
    this.log.scrollTop = this.log.scrollHeight;
  };

  window.RecoursChat = {
    // options: socketUrl, socketPath, initPayload, customData, title, subtitle, placeholder, launcherLabel,
    // personLabel (the author shown on a handler's messages), messageDelay(text) in ms, onStatus(state), onOpen(),
    // onClose()
    mount: function (mount, options) {
      var session = new window.RecoursChatSession(options);
      var widget = new ChatWidget(mount, session, options);
      session.connect();
      return widget;
    },
    markdownRenderer: markdownRenderer // for tests/test_web_page.py
  };
})();
