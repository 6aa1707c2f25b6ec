"""Is it a réclamation, and where does it go? The decision is recours.routing's; this adapter says it and routes.

Every statement of need comes here — a grievance, a request, « je veux faire une réclamation », a mediation
question, a CPAM appeal, a message the classifier was unsure of — so ``request_kind`` and ``concerned_body`` are
set and the member reads why, on every path (CONTRACT.md).
"""

from __future__ import annotations

import asyncio
import re
from datetime import date
from typing import List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import follow_ups as follow_up_actions, services, stopped_questions
from actions.human_contact import misunderstood_offer, offer, previous_turn_misunderstood
from actions.mediation import carrier_correction
from actions.side_answers import answer_after_guidance, answer_side_question, practical_kinds
from recours import answers, cpam, escalation, facts, follow_ups, glossary, human_contact, routing, story
from recours.follow_ups import FollowUp
from recours.reading import says_continue
from recours.messages import message_fr, message_group_fr
from recours.patterns import patterns
from recours.qualification import normalise_text, qualify
from recours import mediators
from recours.mediators import mediator_registry, read_dispute_subject
from recours import letter_edits
from recours.routing import Route, body_from_answer, is_wish_only, route_request, turns_to_the_organisation
from recours.side_questions import SideQuestion, asks_where_to_send_documents, question_kind, split_side_question
from recours.calendar import format_date_fr
from recours.callback_times import moment_typed, read_callback_time
from recours.settings import now, today

# Below this, the first message is a bare wish ("je veux me plaindre"), not a description worth keeping.
MIN_DESCRIPTION_WORDS = 6
# Intents that say only « oui, je suis mécontent » / « une information »: the stored statement is requalified.
SHORT_ANSWERS = ("complain", "ask_information", "inform")


# A question about sending documents for the complaint just recorded.
DOCUMENTS_RE = re.compile(r"\b(?:envo\w+|ajout\w*|joindre|transmettre|rajout\w*|faire parvenir|donner)\b.{0,40}"
                          r"\b(?:facture\w*|justificatif\w*|pieces?|documents?|papiers?|devis|courrier|photo\w*|copie\w*|"
                          r"preuves?|dossier|ordonnance\w*|decompte\w*)\b"
                          r"|\b(?:facture\w*|justificatif\w*|pieces?|documents?|papiers?|devis|photos?|copies?|"
                          r"attestations?|ordonnance\w*)\b.{0,40}\b(?:envo\w+|transmet\w*|joindre|faire parvenir|"
                          r"deposer|adresser)\b")

EXISTING_RE = re.compile(r"\b(?:mon dossier|ma reclamation|ma plainte|rec\W?\d{4}|la reclamation (?:que j ai|deja))\b")


# What a follow-up of a need already qualified is told, by route (cpam_appeal, mediation).
FOLLOW_UP_FR = message_group_fr("routing.follow_up")
# Everyday questions answered with their steps when the opening message is only a question (members' round 14).
PRACTICAL_KINDS = frozenset({"vitale_lost"})
_P = patterns("qualification_action")
# Questions about the process answered whenever they come, outside the forms too (members' round 14).
PROCESS_KINDS = frozenset({"data_rights", "why_data", "cost", "who_reads", "phone_counts", "mediator_delay", "mediator_powers"})


def _top_intent(message: dict) -> tuple[Optional[str], Optional[float]]:
    intent = message.get("intent") or {}
    name, confidence = intent.get("name"), intent.get("confidence")
    if name == "nlu_fallback":
        ranking = [r for r in message.get("intent_ranking") or [] if r.get("name") != "nlu_fallback"]
        if ranking:
            name, confidence = ranking[0].get("name"), ranking[0].get("confidence")
    return name, confidence


def classifier_intent(message: dict) -> tuple[Optional[str], Optional[float]]:
    """The classifier's intent when recours.reading put an answer intent first (addons/understanding.py keeps
    the classifier's ranking after it)."""
    ranking = message.get("intent_ranking") or []
    if ranking and ranking[0].get("confidence") == 1.0 and ranking[0].get("name") in ("inform", "affirm", "deny"):
        ranking = ranking[1:]
    ranking = [r for r in ranking if r.get("name") != "nlu_fallback"]
    if not ranking:
        return _top_intent(message)
    return ranking[0].get("name"), ranking[0].get("confidence")


