"""The organisation's side of a complaint (rules.md §11): what handlers record and what it changes for the member.

No Rasa import and no web framework: the complaint desk (desk/) and the action server call these modules.

| Module | What it holds |
|---|---|
| ``lifecycle.py`` | statuses, events (acknowledged, answered, closed), the transitions allowed, French labels |
| ``deadlines_due.py`` | the next deadline of a complaint, overdue or due soon, for the desk's list |
| ``register.py`` | the register exported for internal and ACPR reporting (no identifier, no free text) |
| ``accounts.py`` | handlers' passwords (argon2id), sessions, CSRF tokens and the lock-out after failed sign-ins |
| ``signed_events.py`` | the back-office's signed events (HMAC-SHA256, time window, idempotent event id) |
| ``event_delivery.py`` | forwarding desk events to the back-office, exactly once |
| ``notices.py`` | the e-mail owed to a member when the answer deadline passes without an answer |
"""
