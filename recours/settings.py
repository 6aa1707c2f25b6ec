"""Every setting Recours reads from the environment, in one place.

The names and defaults are part of the observable contract (shared/CONTRACT.md); nothing else in the
code base reads ``os.environ`` directly, so a reader finds here what an operator can change.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable
from zoneinfo import ZoneInfo

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DATA = Path(__file__).resolve().parent / "data"
PARIS = ZoneInfo("Europe/Paris")
# Meta's Graph API; the version is part of the path. Tests point WHATSAPP_GRAPH_URL at a local server.
DEFAULT_WHATSAPP_GRAPH_URL = "https://graph.facebook.com/v21.0"
DEFAULT_CONVERSATION_RETENTION_DAYS = 30
DEFAULT_BACKOFFICE_RETRY_BASE_SECONDS = 30.0
DEFAULT_BACKOFFICE_READ_TIMEOUT_SECONDS = 15.0
# How long the Rasa server waits for one call to the action server before telling the member it failed
# (Rasa's own default is 5 minutes of silence).
DEFAULT_ACTION_TIMEOUT_SECONDS = 15.0
DEFAULT_RASA_PORT = 5005
DEFAULT_DESK_PORT = 8090
# A desk session nobody used for this long ends (the handler signs in again).
DEFAULT_DESK_SESSION_IDLE_MINUTES = 30
# Sender of the e-mail receipts when MAIL_FROM is not set (an operator sets the organisation's own address).
DEFAULT_MAIL_FROM = "Recours <noreply@localhost>"
DEFAULT_SMTP_TIMEOUT_SECONDS = 15.0


@dataclass(frozen=True)
class Settings:
    organisation: str
    var_dir: Path
    database_url: str
    tracker_store_url: str
    redis_url: str | None
    backoffice_url: str | None
    today_override: date | None
    encryption_key_file: Path
    encryption_key: str | None = field(default=None, repr=False)
    # WhatsApp Cloud API. Unset secrets disable the channel (it answers 503) so `make run` works without them;
    # repr=False keeps tokens out of any printed or logged Settings.
    whatsapp_verify_token: str | None = field(default=None, repr=False)
    whatsapp_app_secret: str | None = field(default=None, repr=False)
    whatsapp_access_token: str | None = field(default=None, repr=False)
    whatsapp_phone_number_id: str | None = None
    whatsapp_graph_url: str = DEFAULT_WHATSAPP_GRAPH_URL
    # Days a conversation (tracker events, identifiers typed but not recorded) is kept before `python -m ops purge`
    # deletes it. Recorded complaints are not concerned: their retention is the organisation's (legal).
    conversation_retention_days: int = DEFAULT_CONVERSATION_RETENTION_DAYS
    # Back-office forwarding (recours/backoffice.py, recours/outbox.py): optional bearer token, first retry delay
    # (doubled at each failure, capped at an hour) and the read timeout of one delivery.
    backoffice_token: str | None = field(default=None, repr=False)
    backoffice_retry_base_seconds: float = DEFAULT_BACKOFFICE_RETRY_BASE_SECONDS
    backoffice_read_timeout_seconds: float = DEFAULT_BACKOFFICE_READ_TIMEOUT_SECONDS
    action_timeout_seconds: float = DEFAULT_ACTION_TIMEOUT_SECONDS
    # The complaint desk (desk/): its port, the demo/test supervisor account ("login:password"), the HMAC key of
    # the signed back-office events (unset: that endpoint answers 503), the sessions' idle expiry, and how it
    # reaches the Rasa server's HTTP API for live handoffs (RECOURS_HOST, RASA_PORT, RASA_AUTH_TOKEN; DESK_RASA_URL
    # when the Rasa server is on another host, as in deploy/).
    host: str = "127.0.0.1"
    rasa_port: int = DEFAULT_RASA_PORT
    desk_rasa_url: str | None = None
    rasa_auth_token: str | None = field(default=None, repr=False)
    desk_port: int = DEFAULT_DESK_PORT
    desk_admin: str | None = field(default=None, repr=False)
    backoffice_events_secret: str | None = field(default=None, repr=False)
    desk_session_idle_minutes: int = DEFAULT_DESK_SESSION_IDLE_MINUTES
    # E-mail receipts and the desk's notices (recours/mailer.py, recours/outbox.py): ``smtp://``,
    # ``smtp+starttls://`` or ``smtps://``, credentials in the URL (hence repr=False); unset, no e-mail is sent.
    smtp_url: str | None = field(default=None, repr=False)
    mail_from: str = DEFAULT_MAIL_FROM
    smtp_timeout_seconds: float = DEFAULT_SMTP_TIMEOUT_SECONDS

    @property
    def rasa_url(self) -> str:
        """The Rasa server's HTTP API as the desk reaches it."""
        if self.desk_rasa_url:
            return self.desk_rasa_url.rstrip("/")
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host
        return f"http://{host}:{self.rasa_port}"

    @property
    def sqlite_default(self) -> bool:
        return self.database_url.startswith("sqlite")


def _var_dir() -> Path:
    return Path(os.environ.get("RECOURS_VAR_DIR", PROJECT_ROOT / "var")).resolve()


def _parse_today(raw: str | None) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError as exc:  # a wrong demo date must fail loudly, not silently use today
        raise ValueError(f"RECOURS_TODAY must be an ISO date (YYYY-MM-DD), got {raw!r}") from exc


def _parse_number(raw: str | None, name: str, default: Any, kind: Callable[[str], Any],
                  valid: Callable[[Any], bool], expected: str) -> Any:
    """``raw`` read as ``kind`` (``default`` when unset or blank); a value that is not ``valid`` fails loudly."""
    if raw is None or not raw.strip():
        return default
    try:
        value = kind(raw.strip())
    except ValueError:
        value = None
    if value is None or not valid(value):
        raise ValueError(f"{name} must be {expected}, got {raw!r}")
    return value


