"""The complaint form (rules.md §3): its validators and the questions whose wording depends on the context."""

from __future__ import annotations

import asyncio
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import services
from actions.complaint_recap import RecapValidation, kept_as_it_was
from actions.form_facts import FactsReadingForm
from actions.qualification import classifier_intent
from actions.recap_corrections import removed_from_description, replaced_in_description
from actions.side_answers import answer_side_question
from actions.validation import RecoursFormValidation, entity, iso_date, latest_intent
from actions.vault import names_given_phone, vault_contact, vault_put, with_given_phone
from recours import answers, contact, facts, holders, natures, nir, postal, story
from recours.deadlines import local_holidays_matter
from recours.messages import message_fr
from recours.slot_answers import dont_know
from recours.routing import route_request
from recours.recap import mask_member_number, recap_confirms
from recours.side_questions import split_side_question
from recours.settings import today
from recours.text import fold, fold_aligned
from recours.patterns import patterns

_P = patterns("complaint_form")
_ANSWERS = patterns("answers")
# What the recap shows when the member has no number at all (the store records it as withheld).
NO_IDENTIFIER_FR = message_fr("complaint_form.no_identifier")
STATEMENT_WORDS = 5


def _statement_elsewhere(tracker: Tracker) -> bool:
    """The answer to the privacy notice is a new statement that is not a complaint against the organisation."""
    message = tracker.latest_message or {}
    text = message.get("text") or ""
    if text.startswith("/") or len(text.split()) < STATEMENT_WORDS or _P.accepts.search(fold(text)):
        return False
    asked = split_side_question(text)
    if asked is not None and not asked.answer.strip(" .,;:!"):
        # « qu'entendez-vous exactement par « prescription » ? Je ne voudrais pas accepter quelque chose que je ne
        # comprends pas » (members' round 20): a question about the notice, answered, then the notice asked again
        return False
    intent, confidence = classifier_intent(message)
    route = route_request(intent, text, confidence)
    return route.next != "record_complaint" or route.qualification.concerned_body != "insurer"