def _process_question(text: str, intent: str | None, confidence: float | None) -> str | None:
    """The kind of a message that is only a question about the process (the data kept, the cost…), or None: a
    message that also voices a dissatisfaction (« je conteste le refus, c'est gratuit ? ») is qualified as usual."""
    kind = question_kind(text)
    if kind not in PRACTICAL_KINDS:
        # a lost carte Vitale needs no question mark (« wsh jai perdu ma carte vital, jfai comment pr la pharma »);
        # a process question is the whole message
        side = split_side_question(text) if text.rstrip().endswith("?") else None
        if kind not in PROCESS_KINDS or not text.rstrip().endswith("?") or (side is not None and side.answer):
            return None
    markers = set(qualify(intent, text, confidence).dissatisfaction_markers) - {"complaint_word"}
    return None if markers else kind


def _names_the_organisations_number(text: str) -> bool:
    """The organisation's own phone number typed in the message."""
    org = services.organisation()
    numbers = {re.sub(r"\D", "", n or "") for n in (
        org.usual_contact.phone_number, org.complaint_channels.phone.number if org.complaint_channels.phone else None)}
    typed = re.sub(r"(?<=\d)[\s.\-](?=\d)", "", text or "")
    return any(len(n) >= 8 and n in re.sub(r"\D", " ", typed).split() for n in numbers)


