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
from zoneinfo import ZoneInfo

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DATA = Path(__file__).resolve().parent / "data"
PARIS = ZoneInfo("Europe/Paris")
# Meta's Graph API; the version is part of the path. Tests point WHATSAPP_GRAPH_URL at a local server.
DEFAULT_WHATSAPP_GRAPH_URL = "https://graph.facebook.com/v21.0"


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
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings of this process (read once; tests call ``get_settings.cache_clear()``)."""
    return load_settings()


def today() -> date:
    """Today's date in Paris, or ``RECOURS_TODAY`` when set (tests and demos)."""
    override = get_settings().today_override
    return override if override is not None else datetime.now(PARIS).date()
