"""The written receipt's content (recours/receipts.py): what was recorded, masked, no free text; the dates; the
mediation path from the recorded dates; the printable page's link."""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from datetime import date, datetime, timezone

from recours.organisations import load_organisation
from recours.receipts import message_id, receipt_download_message, receipt_message, receipt_sections
from recours.store import ComplaintView
from tests.nirs import make_nir

NIR = make_nir(2, 84, 7, "2A", "004", "312")
COMPLAINT = ComplaintView(
    reference="REC-2026-7K4F9Q", organisation="cpms", created_at=datetime(2026, 11, 21, 10, tzinfo=timezone.utc),
    sent_on=date(2026, 11, 21), acknowledge_by=date(2026, 12, 1), answer_by=date(2027, 1, 21), status="recorded",
    request_kind="complaint", concerned_body="insurer", nature="remboursement", contract_holder="Transports Marel",
    member_name="Marie Martin", nir=NIR, member_number=None, email="marie.martin@exemple.fr", phone="+33612345678",
    description="Refus de mes lunettes ; je suis suivie pour un glaucome.", contested_decision="refus du 2 novembre",
    first_complaint_date=None, answer_received=False, court_action=False, conversation_key="k", channel="rest",
)


def text_of(complaint: ComplaintView, key: str = "cpms") -> str:
    return "\n".join(line for s in receipt_sections(complaint, load_organisation(key)) for line in (s.title, *s.lines))


def test_what_was_recorded_is_masked_and_holds_no_free_text():
    text = text_of(COMPLAINT)
    assert "Numéro de sécurité sociale : 2 84 ** ** *** *** " in text and NIR not in text
    assert "Coordonnées : m***@exemple.fr, 06 ** ** ** 78" in text
    assert "Souscripteur du contrat : Transports Marel" in text and "Motif : Remboursement" in text
    assert "votre description est conservée par CPMS" in text
    assert "glaucome" not in text and "lunettes" not in text and "2 novembre" not in text
    assert "Décision contestée : oui" in text and "Action en justice : non" in text


def test_an_individual_contract_does_not_repeat_the_name():
    text = text_of(replace(COMPLAINT, contract_holder="Marie Martin"))
    assert "Souscripteur du contrat : vous-même (contrat individuel)" in text


def test_the_dates_and_the_mediation_path():
    text = text_of(COMPLAINT)
    assert "Date d'enregistrement : samedi 21 novembre 2026" in text
    assert "au plus tard le mardi 1er décembre 2026 et vous répondre au plus tard le jeudi 21 janvier 2027" in text
    assert "à partir du vendredi 22 janvier 2027 si vous n'avez pas de réponse, et au plus tard le dimanche 21 " \
           "novembre 2027" in text
    assert "Le médiateur dépend de l'organisme qui assure votre contrat" in text  # CPMS, a broker
    klesia = text_of(replace(COMPLAINT, organisation="klesia"), "klesia")
    assert "Médiateur de la protection sociale (CTIP)" in klesia and "Saisine en ligne : https://" in klesia


def test_a_reminder_counts_from_the_first_letter():
    reminder = replace(COMPLAINT, first_complaint_date=date(2026, 3, 2), answer_by=date(2026, 5, 4),
                       acknowledge_by=date(2026, 3, 12))
    text = text_of(reminder)
    assert "relance de votre réclamation écrite du lundi 2 mars 2026" in text
    assert "Réclamation écrite précédente : le lundi 2 mars 2026, sans réponse à ce jour" in text
    assert "au plus tard le mardi 2 mars 2027" in text  # one year after the first written complaint


def test_the_email_message():
    message = receipt_message(COMPLAINT, load_organisation("cpms"), sent_at=datetime(2026, 11, 21, tzinfo=timezone.utc))
    assert message["To"] == "marie.martin@exemple.fr"
    assert message["Subject"] == "Votre réclamation REC-2026-7K4F9Q est enregistrée (CPMS)"
    assert message["Message-ID"] == message_id("REC-2026-7K4F9Q") == message_id("REC-2026-7K4F9Q")
    assert message["Content-Language"] == "fr"
    assert message.get_body(("plain",)) is not None and message.get_body(("html",)) is not None
    assert "<script" not in message.get_body(("html",)).get_content()


def test_the_printable_page_link_carries_the_recap_without_the_name():
    link = receipt_download_message(COMPLAINT, load_organisation("cpms"))["quick_replies"][0]
    assert link["type"] == "web_url" and link["url"].startswith("/recu.html#")
    fragment = link["url"].split("#", 1)[1]
    document = json.loads(base64.urlsafe_b64decode(fragment + "=" * (-len(fragment) % 4)))
    text = json.dumps(document, ensure_ascii=False)
    assert document["reference"] == "REC-2026-7K4F9Q" and "Marie Martin" not in text and NIR not in text
    assert "06 ** ** ** 78" in text
