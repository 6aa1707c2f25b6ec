"""The complaint desk (issue 14): the organisation's handlers see every complaint with its deadlines, record
what they did, export the register, and take over live conversations. ``python -m desk`` on ``DESK_PORT``.

Server-rendered French pages (Jinja2) with a small script of our own for the actions, and the JSON API of
../shared/CONTRACT.md (« Complaint desk »), on Sanic — Rasa's own web server, already installed. Each request's
work (database, argon2, calls to the Rasa server) runs in a thread through the sync functions of the modules
below, which tests call directly too.

| Module | What it holds |
|---|---|
| ``context.py`` | the desk's services (store, organisation, Rasa bridge, templates), a request and its reply |
| ``auth.py`` | sign-in and sign-out, the session cookie, CSRF and role checks |
| ``views.py`` | a complaint as the API and the pages show it (identifiers masked), a handoff |
| ``complaints_api.py`` | the list, a complaint, « Révéler », events, the register |
| ``handoffs_api.py`` | live conversations: queue, reading, taking, replying, handing back; availability |
| ``backoffice_api.py`` | events signed by the organisation's own system |
| ``users_api.py`` | accounts (supervisors only) |
| ``pages.py`` | the HTML pages |
| ``rasa_bridge.py`` | the Rasa server's HTTP API: a conversation's messages, the handoff relay |
| ``server.py`` | the Sanic application: routes, security headers, background jobs, ``RECOURS_DESK_ADMIN`` |
"""