def _parse_days(raw: str | None, name: str, default: int, unit: str = "days") -> int:
    # a typo must not purge everything (0 is allowed: "keep nothing")
    return _parse_number(raw, name, default, int, lambda days: days >= 0, f"a whole number of {unit} (0 or more)")


def _parse_port(raw: str | None, name: str, default: int) -> int:
    return _parse_number(raw, name, default, int, lambda port: 0 < port < 65536, "a TCP port (1-65535)")


def _parse_seconds(raw: str | None, name: str, default: float) -> float:
    return _parse_number(raw, name, default, float, lambda seconds: 0 < seconds < 86400,
                         "a number of seconds (more than 0, less than a day)")


def load_settings() -> Settings:
    var_dir = _var_dir()
    return Settings(
        organisation=os.environ.get("RECOURS_ORGANISATION", "cpms").strip() or "cpms",
        var_dir=var_dir,
        database_url=os.environ.get("DATABASE_URL") or f"sqlite:///{var_dir / 'recours.db'}",
        tracker_store_url=os.environ.get("TRACKER_STORE_URL") or f"sqlite:///{var_dir / 'tracker.db'}",
        redis_url=os.environ.get("REDIS_URL") or None,
        backoffice_url=os.environ.get("BACKOFFICE_URL") or None,
        today_override=_parse_today(os.environ.get("RECOURS_TODAY")),
        encryption_key=os.environ.get("RECOURS_ENCRYPTION_KEY") or None,
        encryption_key_file=Path(
            os.environ.get("RECOURS_ENCRYPTION_KEY_FILE", var_dir / "secrets" / "field.key")
        ),
        whatsapp_verify_token=os.environ.get("WHATSAPP_VERIFY_TOKEN") or None,
        whatsapp_app_secret=os.environ.get("WHATSAPP_APP_SECRET") or None,
        whatsapp_access_token=os.environ.get("WHATSAPP_ACCESS_TOKEN") or None,
        whatsapp_phone_number_id=(os.environ.get("WHATSAPP_PHONE_NUMBER_ID") or "").strip() or None,
        whatsapp_graph_url=(os.environ.get("WHATSAPP_GRAPH_URL") or DEFAULT_WHATSAPP_GRAPH_URL).strip().rstrip("/"),
        conversation_retention_days=_parse_days(
            os.environ.get("RECOURS_CONVERSATION_RETENTION_DAYS"),
            "RECOURS_CONVERSATION_RETENTION_DAYS",
            DEFAULT_CONVERSATION_RETENTION_DAYS,
        ),
        backoffice_token=os.environ.get("BACKOFFICE_TOKEN") or None,
        backoffice_retry_base_seconds=_parse_seconds(
            os.environ.get("BACKOFFICE_RETRY_BASE_SECONDS"), "BACKOFFICE_RETRY_BASE_SECONDS",
            DEFAULT_BACKOFFICE_RETRY_BASE_SECONDS,
        ),
        backoffice_read_timeout_seconds=_parse_seconds(
            os.environ.get("BACKOFFICE_READ_TIMEOUT_SECONDS"), "BACKOFFICE_READ_TIMEOUT_SECONDS",
            DEFAULT_BACKOFFICE_READ_TIMEOUT_SECONDS,
        ),
        action_timeout_seconds=_parse_seconds(
            os.environ.get("RECOURS_ACTION_TIMEOUT_SECONDS"), "RECOURS_ACTION_TIMEOUT_SECONDS",
            DEFAULT_ACTION_TIMEOUT_SECONDS,
        ),
        host=(os.environ.get("RECOURS_HOST") or "127.0.0.1").strip(),
        rasa_port=_parse_port(os.environ.get("RASA_PORT"), "RASA_PORT", DEFAULT_RASA_PORT),
        desk_rasa_url=(os.environ.get("DESK_RASA_URL") or "").strip() or None,
        rasa_auth_token=os.environ.get("RASA_AUTH_TOKEN") or None,
        desk_port=_parse_port(os.environ.get("DESK_PORT"), "DESK_PORT", DEFAULT_DESK_PORT),
        desk_admin=os.environ.get("RECOURS_DESK_ADMIN") or None,
        backoffice_events_secret=os.environ.get("BACKOFFICE_EVENTS_SECRET") or None,
        desk_session_idle_minutes=max(1, _parse_days(
            os.environ.get("DESK_SESSION_IDLE_MINUTES"), "DESK_SESSION_IDLE_MINUTES", DEFAULT_DESK_SESSION_IDLE_MINUTES,
            "minutes",
        )),
        smtp_url=(os.environ.get("SMTP_URL") or "").strip() or None,
        mail_from=(os.environ.get("MAIL_FROM") or "").strip() or DEFAULT_MAIL_FROM,
        smtp_timeout_seconds=_parse_seconds(
            os.environ.get("SMTP_TIMEOUT_SECONDS"), "SMTP_TIMEOUT_SECONDS", DEFAULT_SMTP_TIMEOUT_SECONDS
        ),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings of this process (read once; tests call ``get_settings.cache_clear()``)."""
    return load_settings()


def today() -> date:
    """Today's date in Paris, or ``RECOURS_TODAY`` when set (tests and demos)."""
    override = get_settings().today_override
    return override if override is not None else datetime.now(PARIS).date()


def now() -> datetime:
    """The current time in Paris (aware); with ``RECOURS_TODAY`` set, that day at the current time of day.

    Opening hours and call-back windows are computed from it (recours.opening_hours).
    """
    current = datetime.now(PARIS)
    override = get_settings().today_override
    return current if override is None else datetime.combine(override, current.timetz())
