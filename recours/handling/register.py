"""The register of complaints, for internal and ACPR reporting: one row per complaint, no identifier, no free text.

Columns (headers in French, the handlers' language; dates ISO so that a spreadsheet sorts them):
reference, received on, channel, nature, acknowledged on, answered on, outcome, days to answer (calendar days
from reception to the answer), within deadline (« oui » / « non »; empty while the answer is not yet due), and
« médiation signalée le » — the day Recours told the member by e-mail that the mediator could now be referred to
(answer deadline passed without an answer; empty otherwise). Semicolon-separated, UTF-8 with a byte-order mark:
what a French spreadsheet opens as is.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Iterable, Mapping

from recours.handling.lifecycle import OUTCOME_LABELS_FR
from recours.natures import NATURE_LABELS_FR
from recours.settings import PARIS
from recours.store import ComplaintStatus

CHANNEL_LABELS_FR = {"socketio": "Site web", "whatsapp": "WhatsApp", "rest": "API (REST)"}
COLUMNS_FR = (
    "Référence", "Reçue le", "Canal", "Motif", "Accusé de réception le", "Réponse le", "Issue",
    "Jours pour répondre", "Dans les délais", "Médiation signalée le",
)


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def register_row(complaint: ComplaintStatus, mediation_told_at: datetime | None, today: date) -> list[str]:
    answered = complaint.answered_on
    if answered is not None:
        days = str((answered - complaint.sent_on).days)
        within = "oui" if complaint.answer_by is None or answered <= complaint.answer_by else "non"
    else:
        days = ""
        within = "non" if complaint.answer_by and today > complaint.answer_by else ""
    return [
        complaint.reference,
        _iso(complaint.sent_on),
        CHANNEL_LABELS_FR.get(complaint.channel or "", complaint.channel or ""),
        NATURE_LABELS_FR.get(complaint.nature, complaint.nature),
        _iso(complaint.acknowledged_on),
        _iso(answered),
        OUTCOME_LABELS_FR.get(complaint.outcome or "", ""),
        days,
        within,
        _iso(mediation_told_at.astimezone(PARIS).date()) if mediation_told_at else "",
    ]


def register_csv(complaints: Iterable[ComplaintStatus], told: Mapping[str, datetime], today: date) -> str:
    """The whole register as CSV text (see the module docstring)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS_FR)
    for complaint in sorted(complaints, key=lambda c: (c.sent_on, c.reference)):
        writer.writerow(register_row(complaint, told.get(complaint.reference), today))
    return out.getvalue()