class QualifyRequest(Action):
    def name(self) -> Text:
        return "action_qualify_request"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        message = tracker.latest_message
        intent, confidence = _top_intent(message)
        requalified = tracker.get_slot("complaint_outcome") == "requalified"
        if requalified:
            # the answer to the privacy notice, read as an answer (« inform »): the classifier's own reading counts
            intent, confidence = classifier_intent(message)
        if (message.get("intent") or {}).get("name") == "nlu_fallback" and intent not in (
            "complain", "ask_information", "ask_clarification", "ask_confirmation", "request_service",
            "request_goodwill", "file_complaint", "ask_mediation", "ask_cpam_appeal",
        ):
            intent = None
        text = message.get("text") or ""
        is_payload = text.startswith("/")
        if tracker.get_slot(stopped_questions.STOPPED_SLOT) and (says_continue(text) or intent == "continue_form"):
            # « non pardon, je continue » after « stop » in the mediation questions, whatever the classifier read
            return stopped_questions.resume(tracker, dispatcher)
        if not is_payload and letter_edits.edits_the_letter(
                text, today(), shown=bool((tracker.get_slot("referral_letter") or {}).get("shown")),
                just_shown=follow_up_actions.previous_action(tracker) == "action_referral_letter"):
            # « Le résumé est faux. Le litige c'est : … » (members' round 20), « Le résumé devrait être : … »,
            # « mettez mon nom, … » (round 22): the letter again, changed
            return [FollowupAction("action_referral_letter")]
        stored = tracker.get_slot("complaint_description") or ""
        previous = tracker.get_slot("qualification_route")
        if tracker.get_slot("complaint_outcome") == "refused_privacy" and stored and not is_payload and \
                answers.accepts_after_all(text):
            # « bon ok finalement jaccepte » after « Je refuse » (members' round 18): the notice accepted after all,
            # the statement told before kept as the description
            dispatcher.utter_message(text=message_fr("complaint.accepted_after_all"))
            return [SlotSet("complaint_outcome", None), SlotSet("privacy_accepted", True),
                    SlotSet("request_kind", tracker.get_slot("request_kind") or "complaint"),
                    SlotSet("qualification_route", "record_complaint")]
        if tracker.get_slot("complaint_outcome") == "refused_privacy":
            stored = ""  # a new statement after the refusal replaces the one kept, it is not added to it
        known = tracker.get_slot("cpam_notification_date") if tracker.get_slot("cpam_appeal_until") else None
        if known and previous in ("cpam_appeal", "cpam_path", "answered") and \
                tracker.get_slot("concerned_body") == "cpam":
            received = cpam.receipt_of_the_same_letter(text, today(), date.fromisoformat(known)) \
                if not is_payload else None
            if received is not None:
                # « la lettre est datée du 20 novembre et je l'ai reçue seulement le 24 novembre. C'est quelle date
                # qui compte ? » (members' round 23, m23-B-04: taken for a second decision with its own deadline)
                return self._receipt_counts(dispatcher, tracker, date.fromisoformat(known), received)
            given = [a.until for a in escalation.appeals_in(tracker.get_slot("cpam_appeals"))] + \
                [date.fromisoformat(tracker.get_slot("cpam_appeal_until"))]
            other = cpam.other_decision(text, today(), date.fromisoformat(known), given) if not is_payload else None
            if other is not None or (intent == "ask_cpam_appeal" and len(text.split()) <= 6 and
                                     not cpam.other_decision(text, today(), None)):
                # another CPAM decision after the first one's deadline (« par ailleurs le montant des IJ est faux
                # aussi … notification du 5 novembre. Ça c'est la CRA ? »), or « Contester une décision » again
                # (members' round 20: the first decision's date and commission were given for it): its own
                # questions and deadline
                dispatcher.utter_message(text=message_fr("cpam.other_decision", date=format_date_fr(other.notified))
                                         if other is not None else FOLLOW_UP_FR["cpam_appeal"])
                return [SlotSet("cpam_notification_date", other.notified.isoformat() if other else None),
                        SlotSet("cpam_decision_medical", other.medical if other else None),
                        SlotSet("cpam_appeal_until", None), SlotSet("concerned_body", "cpam"),
                        SlotSet("request_kind", tracker.get_slot("request_kind") or "complaint"),
                        SlotSet("qualification_route", "cpam_appeal")]
        if not is_payload:
            # (whatever the route: « je comprends pas, pourquoi vous dites pas tout à fait ? » may come between, the
            # escalation the conversation is on decides — actions.side_answers.escalation_answer)
            if ("letter_model" in practical_kinds(text) or letter_edits.wants_the_letter(text)) and \
                    tracker.get_slot("mediation_status") == "possible_now" and tracker.get_slot("concerned_body") != "cpam":
                # « vous pouvez me faire la lettre ? » once the mediator can be seized: the referral letter itself
                return [FollowupAction("action_referral_letter")]
            if answer_after_guidance(text, dispatcher, tracker):
                # « je dois envoyer ça en recommandé ? », « une lettre ou deux ? », « 18 janvier CRA et 28 janvier
                # CMRA, c'est bien ça ? » after the CPAM appeal's deadlines or the mediator's guidance (members' round
                # 21: read as a service request, or « Je vous ai donné cette information plus haut » three times)
                return [SlotSet("qualification_route", "answered")]
        if not is_payload and previous != "ask_body":
            # « changez mon numéro sur ma réclamation », « annulez le rappel »: something recorded, not a grievance
            follow_up = follow_up_actions.read(tracker)
            pending = tracker.get_slot(follow_up_actions.PENDING_SLOT)
            if follow_up is None and isinstance(pending, dict) and pending.get("kind") == follow_ups.ADD_DETAIL:
                # the answer to « Que voulez-vous ajouter à votre réclamation … ? »
                follow_up = FollowUp(follow_ups.ADD_DETAIL, complaint=True,
                                     complaint_reference=pending.get("complaint_reference"),
                                     detail=follow_ups.detail_in(text) or text.strip())
            elif follow_up is None and pending:
                email, phone = follow_ups.new_contact_in(text)  # the new contact asked for
                if email or phone:
                    follow_up = await asyncio.to_thread(follow_up_actions.pending_follow_up, tracker, email, phone)
            if follow_up is not None:
                return [SlotSet("qualification_route", "answered")] + await follow_up_actions.carry_out(
                    follow_up, dispatcher, tracker)
            said_on = facts.complaint_date_said(text, today()) if previous == "mediation" else None
            if said_on is not None and said_on.isoformat() != tracker.get_slot("first_complaint_date"):
                # « Ma réclamation écrite c'est le mail du 15 octobre… Ça change la date ? » after the guidance:
                # the dates again, from the right day
                dispatcher.utter_message(text=message_fr("mediation.date_corrected", date=format_date_fr(said_on)))
                return [SlotSet("written_complaint_sent", True), SlotSet("first_complaint_date", said_on.isoformat()),
                        SlotSet("qualification_route", "mediation")]
            medical = tracker.get_slot("cpam_decision_medical")
            appeals = escalation.appeals_in(tracker.get_slot("cpam_appeals"))
            known_days = [a.notified for a in appeals] + ([date.fromisoformat(tracker.get_slot("cpam_notification_date"))]
                                                          if tracker.get_slot("cpam_notification_date") else [])
            deadlines = cpam.more_appeal_deadlines(text, medical, today(), services.department(tracker),
                                                   [a.until for a in appeals], known_days) \
                if tracker.get_slot("cpam_notification_date") else []
            if deadlines:
                # « et les 2 autres, remboursées le 14 octobre et le 20 novembre, je suis encore dans les temps ? »
                # after a CPAM appeal's deadline: each date's own (members' round 11), kept for « une lettre ou
                # deux ? » (members' round 21)
                # each decision's kind by its own words (« le montant faux du 10 novembre »: the CRA, even after a
                # medical refusal; members' round 23, m23-D-03)
                kinds = {notified: cpam.decision_kind_near(text, notified, today(), medical) for notified, _ in deadlines}
                dispatcher.utter_message(text=cpam.more_appeal_deadlines_fr(deadlines, today(), kinds))
                kept = tracker.get_slot("cpam_appeals")
                for notified, last in deadlines:
                    kept = escalation.with_appeal(kept, escalation.Appeal(notified, bool(kinds[notified]), last))
                # answered: the route « cpam_appeal » would run the appeal's questions and its first deadline again
                # (members' round 23, m23-D-03: « Je vous ai donné cette information plus haut » after the dates)
                return [SlotSet("qualification_route", "answered"), SlotSet("cpam_appeals", kept)]
            sent = facts.extract_facts(text, today()) if follow_ups.asks_status(text) and \
                not tracker.get_slot("complaint_reference") else None
            if sent is not None and sent.written_complaint_sent and sent.first_complaint_date is not None and \
                    not sent.first_complaint_date.approximate:
                # « j'ai écrit un mail à CPMS le 9 novembre … Je voudrais savoir où ça en est, je n'ai pas de numéro
                # de référence » (members' round 14: a new complaint was started): the dates of that letter
                sent_on = sent.first_complaint_date.value
                dispatcher.utter_message(text=message_fr("routing.status_sent_elsewhere", date=format_date_fr(sent_on),
                                                         organisation=services.organisation().name))
                return [SlotSet("request_kind", "complaint"), SlotSet("concerned_body", "insurer"),
                        SlotSet("complaint_description", text), SlotSet("written_complaint_sent", True),
                        SlotSet("first_complaint_date", sent_on.isoformat()),
                        SlotSet("qualification_route", "mediation")]
            org = services.organisation()
            contract_mediator = mediator_registry().get(tracker.get_slot("mediator") or "")
            if previous == "mediation" and tracker.get_slot("dispute_subject") == "contract" and \
                    contract_mediator is not None and org.mediator.own_conduct_mediator_fr and \
                    mediators.broker_conduct_too(text, org.name):
                # « CPMS qui ne répond pas à mes relances, c'est le travail du courtier, non ? Ça va aussi au CTIP ? »
                # (members' round 23, m23-D-05: the refusal sent to the broker's mediator): both, each to its own
                dispatcher.utter_message(text=message_fr("mediation_guidance.both_subjects", organisation=org.name,
                                                         mediator=contract_mediator.in_sentence_fr,
                                                         contact=org.usual_contact_fr))
                return [SlotSet("qualification_route", "mediation")]
            if previous == "mediation" and tracker.get_slot("dispute_subject") != "broker" and \
                    org.mediator.own_conduct_mediator_fr and read_dispute_subject(text, org.name) == "broker":
                # « le problème vient de CPMS (gestion de la résiliation), pas de l'assureur. quel médiateur ? »
                # (members' round 21: the same dates six times): the broker's own mediator
                return [SlotSet("dispute_subject", "broker"), FollowupAction("action_mediation_guidance")]
            carrier = carrier_correction(tracker, text) if previous == "mediation" else None
            if carrier is not None:
                # « Une autre mutuelle, ou je ne sais pas » typed after the guidance named a mediator (round 14)
                # (the route stays « mediation »: setting it again would start the mediation form's questions)
                return [SlotSet("carrier_type", carrier), FollowupAction("action_mediation_guidance")]
            asked = _process_question(text, intent, confidence)
            if asked is not None:
                # « combien de temps vous conservez mes données si je fais une réclamation ? » (members' round 14):
                # a question about the process itself gets its answer, whatever the qualification would say
                answer_side_question(SideQuestion("", text, asked), dispatcher, tracker)
                events = [SlotSet("qualification_route", "answered")]
                if not tracker.get_slot("request_kind"):  # the first statement of need is qualified (CONTRACT.md)
                    body = "cpam" if asked in PRACTICAL_KINDS else tracker.get_slot("concerned_body") or "insurer"
                    events = [SlotSet("request_kind", "information"), SlotSet("concerned_body", body)] + events
                return events
            if tracker.get_slot("answer_satisfied") is True and facts.says_unsatisfied(text):
                # « mais NON je ne suis pas satisfait ! » after the mediation check took a « oui » as satisfied
                dispatcher.utter_message(text=FOLLOW_UP_FR["mediation"])
                return [SlotSet("answer_satisfied", False), SlotSet("qualification_route", "mediation")]
        body = kind = None
        if previous == "ask_body":
            # The answer to « Sécurité sociale ou prévoyance ? »: the stored statement, with the body now known.
            body = body_from_answer(text) or "insurer"
            kind = tracker.get_slot("request_kind")
            intent = {"complaint": "complain"}.get(kind or "", intent)
            text, is_payload = stored or text, True
        elif intent == "affirm":
            # « oui » to « Je peux enregistrer votre réclamation écrite maintenant » (the mediation guidance)
            intent, kind = "file_complaint", "complaint"
            text, is_payload = stored or text, bool(stored)
        elif is_payload or (previous == "clarify" and intent in SHORT_ANSWERS
                            and len(text.split()) < MIN_DESCRIPTION_WORDS and stored):
            # A button (« Je suis mécontent ») or a short typed answer re-qualifies the statement made before.
            if previous == "clarify" and intent == "ask_information":
                kind = "information"  # the member's own answer to « mécontent ou information ? »
            text = stored or text
            is_payload = True
        context_body = tracker.get_slot("concerned_body") if previous in ("cpam_path", "cpam_appeal") else None
        if not is_payload and previous is not None:
            # « Vous ne m'avez pas répondu. Est-ce que la mutuelle rembourse … ? » (members' round 14): said to the
            # assistant, not a grievance against the organisation
            text = _P.to_the_assistant.sub("", text, count=1) or text
        if body is None and not is_payload and _names_the_organisations_number(text):
            # « je viens d'appeler le 01 47 70 30 97 … ma feuille de soins n'est toujours pas traitée » (members'
            # round 22: sent to the CPAM): the member called the organisation, the matter is its own
            body = "insurer"
        if body is None and not is_payload and turns_to_the_organisation(text):
            # « laissez tomber la secu. par contre CPMS me doit la part mutuelle … » after the CPAM's path (members'
            # round 20: the CPAM's answers repeated): the organisation's grievance
            body = "insurer"
        result = route_request(intent, text, 1.0 if is_payload else confidence, body=body, kind=kind,
                               context_body=context_body)
        q = result.qualification
        known_kind = tracker.get_slot("request_kind")
        follow_up = (
            previous in ("cpam_path", "answered", "third_party", "mediation", "cpam_appeal") and known_kind
            and not is_payload and len(text.split()) < MIN_DESCRIPTION_WORDS
            and result.next in ("cpam_appeal", "mediation")
        )
        if follow_up:
            # « 15/10/2026 » after « Je peux calculer la date limite… »: the same need, already qualified
            dispatcher.utter_message(text=FOLLOW_UP_FR[result.next])
            return [SlotSet("qualification_route", result.next)]
        if previous == "cpam_path" and result.next in ("cpam_path", "answered") and q.concerned_body == "cpam" and \
                not is_payload and not result.mixed:
            # the CPAM path was just given: « Auriez-vous l'adresse postale de la Caisse de Lille ? » gets its
            # short answer, not the same six messages again
            dispatcher.utter_message(text=cpam.follow_up_fr(normalise_text(text), services.organisation().name))
            return [SlotSet("qualification_route", "answered")]
        after_appeal = cpam.appeal_follow_up_fr(normalise_text(text), services.organisation().name) \
            if previous == "cpam_appeal" and "?" in text and not is_payload else None
        if after_appeal:
            # « une lettre recommandée suffit-elle ? Et ma mutuelle paiera-t-elle le reste des taxis ? » after the
            # CPAM appeal's deadline (members' round 16): their answers, not a complaint against the organisation
            dispatcher.utter_message(text=after_appeal)
            return [SlotSet("qualification_route", "answered")]
        events: List[EventType] = [SlotSet("concerned_body", q.concerned_body)]
        if requalified:
            events.append(SlotSet("complaint_outcome", None))
        keep = not is_payload and (
            len(text.split()) >= MIN_DESCRIPTION_WORDS
            or (result.next in ("ask_body", "clarify") and len(text.split()) >= 3)
        )
        if keep and stored and "?" in text and len(text.split()) < 15:
            keep = False  # « jpeux pas juste résilier direct ici ? c plus simple » asks, it describes nothing (round 12)
        if keep and stored and result.next == "third_party" and previous:
            keep = False  # « Dites-moi plutôt ce que je peux faire contre l'audioprothésiste » (round 16): not the grievance
        if keep and not (stored and is_wish_only(text)):
            # A detailed statement stays the description; a later follow-up is added to it, never replaces it
            # (« bon au final je veux bien faire la réclamation » adds nothing to it).
            follow_up = bool(previous and stored and stored not in text and not tracker.get_slot("complaint_reference"))
            said = facts.description_text(text) or text  # without the greeting, the thanks, « je l'ai déjà dit »
            if not (follow_up and not story.story_in(text, insurer=q.concerned_body != "cpam")):
                # (a follow-up that tells nothing of the grievance is not added: « Pardonnez-moi, qu'entendez-vous
                # par prescription ? », « Alors oui, j'accepte », members' round 20)
                events.append(SlotSet("complaint_description", f"{stored}\n{said}" if follow_up else said))

        term = glossary.asked_term(text) if not is_payload and len(text.split()) <= 14 else None
        if term is not None and result.next in ("answered", "clarify", "rephrase"):
            # « c'est quoi un médiateur ? », « le souscripteur ça veut dire quoi ? »: the word explained
            dispatcher.utter_message(text=term.definition_fr)
            return events + [SlotSet("request_kind", "information"), SlotSet("qualification_route", "answered")]
        reference = tracker.get_slot("complaint_reference")
        if not reference and not is_payload and DOCUMENTS_RE.search(normalise_text(text)) and (
                EXISTING_RE.search(normalise_text(text)) or asks_where_to_send_documents(text)):
            # « je peux ajouter la facture à mon dossier / ma réclamation ? » (a complaint recorded before)
            org = services.organisation()
            dispatcher.utter_message(text=message_fr("routing.documents_for_complaint", attachments=org.attachments_fr))
            return events + [SlotSet("qualification_route", "answered")]
        if reference and result.next in ("answered", "record_complaint", "clarify", "rephrase") and intent != "file_complaint":
            # A complaint was just recorded: a follow-up question does not requalify it, nor start a second
            # form without the member asking for a new complaint.
            return self._after_recording(dispatcher, result, reference, text, tracker)
        if result.next in ("clarify", "rephrase"):
            return events + self._clarify(dispatcher, result, tracker)
        events.append(SlotSet("request_kind", q.request_kind))
        if result.next == "ask_body":
            lead = (message_fr("routing.complaint_lead") if q.request_kind == "complaint"
                    else q.explanation_fr.split(" :")[0] + ".")
            asked = "routing.ask_body_letter" if routing.names_a_cpam_benefit(text) else "routing.ask_body"
            dispatcher.utter_message(
                text=message_fr(asked, lead=lead, **({"organisation": services.organisation().name}
                                                     if asked == "routing.ask_body_letter" else {})),
                buttons=[
                    {"title": "La Sécurité sociale (CPAM)", "payload": "La Sécurité sociale (CPAM)"},
                    {"title": "Ma prévoyance", "payload": "Ma prévoyance"},
                ],
            )
            return events + [SlotSet("qualification_route", "ask_body")]
        if result.next == "describe":
            org = services.organisation()
            towards = org.name if q.concerned_body == "insurer" else message_fr("routing.towards_cpam")
            dispatcher.utter_message(text=message_fr("routing.wish_to_complain", towards=towards))
            dispatcher.utter_message(response="utter_describe_grievance")
            return events + [SlotSet("qualification_route", "describe")]

        dispatcher.utter_message(text=self._explanation(result, text))
        if result.next == "record_complaint" and not is_payload and result.urgency is None and \
                human_contact.asks_callback(text):
            events += self._callback_after_recording(dispatcher, text)
        if result.urgency is not None:
            # coverage lost, a hospitalisation soon, the tiers payant refused: a person at once (rules.md §10)
            org = services.organisation()
            text = human_contact.urgency_fr(result.urgency, org, now(), services.department(tracker))
            dispatcher.utter_message(**offer(tracker, text))
            events.append(SlotSet("callback_reason", result.urgency.kind))
        if result.next == "third_party":
            org = services.organisation()
            dispatcher.utter_message(
                text=message_fr("routing.third_party_and_organisation", turn_to=result.third_party.turn_to_fr,
                                organisation=org.name),
                buttons=[{"title": f"Réclamation contre {org.name}", "payload": "/file_complaint"}],
            )
            return events + [SlotSet("qualification_route", "third_party")]
        if result.next == "answered":
            practical = question_kind(message.get("text") or "") if q.request_kind != "complaint" else None
            if practical in PRACTICAL_KINDS:
                # « jai perdu ma carte vital, jfai comment pr la pharma » (members' round 14): the steps themselves,
                # not only where to ask
                answer_side_question(SideQuestion("", text, practical), dispatcher, tracker)
                return events + [SlotSet("qualification_route", result.next)]
            org = services.organisation()
            where = cpam.contacts_fr() if q.concerned_body == "cpam" else org.usual_contact_fr
            dispatcher.utter_message(
                text=message_fr("routing.answered", where=where),
                buttons=[{"title": "Nouvelle réclamation", "payload": "/complain"}],
            )
        return events + [SlotSet("qualification_route", result.next)]

    @staticmethod
    def _callback_after_recording(dispatcher: CollectingDispatcher, text: str) -> List[EventType]:
        """« … je voudrais faire une réclamation et qu'on me rappelle » (members' round 17): the call-back is asked for
        right after the recording, from the moment said in its own sentence (the debit's dates are no moment)."""
        dispatcher.utter_message(text=message_fr("side_answers.callback_after"))
        events: List[EventType] = [SlotSet("callback_wanted", True)]
        org = services.organisation()
        moment = moment_typed(human_contact.callback_sentence(text) or "")  # without a phone number, never in clear
        if moment.strip() and read_callback_time(moment, org.opening_hours, now()) is not None:
            events.append(SlotSet("callback_moment", moment))
        return events

    @staticmethod
    def _explanation(result: Route, text_said: str = "") -> str:
        q = result.qualification
        text = q.explanation_fr
        if result.next in FOLLOW_UP_FR:
            if q.request_kind != "complaint":
                # « Comment saisir le médiateur ? »: a question about the recourse itself, answered as such
                return FOLLOW_UP_FR[result.next]
            text += " " + FOLLOW_UP_FR[result.next]
        org = services.organisation().name
        if result.next == "third_party":
            return message_fr("routing.third_party", who=result.third_party.who_fr, organisation=org)
        if result.mixed and facts.names_dated_cpam_decision(text_said):
            # a dated decision of the CPAM is contested by a formal appeal, with its deadline (not a complaint)
            text += " " + message_fr("routing.cpam_part_appeal", organisation=org)
        elif result.mixed:
            text += " " + message_fr("routing.cpam_part", channels=cpam.complaint_channels_fr(), organisation=org)
        elif result.third_party is not None and result.next == "record_complaint":
            # the advice without its « Cela concerne …, pas votre organisme : » (the organisation is concerned too)
            advice = re.sub(r"^Cela concerne [^:]+:\s*", "", result.third_party.turn_to_fr)
            text += " " + message_fr("routing.third_party_part", who=result.third_party.who_fr, advice=advice)
        return text

    @staticmethod
    def _receipt_counts(dispatcher: CollectingDispatcher, tracker: Tracker, printed: date,
                        received: date) -> List[EventType]:
        """The deadline counted from the day the letter was received (its notification), the printed date's kept
        as the safe one; the decision's appeal replaced in the conversation's list."""
        medical = bool(tracker.get_slot("cpam_decision_medical"))
        until = cpam.appeal_deadline(received, medical, services.department(tracker))
        safe = cpam.appeal_deadline(printed, medical, services.department(tracker))
        dispatcher.utter_message(text=message_fr("cpam.receipt_counts", received=format_date_fr(received),
                                                 until=format_date_fr(until), safe=format_date_fr(safe)))
        kept = [a for a in escalation.appeals_in(tracker.get_slot("cpam_appeals")) if a.notified != printed]
        kept_slot = escalation.with_appeal([a.to_slot() for a in kept], escalation.Appeal(received, medical, until))
        return [SlotSet("cpam_notification_date", received.isoformat()), SlotSet("cpam_appeal_until", until.isoformat()),
                SlotSet("cpam_appeals", kept_slot), SlotSet("qualification_route", "answered")]

    @staticmethod
    def _after_recording(dispatcher: CollectingDispatcher, result: Route, reference: str,
                         text: str = "", tracker: Optional[Tracker] = None) -> List[EventType]:
        org = services.organisation()
        side = split_side_question(text)
        if side is not None and tracker is not None and side.kind not in ("other", "mediator", "documents"):
            # « c'est gratuit ? », « un appel ça compte ? », « qui va lire ça ? »: a process question is answered
            answer_side_question(side, dispatcher, tracker)
            return [SlotSet("qualification_route", "answered")]
        if DOCUMENTS_RE.search(normalise_text(text)) or asks_where_to_send_documents(text):
            # « je peux envoyer la facture par mail ? », « où envoyer des pièces justificatives ? », « je peux envoyer
            # l arret de travail … ou ? » (members' round 22, m22-A-01: the usual contact instead)
            dispatcher.utter_message(
                text=message_fr("routing.documents_for_reference", reference=reference, attachments=org.attachments_fr)
            )
            return [SlotSet("qualification_route", "answered")]
        where = cpam.contacts_fr() if result.concerned_body == "cpam" else org.usual_contact_fr
        dispatcher.utter_message(
            text=message_fr("routing.recorded", reference=reference, organisation=org.name, where=where),
            buttons=[{"title": "Nouvelle réclamation", "payload": "/file_complaint"}],
        )
        return [SlotSet("qualification_route", "answered")]

    @staticmethod
    def _clarify(dispatcher: CollectingDispatcher, result: Route, tracker: Tracker) -> List[EventType]:
        if result.next == "rephrase":
            if previous_turn_misunderstood(tracker):
                # the second misunderstanding in a row: a person is offered (rules.md §10)
                dispatcher.utter_message(**misunderstood_offer(tracker))
                return [SlotSet("qualification_route", "rephrase"), SlotSet("callback_reason", "misunderstood")]
            dispatcher.utter_message(response="utter_please_rephrase")
            return [SlotSet("qualification_route", "rephrase")]
        dispatcher.utter_message(response="utter_ask_dissatisfied_or_information")
        return [SlotSet("request_kind", None), SlotSet("qualification_route", "clarify")]
