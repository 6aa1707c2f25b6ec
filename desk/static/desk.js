// The complaint desk's actions, through its JSON API (../shared/CONTRACT.md, « Complaint desk »). Every
// state-changing request carries the session's CSRF token (the page's <meta name="csrf-token">). No framework,
// nothing loaded from elsewhere: the Content-Security-Policy allows this origin only.
"use strict";

(function () {
  const csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  const page = document.body.dataset.page;

  async function api(method, path, body, background) {
    const headers = { "Accept": "application/json" };
    if (method !== "GET") headers["X-CSRF-Token"] = csrf;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (background) headers["X-Desk-Background"] = "1";
    const response = await fetch(path, {
      method, headers, credentials: "same-origin", body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 401 && page !== "login") {
      window.location.assign("/login");
      throw new Error("signed out");
    }
    let data = {};
    try { data = await response.json(); } catch (e) { data = {}; }
    return { status: response.status, ok: response.ok, data };
  }

  function flash(text) {
    const box = document.getElementById("flash");
    if (!box) return;
    box.textContent = text;
    box.hidden = !text;
  }

  function showError(id, text) {
    const box = document.getElementById(id);
    if (!box) return;
    box.textContent = text || "";
    box.hidden = !text;
  }

  // A form sent through the API: ``send()`` posts it; then ``done()`` (the next page, or this one reloaded), or
  // the API's message in the form's error box.
  function submitForm(form, errorId, fallback, send, done = () => window.location.reload()) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const result = await send();
      if (result.ok) {
        done();
        return;
      }
      showError(errorId, result.data.message || fallback);
    });
  }

  function formatTime(iso) {
    if (!iso) return "";
    return new Date(iso).toLocaleString("fr-FR", { dateStyle: "short", timeStyle: "short", timeZone: "Europe/Paris" });
  }

  // -- every signed-in page ---------------------------------------------------------------------------------
  const logout = document.getElementById("logout");
  if (logout) {
    logout.addEventListener("click", async () => {
      await api("POST", "/api/logout", {});
      window.location.assign("/login");
    });
  }
  const availability = document.getElementById("availability");
  if (availability) {
    availability.addEventListener("change", async () => {
      const result = await api("POST", "/api/availability", { available: availability.checked });
      flash(result.ok ? (availability.checked ? "Vous recevez les demandes de conversation." :
        "Vous ne recevez plus les demandes de conversation.") : "Impossible de changer votre disponibilité.");
    });
  }
  const queueCount = document.getElementById("queue-count");
  async function refreshQueue() {
    const result = await api("GET", "/api/handoffs", undefined, true);
    if (!result.ok) return [];
    const waiting = result.data.handoffs.filter((h) => h.status === "waiting").length;
    if (queueCount) {
      queueCount.textContent = waiting ? String(waiting) : "";
      queueCount.hidden = !waiting;
    }
    return result.data.handoffs;
  }
  if (queueCount) {
    refreshQueue();
    window.setInterval(refreshQueue, 4000);
  }

  // -- sign-in ----------------------------------------------------------------------------------------------
  const loginForm = document.getElementById("login-form");
  if (loginForm) {
    submitForm(loginForm, "login-error", "Connexion impossible.", () => api("POST", "/api/login", {
      login: document.getElementById("login").value, password: document.getElementById("password").value,
    }), () => window.location.assign("/"));
  }

  // -- a complaint --------------------------------------------------------------------------------------------
  const complaint = document.getElementById("complaint");
  const reference = complaint ? complaint.dataset.reference : null;
  const reveal = document.getElementById("reveal");
  if (reveal && reference) {
    reveal.addEventListener("click", async () => {
      const result = await api("POST", `/api/complaints/${encodeURIComponent(reference)}/reveal`, {});
      if (!result.ok) {
        flash(result.data.message || "Affichage impossible.");
        return;
      }
      for (const [key, value] of Object.entries(result.data.shown || result.data.identifiers)) {
        const cell = document.querySelector(`[data-identifier="${key}"]`);
        if (cell && value) cell.textContent = value;
      }
      reveal.disabled = true;
      flash("Identifiants affichés en clair (enregistré dans le journal d'audit).");
    });
  }
  const eventForm = document.getElementById("event-form");
  if (eventForm && reference) {
    const status = document.getElementById("event-status");
    const outcomeField = document.getElementById("outcome-field");
    const syncOutcome = () => { outcomeField.hidden = status.value !== "answered"; };
    status.addEventListener("change", syncOutcome);
    syncOutcome();
    submitForm(eventForm, "event-error", "Enregistrement impossible.", () => {
      const body = { status: status.value, on: document.getElementById("event-on").value };
      if (status.value === "answered") body.outcome = document.getElementById("event-outcome").value;
      const note = document.getElementById("event-note").value.trim();
      if (note) body.note = note;
      return api("POST", `/api/complaints/${encodeURIComponent(reference)}/events`, body);
    });
  }

  // -- accounts -------------------------------------------------------------------------------------------------
  const userForm = document.getElementById("user-form");
  if (userForm) {
    submitForm(userForm, "user-error", "Enregistrement impossible.", () => api("POST", "/api/users", {
      login: document.getElementById("u-login").value, password: document.getElementById("u-password").value,
      role: document.getElementById("u-role").value,
    }));
  }

  // -- the queue of live conversations ----------------------------------------------------------------------
  const rows = document.getElementById("handoff-rows");
  if (rows) {
    const labels = { waiting: "en attente", active: "en cours" };
    const draw = (handoffs) => {
      rows.replaceChildren();
      if (!handoffs.length) {
        const row = rows.insertRow();
        const cell = row.insertCell();
        cell.colSpan = 5;
        cell.textContent = "Aucune conversation en attente.";
        return;
      }
      for (const h of handoffs) {
        const row = rows.insertRow();
        row.dataset.handoff = h.id;
        row.insertCell().textContent = formatTime(h.requested_at);
        row.insertCell().textContent = h.channel_label;
        row.insertCell().textContent = h.complaint_reference || "—";
        row.insertCell().textContent = labels[h.status] + (h.taken_by ? ` (${h.taken_by})` : "");
        const link = document.createElement("a");
        link.href = `/conversations/${encodeURIComponent(h.id)}`;
        link.textContent = h.status === "waiting" ? "Ouvrir" : "Voir";
        row.insertCell().appendChild(link);
      }
    };
    const refresh = async () => draw(await refreshQueue());
    refresh();
    window.setInterval(refresh, 3000);
  }

  // -- one live conversation ------------------------------------------------------------------------------------
  const handoff = document.getElementById("handoff");
  if (handoff) {
    const id = encodeURIComponent(handoff.dataset.handoff);
    const chat = document.getElementById("chat");
    const take = document.getElementById("take");
    const release = document.getElementById("release");
    const replyForm = document.getElementById("reply-form");
    const statusLabel = document.getElementById("handoff-status");
    const authors = { member: "Membre", assistant: "Assistant", handler: "Vous (conseiller)", notice: "Information" };
    let shown = -1;
    const draw = (data) => {
      const h = data.handoff;
      statusLabel.textContent = { waiting: "En attente", active: "En cours", closed: "Terminée", expired: "Expirée" }[h.status];
      take.hidden = h.status !== "waiting";
      release.hidden = !(h.status === "active" && data.mine);
      replyForm.hidden = !(h.status === "active" && data.mine);
      const ended = document.getElementById("handoff-ended");
      ended.hidden = !data.ended;
      document.getElementById("handoff-ended-text").textContent = data.ended || "";
      chat.hidden = document.getElementById("chat-hint").hidden = Boolean(data.ended);
      if (data.messages_error) flash(data.messages_error);
      if (data.messages.length === shown) return;
      shown = data.messages.length;
      chat.replaceChildren();
      for (const m of data.messages) {
        const item = document.createElement("li");
        item.className = `message ${m.author}`;
        const who = document.createElement("span");
        who.className = "author";
        who.textContent = `${authors[m.author]} · ${formatTime(m.at)}`;
        const text = document.createElement("p");
        text.textContent = m.text;
        item.append(who, text);
        chat.appendChild(item);
      }
      chat.lastElementChild && chat.lastElementChild.scrollIntoView({ block: "end" });
    };
    const refresh = async () => {
      const result = await api("GET", `/api/handoffs/${id}`, undefined, true);
      if (result.ok) draw(result.data);
    };
    take.addEventListener("click", async () => {
      const result = await api("POST", `/api/handoffs/${id}/take`, {});
      flash(result.ok ? "Vous avez pris la conversation : le membre en est informé." : result.data.message);
      refresh();
    });
    release.addEventListener("click", async () => {
      const result = await api("POST", `/api/handoffs/${id}/release`, {});
      flash(result.ok ? "Conversation rendue à l'assistant : le membre en est informé." : result.data.message);
      refresh();
    });
    replyForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const box = document.getElementById("reply");
      const text = box.value.trim();
      if (!text) return;
      const result = await api("POST", `/api/handoffs/${id}/messages`, { text });
      if (result.ok) {
        box.value = "";
        refresh();
      } else {
        flash(result.data.message || "Envoi impossible.");
      }
    });
    refresh();
    window.setInterval(refresh, 2000);
  }
})();
