/* The conversation with Rasa's socket.io channel (addons/socketio.py, polling only), spoken as rasa-webchat spoke it:
 * "session_request" with the id this tab keeps, "session_confirm", "user_uttered" with customData (Rasa's metadata),
 * "bot_uttered". What is shown is kept in sessionStorage under "chat_session", so a reload in the same tab shows the
 * same conversation on the same tracker without replaying it; nothing goes to localStorage. No DOM here: the
 * widget (chat-widget.js) listens to "status", "reset" and "message". */
(function () {
  "use strict";

  var STORAGE_KEY = "chat_session";

  function emptyState() {
    return { session_id: null, messages: [] };
  }

  function loadState() {
    try {
      var state = JSON.parse(window.sessionStorage.getItem(STORAGE_KEY));
      if (state && typeof state.session_id === "string" && Array.isArray(state.messages)) return state;
    } catch (e) { /* unreadable: a new conversation */ }
    return emptyState();
  }

  // A bot_uttered payload as the widget shows it: text and its quick replies (payload buttons or links), from the
  // assistant or, in a live handoff, from a person at the organisation.
  function botMessage(data) {
    if (!data || typeof data !== "object") return null;
    var text = typeof data.text === "string" ? data.text : "";
    var replies = (data.quick_replies || data.buttons || []).map(function (reply) {
      if (!reply || typeof reply.title !== "string") return null;
      if (reply.type === "web_url" && typeof reply.url === "string") return { title: reply.title, url: reply.url };
      return typeof reply.payload === "string" ? { title: reply.title, payload: reply.payload } : null;
    }).filter(Boolean);
    if (!text && !replies.length) return null; // attachments and carousels: the assistant sends none
    // A handler's reply relayed from the complaint desk (addons/socketio.py marks it): a person wrote it.
    var person = !!data.metadata && data.metadata.recours_handoff === "handler";
    return { from: person ? "person" : "bot", text: text, replies: replies };
  }

  function ChatSession(options) {
    this.options = options;
    this.state = loadState();
    this.listeners = {};
    this.socket = null;
  }

  ChatSession.prototype.on = function (name, listener) {
    (this.listeners[name] = this.listeners[name] || []).push(listener);
    return this;
  };

  ChatSession.prototype.fire = function (name, value) {
    (this.listeners[name] || []).forEach(function (listener) { listener(value); });
  };

  ChatSession.prototype.messages = function () {
    return this.state.messages.slice();
  };

  ChatSession.prototype.save = function () {
    try {
      window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(this.state));
    } catch (e) { /* storage full or refused: the conversation still goes on */ }
  };

  ChatSession.prototype.connect = function () {
    var self = this;
    var socket = window.io(this.options.socketUrl, {
      path: this.options.socketPath,
      transports: ["polling"], // the channel refuses WebSocket upgrades (README, "Installation details")
      upgrade: false
    });
    this.socket = socket;
    socket.on("connect", function () {
      self.fire("status", "connecting");
      socket.emit("session_request", { session_id: self.state.session_id });
    });
    socket.on("session_confirm", function (confirmed) {
      var id = confirmed && typeof confirmed === "object" ? confirmed.session_id : confirmed;
      if (typeof id !== "string" || !id) return;
      if (id !== self.state.session_id) {
        self.state = { session_id: id, messages: [] };
        self.save();
        self.fire("reset");
      }
      self.fire("status", "ready");
      if (!self.state.messages.length && !self.state.greeted) {
        self.state.greeted = true;
        self.save();
        self.emit(self.options.initPayload);
      }
    });
    socket.on("bot_uttered", function (data) {
      var message = botMessage(data);
      if (!message) return;
      self.state.messages.push(message);
      self.save();
      self.fire("message", message);
    });
    socket.on("connect_error", function () { self.fire("status", "unavailable"); });
    socket.on("disconnect", function () { self.fire("status", "unavailable"); });
  };

  ChatSession.prototype.emit = function (text) {
    if (!this.socket || !text) return;
    this.socket.emit("user_uttered", {
      message: text,
      customData: this.options.customData,
      session_id: this.state.session_id
    });
  };

  // What the member typed, or the title of the quick reply they chose (its payload is what Rasa receives).
  ChatSession.prototype.send = function (shown, payload) {
    var message = { from: "member", text: shown };
    this.state.messages.push(message);
    this.save();
    this.fire("message", message);
    this.emit(payload || shown);
  };

  window.RecoursChatSession = ChatSession;
})();