class ValidateComplaintForm(RecapValidation, FactsReadingForm, RecoursFormValidation):
    def name(self) -> Text:
        return "validate_complaint_form"

    async def required_slots(
        self,
        domain_slots: List[Text],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[Text]:
        """Date and answer questions only make sense once a written complaint was sent."""
        if tracker.get_slot("privacy_accepted") is False:
            # The notice refused: nothing more is asked (rasa-sdk requests the first missing slot of this list
            # after validation whenever it differs from the domain's, overriding a ``requested_slot: None``).
            return []
        slots = list(domain_slots)
        if tracker.get_slot("written_complaint_sent") is False:
            slots = [s for s in slots if s not in ("first_complaint_date", "answer_received")]
        if (tracker.get_slot("approximate_date") or {}).get("first_complaint_date") == "never":
            slots = [s for s in slots if s != "first_complaint_date"]  # not known, even roughly: not asked again
        if not _postal_code_needed(tracker):
            slots = [s for s in slots if s != "postal_code"]
        return slots

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        kept = kept_as_it_was(tracker)
        if kept is not None:
            dispatcher.utter_message(text=message_fr("complaint_form.kept_as_it_was"))
            return [SlotSet(slot, value) for slot, value in kept.items()] + [SlotSet("requested_slot", None)]
        return await super().run(dispatcher, tracker, domain)

    # -- validators -------------------------------------------------------------------------------------------

    # A form re-validates the slots already filled when it is (re)activated: each validator accepts the value it
    # produced itself (a bool, a masked identifier, a known nature) as it is.

    def validate_privacy_accepted(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if isinstance(value, bool):
            return {"privacy_accepted": value}
        asked = split_side_question(str(value or ""))
        if asked is not None and (not asked.answer.strip(" .,;:!") or dont_know(asked.answer)) and \
                not _P.member_number_instead.search(fold(str(value or "")).replace("'", " ")):
            # « Je ne sais pas. Si je refuse, est-ce que mon dossier sera bloqué ? » (members' round 20: the
            # « refuse » of the question read as the answer): the question answered, the notice asked again
            answer_side_question(asked, dispatcher, tracker)
            return {"privacy_accepted": None}
        typed = tracker.latest_message.get("text") or ""
        if dont_know(str(value or "")) and str(value or "") != typed and split_side_question(typed) is not None:
            return {"privacy_accepted": None}  # « Je ne sais pas. » beside a question the form answers: asked again
        answer = answers.parse_yes_no(str(value or ""), latest_intent(tracker))
        if answer is None and _P.accepts.search(fold(str(value or ""))) and \
                not _ANSWERS.no_complaint.search(fold(str(value or ""))):
            answer = True
        if answer is False and _P.accepts.search(fold(str(value or ""))) and \
                not _P.refusal_words.search(_P.leading_no.sub("", fold(str(value or "")).replace("'", " "))):
            # « Non finalement on continue ici, j'accepte » after « je préfère parler à un conseiller » (members'
            # round 17): the « non » takes back the wish, the notice is accepted
            answer = True
        if answer is None and _statement_elsewhere(tracker):
            # « ce n'est pas CPMS qui est en cause, c'est mon dentiste »: no complaint form for this; the
            # submit action has the statement qualified again (rules.md §1), nothing is recorded.
            return {"privacy_accepted": False, "requested_slot": None}
        folded = fold(str(value or "")).replace("'", " ")
        member_number = bool(_P.member_number_instead.search(folded))
        if answer is False and (_P.nir_refused.search(folded) or member_number) and \
                services.organisation().may_collect_nir:
            # « Je ne donne pas mon numéro de sécurité sociale sur internet »: the notice offers the member number
            dispatcher.utter_message(text=message_fr("complaint_form.nir_refused_at_notice"))
            return {"privacy_accepted": None, "identifier_kind": "member_number"}
        if answer is None and member_number:
            answer = True  # « Et si je vous donne seulement mon numéro d'adhérent ? Dans ce cas je veux bien continuer »
        if answer is None:
            asked = split_side_question(str(value or ""))
            if asked is not None and not asked.answer.strip(" .,;:!"):
                # « qu'entendez-vous exactement par « prescription » ? Je ne voudrais pas accepter … » (members'
                # round 20): the question answered, then the notice asked again — no « je n'ai pas compris »
                answer_side_question(asked, dispatcher, tracker)
                return {"privacy_accepted": None}
            return self._fail("privacy_accepted", message_fr("form.not_understood"), dispatcher, tracker)
        if answer is False:
            # Ends the form at once: the submit action explains the other ways to complain.
            return {"privacy_accepted": False, "requested_slot": None}
        values = {"privacy_accepted": True}
        if member_number:
            values["identifier_kind"] = "member_number"  # « j'accepte, mais je donnerai mon numéro d'adhérent »
        return self._ok(tracker, "privacy_accepted", values)

    def validate_member_name(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        raw = re.sub(r"\s+", " ", str(value or "")).strip()
        # « je m'appelle Jeanne Petit, mon numéro de sécu est … »: the name is read without the identifiers
        rest = facts.remove_identifiers(raw)
        if facts.names_employer(rest):
            # « par mon employeur, Boulangeries Durand »: the contract holder, not the member's name
            holder = facts.clean_holder(rest, None)
            values: Dict[Text, Any] = {"member_name": None}
            if holder and holder != "Contrat individuel" and not tracker.get_slot("contract_holder"):
                values["contract_holder"] = holder
                dispatcher.utter_message(text=message_fr("complaint_form.holder_noted", holder=holder))
                return values
            return self._fail("member_name", message_fr("complaint_form.holder_not_name"), dispatcher, tracker)
        writing = facts.relative_writer(rest)
        if writing is not None:
            # « Ferhat Nadia, fille de l'adhérente Yvette Morel » (members' round 19: recorded as the member's name)
            return self._ok(tracker, "member_name", {"member_name": writing.member, "member_writer": writing.writer_fr})
        name = facts.clean_name(rest) or facts.name_in(rest) or facts.leading_name(rest) or facts.sentence_name(rest)
        if not name and ":" in rest:
            # « Mon nom figure au bas de ma lettre : Chambon, Yvette. » (members' round 20: not recognised)
            name = facts.clean_name(rest.rsplit(":", 1)[1])
        if name:
            return self._ok(tracker, "member_name", {"member_name": name})
        if any(ch.isdigit() for ch in raw):
            return self._fail("member_name", message_fr("complaint_form.name_with_digits"), dispatcher, tracker)
        if len(rest.split()) == 1 and facts.clean_name(rest + " X") is not None:
            return self._fail("member_name", message_fr("complaint_form.name_and_first_name"), dispatcher, tracker)
        return self._fail("member_name", message_fr("complaint_form.name_not_recognised"), dispatcher, tracker)

    async def validate_member_identifier(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        raw = str(value or "").strip()
        if "*" in raw or raw == NO_IDENTIFIER_FR:
            return {"member_identifier": raw}
        kind = tracker.get_slot("identifier_kind") or _default_identifier_kind()
        folded = fold(raw).replace("'", " ")
        if _P.no_number_at_all.search(folded) or (kind == "member_number" and dont_know(raw) and
                                                 (tracker.get_slot("validation_failures") or {}).get("member_identifier")):
            # « je n'ai aucun numéro, on m'a volé mon sac », or « je ne l'ai pas » said again at the member number:
            # not a dead end — the organisation identifies the member by name and contact (store: withheld)
            org = services.organisation()
            dispatcher.utter_message(text=message_fr("complaint_form.no_number_at_all", organisation=org.name))
            return self._ok(tracker, "member_identifier",
                            {"member_identifier": NO_IDENTIFIER_FR, "identifier_kind": "none"})
        found = facts.extract_facts(raw, today(), history=False)
        if found.member_number and not found.nir and not found.nir_invalid:
            # « J'AI MON NUMERO D'ADHERENT C'EST 4587221 » at the NIR question: the member number is accepted.
            await vault_put(tracker.sender_id, "member_number", found.member_number)
            return self._ok(
                tracker,
                "member_identifier",
                {"member_identifier": mask_member_number(found.member_number), "identifier_kind": "member_number"},
            )
        numbers = re.findall(r"\d(?:[\d]|[\s.\-](?=\d))*", raw)
        if kind == "nir" and not found.nir and not found.nir_invalid and len(numbers) == 1 and \
                6 <= sum(ch.isdigit() for ch in numbers[0]) <= 10:
            # « Le voici : 01297734 » at the NIR question: far too short for a NIR (13 digits and a key), it is the
            # member number the member said they would rather give
            number = re.sub(r"\D", "", numbers[0])
            await vault_put(tracker.sender_id, "member_number", number)
            dispatcher.utter_message(text=message_fr("complaint_form.nir_too_short_member_number"))
            return self._ok(
                tracker, "member_identifier",
                {"member_identifier": mask_member_number(number), "identifier_kind": "member_number"},
            )
        if found.nir or found.nir_invalid:
            kind = "nir" if services.organisation().may_collect_nir else kind  # a NIR typed after all
        if kind == "nir":
            folded = fold(raw)
            digits = sum(ch.isdigit() for ch in raw)
            # « je ne l'ai pas », « MON NUMERO DE SECU VOUS L'AUREZ PAS », « non », « je refuse »: the member number
            # « c koi la difference avec le numero dadherent? g que ma carte mutuelle la » (members' round 15)
            only_their_card = _P.only_their_card.search(folded.replace("'", " "))
            if not found.nir and (latest_intent(tracker) == "dont_know" or only_their_card or re.search(
                    r"\b(pas|plus|sais|connais|perdu|refuse|jamais|question)\b|^(?:non|nan|nn)\b", folded) and digits < 8):
                # (a key-valid NIR typed with a doubt, « 1 38 … je sais pas si c'est ça », is the NIR: members'
                # round 23, m23-B-03, dropped for the « je sais pas »)
                dispatcher.utter_message(text=message_fr("complaint_form.nir_unknown"))
                return {"member_identifier": None, "identifier_kind": "member_number"}
            own, another = facts.own_nir(raw)
            try:
                compact = own if another else nir.normalise_nir(raw)
            except nir.InvalidNir as exc:
                return self._fail("member_identifier", exc.message_fr, dispatcher, tracker, "member_identifier_nir")
            if another:
                # two numbers, the member's and a relative's: the member's is kept, the other never stored
                dispatcher.utter_message(text=message_fr("complaint_form.two_nirs", nir=nir.mask_nir(compact)))
            await vault_put(tracker.sender_id, "nir", compact)
            return self._ok(
                tracker, "member_identifier", {"member_identifier": nir.mask_nir(compact), "identifier_kind": "nir"}
            )
        number = re.sub(r"[\s.\-/]", "", raw)
        if " " in raw.strip() and not found.nir:
            # « j'ai retrouvé ma carte : 00458712 »: the token that holds digits
            tokens = [t for t in re.split(r"[\s:,;]+", raw) if sum(ch.isdigit() for ch in t) >= 3]
            if len(tokens) == 1:
                number = re.sub(r"[.\-/]", "", tokens[0])
        if nir.is_valid_nir(raw) or re.search(r"\d{13}", number):
            # This organisation may not process the NIR for complaints: never keep one as a member number.
            return self._fail("member_identifier", message_fr("complaint_form.nir_not_collected"), dispatcher, tracker,
                              "member_identifier_member_number")
        if dont_know(raw):
            return self._fail(
                "member_identifier",
                message_fr("complaint_form.member_number_unknown", organisation=services.organisation().name),
                dispatcher, tracker, "member_identifier_member_number",
            )
        if not _P.member_number.match(number) or sum(ch.isdigit() for ch in number) < 3:
            return self._fail("member_identifier", message_fr("complaint_form.member_number_invalid"), dispatcher,
                              tracker, "member_identifier_member_number")
        await vault_put(tracker.sender_id, "member_number", number.upper())
        return self._ok(
            tracker,
            "member_identifier",
            {"member_identifier": mask_member_number(number.upper()), "identifier_kind": "member_number"},
        )

    async def validate_contact(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if "*" in str(value or "") or value == message_fr("complaint_form.postal_contact"):
            return {"contact": value}
        try:
            found: Optional[contact.Contact] = contact.parse_contact(str(value or ""))
        except contact.InvalidContact as exc:
            found, refused = None, exc
        # « le même numéro que pour le rappel »: the number given earlier in the conversation (members' round 17)
        found = await with_given_phone(str(value or ""), found, tracker)
        if found is None and not names_given_phone(str(value or "")) and refused.reason == "missing" and \
                _P.postal_only.search(fold(str(value or "")).replace("'", " ")):
            return await self._postal_contact(str(value or ""), dispatcher, tracker)
        if found is None:
            reason = message_fr("complaint_form.given_phone_unknown") if names_given_phone(str(value or "")) \
                else refused.message_fr
            return self._fail("contact", reason, dispatcher, tracker)
        # A corrected answer replaces both: an e-mail given earlier must not survive a phone-only correction.
        await asyncio.to_thread(
            services.store().clear_identifiers, services.conversation_key(tracker.sender_id), ("email", "phone")
        )
        masked = await vault_contact(tracker.sender_id, found)
        return self._ok(tracker, "contact", {"contact": ", ".join(masked)})

    async def _postal_contact(self, text: str, dispatcher, tracker: Tracker) -> Dict[Text, Any]:
        """« Je n'ai ni courriel ni portable. Écrivez-moi plutôt par la poste » (members' round 17): the answer by post,
        at the address of the member's file; the postal code typed with it is kept, never the street."""
        await asyncio.to_thread(
            services.store().clear_identifiers, services.conversation_key(tracker.sender_id), ("email", "phone"))
        dispatcher.utter_message(text=message_fr("complaint_form.postal_contact_noted",
                                                 organisation=services.organisation().name))
        values: Dict[Text, Any] = {"contact": message_fr("complaint_form.postal_contact")}
        code = postal.read_postal_answer(text)
        if code is not None and code.code and tracker.get_slot("postal_code") is None:
            values["postal_code"] = code.code
        return self._ok(tracker, "contact", values)

    def validate_contract_holder(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        text = re.sub(r"\s+", " ", str(value or "")).strip()
        if latest_intent(tracker) == "dont_know" or dont_know(text):
            # « je ne sais pas trop, je crois que c'est par la mairie de Wattrelos où je bosse » (members' round 14):
            # a doubt, then the answer
            after = re.split(r"[,.;:]\s*", text, maxsplit=1)[1:] or [""]
            if not after[0] or dont_know(after[0]) or not facts.clean_holder(after[0], tracker.get_slot("member_name")):
                return self._fail("contract_holder", message_fr("complaint_form.holder_unknown"), dispatcher, tracker)
            text = after[0]
        head = re.split(r"[.,;:!?]", text, maxsplit=1)[0]
        nature = natures.exact_nature(head) if head != text else None  # « Transports Remboursement SARL » is a name
        if nature and not facts.holder_in(text) and not holders.says_individual(text):
            return self._nature_for_the_holder(nature, text[len(head):].strip(" .,;:!"), dispatcher, tracker)
        if facts.names_employer_only(text):
            return self._fail("contract_holder", message_fr("complaint_form.employer_name"), dispatcher, tracker)
        # « c'est la mutuelle de mon ancien employeur, Transports Lebrun, je suis en portabilité » names it inside
        holder = facts.holder_in(text) or facts.clean_holder(text, tracker.get_slot("member_name"),
                                                             by_a_relative=bool(tracker.get_slot("member_writer")))
        long_sentence = len(text) > 160 and not facts.holder_in(text) and not holders.says_individual(text)
        if holder is None or long_sentence:
            return self._fail("contract_holder", message_fr("complaint_form.holder_not_understood"), dispatcher,
                              tracker)
        return self._ok(tracker, "contract_holder", {"contract_holder": holder})

    @staticmethod
    def _nature_for_the_holder(nature: str, rest: str, dispatcher, tracker: Tracker) -> Dict[Text, Any]:
        """« resiliation. lettre recommandee envoyee le 15 septembre, 2 prelevements … » typed at the holder question
        (members' round 19: recorded « Souscripteur : Resiliation », the dates lost): the motive and the facts kept,
        the holder asked again."""
        values: Dict[Text, Any] = {"contract_holder": None}
        if not tracker.get_slot("complaint_nature"):
            values["complaint_nature"] = nature
        stored = tracker.get_slot("complaint_description")
        if rest and stored and rest not in stored:
            values["complaint_description"] = f"{stored}\n{message_fr('recap.precision', text=rest[:1].upper() + rest[1:])}"
        dispatcher.utter_message(text=message_fr("complaint_form.holder_got_nature",
                                                 nature=natures.NATURE_LABELS_FR[nature]))
        return values

    def validate_complaint_nature(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if value in natures.NATURE_LABELS_FR:
            return {"complaint_nature": value}
        # the member's words first (« autre prestation », « autre, c'est un trop-perçu »), the NLU entity after
        chosen = natures.match_nature(str(value or ""))
        if chosen is None and entity(tracker, "nature") in natures.NATURE_LABELS_FR:
            chosen = entity(tracker, "nature")
        if chosen is None:
            return self._fail("complaint_nature", message_fr("complaint_form.nature_not_recognised"), dispatcher,
                              tracker)
        return self._ok(tracker, "complaint_nature", {"complaint_nature": chosen})

    def validate_complaint_description(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        text = facts.description_text(str(value or ""))  # without « je l'ai déjà dit ! », greetings, thanks
        if recap_confirms(text) and len(text.split()) <= 8:
            # « NON jai dit confirmer » typed while the description is asked again: not a description
            return self._fail("complaint_description", message_fr("complaint_form.description_not_confirmation"),
                              dispatcher, tracker)
        if len(text) < 15 or len(text.split()) < 3:
            return self._fail("complaint_description", message_fr("complaint_form.description_too_short"),
                              dispatcher, tracker)
        if len(text) > 4000:
            return self._fail("complaint_description", message_fr("complaint_form.description_too_long"),
                              dispatcher, tracker)
        before = (tracker.get_slot("before_correction") or {}).get("complaint_description") \
            if isinstance(tracker.get_slot("before_correction"), dict) else None
        if not before and tracker.get_slot("requested_slot") == "recap_confirmed":
            # « corriger la description : le reste a charge cest 360 euros pas 480 » at the recap (members' round
            # 21: the whole story was replaced by that line): the number corrected in it, or the line added
            before = tracker.get_slot("complaint_description")
            replaced = replaced_in_description(text, before) if before else None
            if replaced:
                return self._ok(tracker, "complaint_description", {"complaint_description": replaced})
        adding = isinstance(tracker.get_slot("before_correction"), dict) and \
            tracker.get_slot("before_correction").get("adding")
        anew = _P.new_description.match(text) if before else None
        if anew and text[anew.end():].strip():
            # « Nouvelle description : … »: the member replaces it, as the hint says
            new = text[anew.end():].strip()
            return self._ok(tracker, "complaint_description", {"complaint_description": new[:1].upper() + new[1:]})
        if before and tracker.get_slot("requested_slot") == "complaint_description":
            # asked again from the recap (members' round 22: « 645 € et non 640 € » erased the letter typed
            # before): a number or a date corrected in it, a sentence taken out of it
            replaced = replaced_in_description(text, before)
            if replaced:
                return self._ok(tracker, "complaint_description", {"complaint_description": replaced})
            removed = removed_from_description(text, before)
            if removed is not None and removed[0]:
                return self._ok(tracker, "complaint_description", {"complaint_description": removed[0]})
        if before and not adding and tracker.get_slot("requested_slot") == "complaint_description" and \
                len(text) < 0.8 * len(before) and \
                not _P.corrects_a_detail.search(fold(text).replace("'", " ")) and text not in before:
            # a short text after « ajouter ou corriger : le reste est gardé » adds to it
            adding = True
        if before and adding and text not in before:
            # « la description, il faut ajouter ma demande » then the addition (members' round 22: it replaced the
            # story): added to what was written
            return self._ok(tracker, "complaint_description",
                            {"complaint_description": f"{before}\n{message_fr('recap.precision', text=text)}"})
        if before and len(text) < 0.4 * len(before) and _P.corrects_a_detail.search(fold(text).replace("'", " ")):
            # « Le second prélèvement … a eu lieu le 7 octobre, et non le 6. » typed after « corriger la description »
            # (members' round 19: the whole story was replaced by that line): a correction of it, kept with it
            dispatcher.utter_message(text=message_fr("complaint_form.description_corrected"))
            text = f"{before}\n{message_fr('recap.correction', text=text)}"
        return self._ok(tracker, "complaint_description", {"complaint_description": text})

    def validate_contested_decision_answer(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        text = re.sub(r"\s+", " ", str(value or "")).strip()
        text = facts.without_already_said(text)  # « jte lai deja dit le refus du 3 nov »
        text = re.sub(r"^(?:(?:oui|ouais|si|bien sûr|en effet|ben|bah|bon|euh|alors|donc)\b[\s,.:!-]*)+", "", text,
                      flags=re.I).strip()  # « oui le courrier… »
        if answers.is_none_answer(text):
            return self._ok(
                tracker,
                "contested_decision_answer",
                {"contested_decision_answer": "aucune", "contested_decision": None},
            )
        folded = fold(text).replace("'", " ")
        lead = _P.no_decision_lead.match(fold_aligned(text))
        if lead and text[lead.end():].strip(" ,.;:!"):
            text = text[lead.end():].strip(" ,.;:!")
            text = text[:1].upper() + text[1:]  # « Qu'au téléphone aujourd'hui on m'a dit encore 6 semaines »
            folded = fold(text).replace("'", " ")
        if lead or (_P.nothing_done.search(folded) and not _P.decision_noun.search(folded)):
            # « lunettes 18 septembre, facture 430e, vs avez rien rembourse … et depuis RIEN » (members' round 19): no
            # decision to contest; what it tells is the description's
            values: Dict[Text, Any] = {"contested_decision_answer": "aucune", "contested_decision": None}
            stored = tracker.get_slot("complaint_description")
            # (« non yen a pas de decision justement personne me repond » tells nothing new, members' round 21:
            # « Précision : … » was noise to the handler; a date, an amount or an event is kept)
            if stored and text not in stored and (story.story_in(text, insurer=True) or re.search(r"\d", text)):
                dispatcher.utter_message(text=message_fr("facts_noted.added_to_description", fact=text))
                values["complaint_description"] = f"{stored}\n{message_fr('recap.precision', text=text)}"
            return self._ok(tracker, "contested_decision_answer", values)
        if len(text) < 4:
            return self._fail("contested_decision_answer", message_fr("complaint_form.decision_too_short"),
                              dispatcher, tracker)
        return self._ok(
            tracker, "contested_decision_answer", {"contested_decision_answer": text, "contested_decision": text[:500]}
        )

    def validate_postal_code(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        text = str(value or "").strip()
        if re.fullmatch(r"\d{5}", text):
            return {"postal_code": text}
        found = postal.read_postal_answer(text)
        if found is None and (latest_intent(tracker) == "dont_know" or dont_know(text)):
            found = postal.PostalAnswer(skipped=True)
        if found is None:
            return self._fail("postal_code", message_fr("complaint_form.postal_code_not_found"), dispatcher, tracker)
        if found.skipped:
            # the national calendar is used; the member can still give it at the recap
            return self._ok(tracker, "postal_code", {"postal_code": None, "postal_code_skipped": True})
        return self._ok(tracker, "postal_code", {"postal_code": found.code, "postal_code_skipped": None})

def _postal_code_needed(tracker: Tracker) -> bool:
    """Asked once the complaint's history is known, and only when a local holiday would change a date told."""
    if tracker.get_slot("postal_code_skipped"):
        return False
    if tracker.get_slot("postal_code") is not None:
        return True  # given, or being validated
    return local_holidays_matter(
        today(), services.organisation(), first_complaint_date=iso_date(tracker.get_slot("first_complaint_date")),
        answer_received=tracker.get_slot("answer_received") is True,
    )


def _default_identifier_kind() -> str:
    return "nir" if services.organisation().may_collect_nir else "member_number"
