"""recours.reading: a message read as the answer to the pending question, or as a clear interruption (issue 11).

Each case is a defect seen when members typed instead of clicking (issue 11, defects 1, 2, 3, 8): the classifier's
intent is given as it was observed, and the reading must give the intent the conversation needs.
"""

from __future__ import annotations

from datetime import date

import pytest

from recours.reading import TurnContext, interruption, read_turn
from tests.nirs import grouped, make_nir
from tests.cases import cases

TODAY = date(2026, 12, 1)
NIR = make_nir(sex=2, year=90, month=5, department="2A", commune="004", order="312")


def in_form(slot: str, loop: str = "complaint_form") -> TurnContext:
    return TurnContext(active_loop=loop, requested_slot=slot, last_action=loop)


def asked(slot: str, confidence: float, rows: list[tuple]) -> list[tuple]:
    """Rows (text, classifier, expected) read while ``slot`` is asked, the classifier at ``confidence``."""
    return [(slot, text, classifier, confidence, expected) for text, classifier, expected in rows]


@pytest.mark.parametrize(
    "slot, text, classifier, confidence, expected",
    [
        *asked("member_name", 0.99, [
            ("Germaine Rousseau", "correct", "inform"),
            ("Hugo Vincent", "bot_challenge", "inform"),
            ("Jeanne Petit", "request_goodwill", "inform"),
            ("Nathalie Bonnet", "stop", "inform"),
            ("je m'appelle Jeanne Petit, mon numéro de sécu est " + grouped(NIR) + ", mail j@example.org", "inform",
             None),
            ("laissez tomber c'est trop compliqué", "complain", "stop"),
            ("je veux parler à un conseiller", "inform", "request_human"),
            ("c'est quoi un NIR ?", "ask_information", "help"),
        ]),
        *asked("member_identifier", 0.95, [
            ("c'est quoi un NIR ?", "ask_information", "help"),
            ("laissez tomber c'est trop compliqué", "inform", "stop"),
            ("J'AI MON NUMERO D'ADHERENT C'EST 4587221", "request_service", "inform"),
            (grouped(NIR), "out_of_scope", "inform"),
            ("je ne l'ai pas sous la main", "deny", "dont_know"),
            ("pourquoi vous me demandez ça ?", "ask_information", "ask_why_data"),
        ]),
        # typed answers to button questions
        ("written_complaint_sent", "nn", "out_of_scope", 0.9, "deny"),
        ("court_action", "ouais", "greet", 0.9, "affirm"),
        ("written_complaint_sent", "oui le 3 septembre", "affirm", 0.9, "inform"),
        ("complaint_nature", "Délai de traitement", "ask_deadlines", 0.9, "inform"),
        ("first_complaint_date", "15/10/2026", "out_of_scope", 0.9, "inform"),
        ("first_complaint_date", "je ne sais plus", "deny", 0.9, "dont_know"),
        ("contested_decision_answer", "non pas vraiment de décision", "deny", 0.9, "inform"),
        ("complaint_description", "Vous avez annulé mon contrat sans me prévenir et je n'ai plus de couverture",
         "stop", 0.9, "inform"),
        ("contract_holder", "c'est mon employeur, la société Transports Marel", "request_service", 0.9, "inform"),
        ("member_name", "stop", "stop", 0.9, None),
        ("member_name", "non je continue", "deny", 0.9, "continue_form"),
        # a question about a word is help
        ("contract_holder", "c'est quoi un souscripteur ?", "inform", 0.6, "help"),
        ("member_identifier", "qu'est-ce que le NIR", "inform", 0.6, "help"),
        ("written_complaint_sent", "faut il un recommandé ?", "inform", 0.6, "help"),
        *asked("recap_confirmed", 0.9, [
            ("bon ok, j'envoie", "out_of_scope", "affirm"),
            ("Confirmer", "inform", "affirm"),
            ("c'est tout bon, enregistrez", "thank", "affirm"),
            ("Corriger un élément", "inform", "correct"),
            ("je me suis trompé dans le mail", "correct", "inform"),  # the field is named: cleared at once
            ("Coordonnées", "request_human", "inform"),
            ("Revenir au récapitulatif", "correct", "deny"),
            ("Annuler", "inform", "stop"),
            # a question at the recap neither confirms nor corrects
            ("ok mais ils repondent en combien de temps?", "affirm", "ask_deadlines"),
            ("200% du tarif sécu ?", "affirm", "help"),
        ]),
        # an answer with a question: the answer is the form's, the question is answered by the form
        ("member_name", "Germaine Rousseau. Au fait ils ont combien de temps pour me répondre ?", "ask_deadlines",
         0.97, "inform"),
        ("member_name", "Jeanne Petit, c'est quoi un souscripteur ?", "help", 0.97, "inform"),
        ("court_action", "non, et le médiateur c'est quoi ?", "ask_mediation", 0.97, "deny"),
        ("privacy_accepted", "oui, mais ça prend combien de temps ?", "ask_deadlines", 0.97, "affirm"),
        # a question alone is still an interruption
        ("member_identifier", "pourquoi vous avez besoin de ça ?? vous l'avez déjà normalement", "inform", 0.97,
         "ask_why_data"),
        ("contract_holder", "j'en ai marre, STOP", "inform", 0.97, "stop"),
        ("complaint_nature", "Non, stop.", "inform", 0.97, "stop"),
        # members' round 20 (m20-A-01 M11): another field to correct, named after the wish
        ("contact", "MAIS JE VOUS L AI DEJA DONNE le 06!!! je veux corriger la description pas le tel", "inform",
         0.9, "correct"),
        ("contact", "je voulais changer mon tel, c'est le 06 00 00 00 21", "inform", 0.9, None),  # this question's
    ],
)
def test_typed_answers_in_the_complaint_form(slot, text, classifier, confidence, expected):
    assert read_turn(in_form(slot), text, classifier, confidence, TODAY) == expected


@pytest.mark.parametrize(
    "text, classifier, confidence, expected",
    cases(__file__, "after_are_you_sure_you_want_to_stop"),
)
def test_after_are_you_sure_you_want_to_stop(text, classifier, confidence, expected):
    ctx = TurnContext(last_action="utter_ask_confirm_stop")
    assert read_turn(ctx, text, classifier, confidence, TODAY) == expected


def test_a_bare_date_after_the_cpam_offer_starts_the_appeal():
    ctx = TurnContext(last_action="action_cpam_guidance")
    assert read_turn(ctx, "15/10/2026", "inform", 0.6, TODAY) == "ask_cpam_appeal"


def test_the_answer_after_a_short_question_is_kept_with_the_statement():
    ask_body = TurnContext(last_action="action_qualify_request", slots={"qualification_route": "ask_body"})
    assert read_turn(ask_body, "la sécu", "ask_information", 0.7, TODAY) == "inform"
    clarify = TurnContext(last_action="action_qualify_request", slots={"qualification_route": "clarify"})
    assert read_turn(clarify, "oui je suis mécontent", "affirm", 0.9, TODAY) == "complain"
    assert read_turn(clarify, "je cherche une information", "ask_information", 0.9, TODAY) is None


def test_a_long_message_with_no_question_pending_is_a_statement():
    text = "je m'appelle Jeanne Petit et vous avez prélevé deux fois ma cotisation en octobre"
    assert read_turn(TurnContext(), text, "inform", 0.7, TODAY) == "nlu_fallback"


def test_typed_carrier_type_after_the_guidance():
    ctx = TurnContext(last_action="action_mediation_guidance", slots={"mediation_status": "carrier_unknown"})
    assert read_turn(ctx, "Une mutuelle (Mutualité Française)", "ask_information", 0.6, TODAY) == "inform"
    assert read_turn(ctx, "je sais pas", "dont_know", 0.9, TODAY) == "inform"


def test_payloads_are_never_reread():
    assert read_turn(in_form("member_name"), "/stop", "stop", 1.0, TODAY) is None


@pytest.mark.parametrize(
    "text, expected",
    cases(__file__, "interruption"),
)
def test_interruption(text, expected):
    assert interruption(text) == expected


# -- members' round 3 (docs/understanding.md) --------------------------------------------------------------------

@pytest.mark.parametrize(
    "last, text, expected",
    cases(__file__, "closings_outside_a_form"),
)
def test_closings_outside_a_form(last, text, expected):
    assert read_turn(TurnContext(last_action=last), text, "deny", 0.5, TODAY) == expected


def test_a_bare_no_closes_only_after_anything_else():
    assert read_turn(TurnContext(), "non", "deny", 0.9, TODAY) is None
    # inside a form, « non merci » stays the answer to the question
    assert read_turn(in_form("court_action"), "non merci", "deny", 0.9, TODAY) is None


def test_a_question_about_the_choices_is_a_question():
    ctx = in_form("complaint_nature")
    assert read_turn(ctx, "cest quoi la diff entre remboursement et autre prestation?", "inform", 0.5, TODAY) == "help"
    assert read_turn(in_form("contract_holder"), "ça veut dire quoi souscrit ?", "inform", 0.5, TODAY) == "help"


def test_a_yes_with_a_request_for_a_person_is_still_the_answer():
    text = "oui d'accord j'accepte. mais je veux parler à quelqu'un au téléphone"
    assert read_turn(in_form("privacy_accepted"), text, "request_human", 0.9, TODAY) == "affirm"


@pytest.mark.parametrize("text, expected", cases(__file__, "the_status_check_is_not_a_trap"))
def test_the_status_check_is_not_a_trap(text, expected):
    ctx = TurnContext(active_loop="status_form", requested_slot="status_reference")
    assert read_turn(ctx, text, "inform", 0.6, TODAY) == expected


@pytest.mark.parametrize("text", ["j'en sais rien moi", "c'est une institution de prévoyance", "je ne sais plus"])
def test_the_carrier_typed_after_the_guidance(text):
    ctx = TurnContext(last_action="action_mediation_guidance", slots={"mediation_status": "carrier_unknown"})
    assert read_turn(ctx, text, "nlu_fallback", 0.3, TODAY) == "inform"


@pytest.mark.parametrize(
    "text, medical, expected",
    cases(__file__, "the_kind_of_cpam_decision_corrected_after_the_deadline"),
)
def test_the_kind_of_cpam_decision_corrected_after_the_deadline(text, medical, expected):
    ctx = TurnContext(last_action="action_cpam_appeal_deadline", slots={"cpam_decision_medical": medical})
    assert read_turn(ctx, text, "inform", 0.9, TODAY) == expected


def test_the_carrier_type_corrected_after_the_guidance():
    ctx = TurnContext(last_action="action_mediation_guidance", slots={"carrier_type": "institution_prevoyance"})
    assert read_turn(ctx, "Mais non, c'est une société d'assurance, régie par le Code des assurances", "deny", 0.9,
                     TODAY) == "inform"
    assert read_turn(ctx, "oui c'est bien une institution de prévoyance", "affirm", 0.9, TODAY) != "inform"


@pytest.mark.parametrize("text", ["Mais je viens de vous le donner ! 06 00 00 00 31.", "c'est marie@example.org"])
def test_the_proof_typed_impatiently_is_the_proof(text):
    assert read_turn(in_form("status_proof", "status_form"), text, "complain", 0.9, TODAY) == "inform"


def test_an_unsure_carrier_answer_with_a_question_mark_is_an_answer():
    ctx = TurnContext(last_action="action_mediation_guidance", slots={"mediation_status": "carrier_unknown"})
    assert read_turn(ctx, "jsp c pas une mutuelle cpms ?", "ask_information", 0.9, TODAY) == "inform"


def test_the_carrier_type_corrected_at_the_letter_offer():
    ctx = TurnContext(last_action="utter_offer_referral_letter", slots={"carrier_type": "institution_prevoyance"})
    assert read_turn(ctx, "Mais non, c'est une société d'assurance", "deny", 0.9, TODAY) == "inform"


@pytest.mark.parametrize("text", ["Demander un rappel", "je voudrais être rappelée demain", "rappelez-moi"])
def test_the_call_back_button_typed_mid_form(text):
    assert read_turn(in_form("member_identifier"), text, "inform", 0.9, TODAY) == "request_callback"


@pytest.mark.parametrize("text", cases(__file__, "a_goodbye_once_the_complaint_is_recorded"))
def test_a_goodbye_once_the_complaint_is_recorded(text):
    after = TurnContext(last_action="action_submit_complaint", slots={"complaint_reference": "REC-2026-5PF5ZS"})
    assert read_turn(after, text, "check_status", 0.9, TODAY) == "goodbye"


def test_a_grievance_ending_with_a_goodbye_is_still_a_grievance_at_the_start():
    assert read_turn(TurnContext(), "ma mutuelle refuse mes lunettes. merci, au revoir", "complain", 0.9, TODAY) is None
    assert read_turn(TurnContext(), "bonsoir", "greet", 0.9, TODAY) is None


def test_a_goodbye_in_a_form_asks_whether_to_stop():
    assert read_turn(in_form("answer_received", "mediation_form"), "au revoir", "goodbye", 0.9, TODAY) == "stop"


@pytest.mark.parametrize("text", ["non je continue mais jpeux parler à qqun ?",
                                  "Attendez, est-ce que je pourrais plutôt parler à quelqu'un ?"])
def test_a_person_asked_for_in_sms_or_after_a_filler(text):
    assert read_turn(in_form("contract_holder"), text, "inform", 0.9, TODAY) == "request_human"


def test_a_holding_reply_asked_about_answers_the_answer_question():
    text = "Juste un mail « nous revenons vers vous » le 10 novembre. Vous appelez ça une réponse ?"
    assert read_turn(in_form("answer_received", "mediation_form"), text, "ask_information", 0.9, TODAY) == "deny"


def test_a_long_answer_naming_the_carriers_legal_form_after_the_guidance():
    # round 8 (m8-b-02 M20): read as a new request because it was long
    ctx = TurnContext(last_action="action_mediation_guidance", slots={"mediation_status": "carrier_unknown"})
    text = ("D'après la notice que j'ai sous les yeux, c'est une « institution de prévoyance régie par le Code de la "
            "sécurité sociale ». Mais deux mois pour répondre, c'est bien long, alors que la clinique nous relance.")
    assert read_turn(ctx, text, "complain", 0.9, TODAY) == "inform"


@pytest.mark.parametrize("text, classifier", [
    # round 8 (m8-d-02 t10, t12): an identity check again, a new complaint form
    ("je veux ajouter des documents à ma réclamation REC-2026-Y3HE2B", "check_status"),
    ("Mes documents… je les envoie où ?", "complain"),
])
def test_where_to_send_documents_is_a_question_not_a_status_check_nor_a_complaint(text, classifier):
    after_status = TurnContext(last_action="action_check_status", slots={})
    assert read_turn(after_status, text, classifier, 0.9, TODAY) == "ask_information"
    assert read_turn(TurnContext(), "ils ont perdu mes documents, je les ai envoyés 3 fois", "complain", 0.9,
                     TODAY) is None


def test_the_dispute_subject_typed_as_a_question_is_the_answer():
    text = "c'est le versement de mes indemnités qui ne vient pas, donc le contrat je suppose ?"
    assert read_turn(in_form("dispute_subject", "mediation_form"), text, "ask_information", 0.9, TODAY) == "inform"


@pytest.mark.parametrize("last, text, expected", cases(__file__, "more_goodbyes_once_the_matter_is_dealt_with"))
def test_more_goodbyes_once_the_matter_is_dealt_with(last, text, expected):
    assert read_turn(TurnContext(last_action=last), text, "greet", 0.9, TODAY) == expected


def test_a_long_i_do_not_know_after_the_guidance_is_the_carriers_answer():
    # round 9 (m9-b-01 M13): the customer-service pointer instead of the « je ne sais pas » option
    ctx = TurnContext(last_action="action_mediation_guidance", slots={"mediation_status": "carrier_unknown"})
    text = "Ma foi, je n'en sais rien. Sur la carte il y a seulement marqué CPMS. Je ne sais pas."
    assert read_turn(ctx, text, "ask_information", 0.9, TODAY) == "inform"


def test_je_cherche_une_info_at_the_clarifying_question():
    # round 9 (m9-a-04 M5): « Je ne peux pas vous aider sur ce sujet »
    ctx = TurnContext(last_action="action_qualify_request", slots={"qualification_route": "clarify"})
    assert read_turn(ctx, "je cherche une info", "out_of_scope", 0.9, TODAY) == "ask_information"


def test_a_need_stated_with_a_plea_for_help_is_a_statement():
    # final replay: « Je peux : vous dire si… » (the menu) for a CPAM refusal
    text = "slt la cpam veut pas me rembourser mon kiné, je peux faire quoi ?"
    assert read_turn(TurnContext(), text, "help", 0.51, TODAY) == "nlu_fallback"
    assert read_turn(TurnContext(), "aide", "help", 0.9, TODAY) is None


@pytest.mark.parametrize("text, last_action, expected", cases(__file__, "call_backs_and_follow_ups_outside_a_form"))
def test_call_backs_and_follow_ups_outside_a_form(text, last_action, expected):
    ctx = TurnContext(active_loop=None, requested_slot=None, last_action=last_action, slots={})
    assert read_turn(ctx, text, "request_human", 0.9, TODAY) == expected


@pytest.mark.parametrize("text, field", cases(__file__, "the_field_a_correction_names"))
def test_the_field_a_correction_names(text, field):
    from recours.recap import field_from_text

    assert field_from_text(text) == field


def test_a_confirmation_with_a_callback_wish_confirms():
    ctx = TurnContext(active_loop="complaint_form", requested_slot="recap_confirmed", last_action=None, slots={})
    assert read_turn(ctx, "je confirme, et rappelez-moi demain s'il vous plaît", "request_human", 0.9, TODAY) == "affirm"


def test_no_reference_at_the_reference_question_is_an_answer():
    ctx = TurnContext(active_loop="status_form", requested_slot="status_reference", last_action=None, slots={})
    assert read_turn(ctx, "Vous pouvez la retrouver avec mon nom ?", "complain", 0.9, TODAY) == "inform"


def test_a_call_back_asked_for_instead_of_the_privacy_notice():
    # members' round 12 (m12-B-05 M2): « Je ne peux pas répondre à cette question ici » twice, then the notice again
    text = ("Je ne sais pas trop. Plutôt que d'écrire tout cela, est-ce qu'une personne pourrait me rappeler ? "
            "Je préfère le matin, mais pas avant 10 heures.")
    assert read_turn(in_form("privacy_accepted"), text, "ask_information", 0.6, TODAY) == "request_callback"


def test_an_offer_taken_with_a_question_after_it():
    # members' round 13 (m13-D-01 t9): « Ce n'est pas une réclamation mais une demande de service », no letter
    ctx = TurnContext(active_loop=None, requested_slot=None, last_action="utter_offer_referral_letter")
    assert read_turn(ctx, "oui la lettre svp. Je dois mettre le devis avec ?", "request_service", 0.7, TODAY) == "affirm"


def test_an_addition_at_the_recap_is_not_a_call_back():
    # members' round 16 (m16-C-03 M11): « … vous avez pas noté que je veux être rappelée le midi » got the person's
    # number and the recap « pour la troisième fois »
    text = "attendez j'avais pas fini !! vous avez pas noté que je veux être rappelée le midi"
    assert read_turn(in_form("recap_confirmed"), text, "request_human", 0.9, date(2026, 12, 2)) == "correct"
    assert read_turn(in_form("recap_confirmed"), "rappelez-moi plutôt", "request_human", 0.9,
                     date(2026, 12, 2)) in (None, "request_callback")


@pytest.mark.parametrize("text", ["annulez le rappel", "il me reste quel rappel ?"])
def test_a_follow_up_at_the_call_backs_number_question_stops_the_new_request(text):
    # a real conversation on the end build: the number asked six times
    assert read_turn(in_form("callback_phone", "callback_form"), text, "inform", 0.9, date(2026, 12, 2)) == "stop"
    assert read_turn(in_form("callback_phone", "callback_form"), "06 00 00 00 45", "inform", 0.9,
                     date(2026, 12, 2)) != "stop"


@pytest.mark.parametrize("text, intent", [("non pardon pas celui-là", "deny"), ("celui de vendredi", "inform"),
                                          ("non finalement gardez-le", "deny"), ("c'est l'autre", "inform")])
def test_just_after_a_cancellation_the_call_back_meant_is_a_follow_up(text, intent):
    # a real conversation on the round-16 build: read as a bare « non » (« Je ne sais pas comment donner suite ») and
    # as an answer to the mediator's questions
    just = TurnContext(last_action="action_qualify_request", slots={"callback_just_cancelled": "RAP-2026-AAAAAA"})
    assert read_turn(just, text, intent, 0.9, TODAY) == "request_service"
    assert read_turn(TurnContext(last_action="action_qualify_request"), text, intent, 0.9, TODAY) != "request_service"


@pytest.mark.parametrize("text, classifier, expected", [
    # members' round 17 (m17-D-04 M1): the debit's date became the call-back's, and the complaint was never started
    ("bonjour, ma cotisation de novembre (64,30 €) a été prélevée deux fois, le 5 et le 6 novembre. je voudrais faire "
     "une réclamation et qu'on me rappelle", "request_callback", "complain"),
    ("mes lunettes ne sont toujours pas remboursées depuis deux mois, rappelez moi svp", "complain", None),
    ("je voudrais faire une réclamation et être rappelée demain matin", "file_complaint", None),
    # a call-back alone is still the call-back's form at once
    ("je voudrais être rappelé s'il vous plaît", "request_human", "request_callback"),
    ("Bonjour madame, je souhaiterais être rappelée par un conseiller concernant mon dossier", "request_human",
     "request_callback"),
])
def test_a_grievance_with_a_call_back_wish_is_a_complaint_first(text, classifier, expected):
    assert read_turn(TurnContext(), text, classifier, 0.8, TODAY) == expected


@pytest.mark.parametrize("text, expected", [
    # members' round 17 (m17-C-05 M3), after « je préfère parler à un conseiller »: read as a refusal, nothing kept
    ("Non finalement on continue ici, j'accepte.", "affirm"),
    ("on continue", "affirm"),
    ("non je ne continue pas", None),
])
def test_going_on_at_the_privacy_notice_accepts_it(text, expected):
    assert read_turn(in_form("privacy_accepted"), text, "deny", 0.9, TODAY) == expected


@pytest.mark.parametrize("text, expected", [
    # members' round 18 (m18-B-01 M4): a call-back booked for 13 h, nobody had asked for one, « le matin » said
    ("Je n'ai pas d'adresse électronique, c'est mon petit-fils qui s'en occupe. Vous pouvez me téléphoner au 06 00 00 "
     "00 41, de préférence le matin, je fais la sieste l'après-midi.", None),
    ("vous pouvez me téléphoner au 06 00 00 00 41", None),
    # a call-back asked for, with the number, is still one
    ("rappelez-moi au 06 00 00 00 41 demain matin", "request_callback"),
])
def test_how_to_be_reached_at_the_contact_question_is_the_answer(text, expected):
    assert read_turn(in_form("contact"), text, "inform", 0.9, TODAY) == expected


@pytest.mark.parametrize("text, expected", [
    # members' round 18 (m18-A-03 M3, m18-C-05): « Pour bien vous orienter : êtes-vous mécontent… ? », the statement lost
    ("bon ok finalement jaccepte, faut bien que ca bouge", "file_complaint"),
    ("attendez, je me suis trompé de bouton, en fait je veux bien continuer", "file_complaint"),
    ("non je refuse toujours", None),
])
def test_the_notice_accepted_after_all_just_after_it_was_refused(text, expected):
    ctx = TurnContext(last_action="action_submit_complaint", slots={"complaint_outcome": "refused_privacy"})
    assert read_turn(ctx, text, "deny", 0.9, TODAY) == expected


def test_a_call_back_asked_at_the_insurers_type_question():
    # members' round 18 (m18-C-05 M21): read as « institution de prévoyance », the call-back dropped
    text = "je verrai ça plus tard. je voudrais qu'un conseiller prévoyance me rappelle lundi matin au 06 00 00 00 74"
    ctx = TurnContext(last_action="action_mediation_guidance",
                      slots={"mediation_status": "carrier_unknown", "complaint_reference": "REC-2026-AAAAAA"})
    assert read_turn(ctx, text, "inform", 0.9, TODAY) == "request_callback"


@pytest.mark.parametrize("text, expected", [
    # members' round 19 (m19-B-01 … B-05): « Je ne peux pas répondre à cette question ici »
    ("Pardon d'insister, mais la ligne « Décision contestée » devrait dire qu'il n'y en a aucune. Pouvez-vous la "
     "corriger s'il vous plaît ?", "correct"),
    ("Pourriez-vous aussi ajouter à la description qu'elle a téléphoné à vos services fin octobre ?", "correct"),
    ("Il manque deux choses : ma seconde lettre de mi-novembre. Pouvez-vous l'ajouter ?", "correct"),
    ("ok mais ils répondent en combien de temps ?", "ask_deadlines"),
    ("est-ce que je peux envoyer la facture par mail ?", "help"),
])
def test_a_change_asked_as_a_question_at_the_recap(text, expected):
    assert read_turn(in_form("recap_confirmed"), text, "ask_information", 0.7, TODAY) == expected


@pytest.mark.parametrize("text, expected", [
    # members' round 18 (m18-D-05): a new complaint's privacy notice instead of a person
    ("je préfère parler à une vraie personne pour savoir si je peux signer pour lui", "request_human"),
    # a grievance about a person never reached stays a grievance
    ("j'ai demandé à parler à un conseiller et personne ne m'a rappelé depuis trois semaines", None),
])
def test_a_message_that_starts_by_asking_for_a_person(text, expected):
    assert read_turn(TurnContext(last_action="action_submit_complaint"), text, "complain", 0.6, TODAY) == expected


@pytest.mark.parametrize("text", ["jsais pas moi c ecrit nulle part", "JE SAIS PAS quel organisme assure mon contrat"])
def test_a_doubt_typed_at_the_insurers_type_question(text):
    # members' round 19 (m19-A-01 M16, M17): « Je ne sais pas comment donner suite », then a generic answer
    from recours.mediators import carrier_type_in
    from recours.text import fold

    ctx = TurnContext(last_action="action_mediation_guidance",
                      slots={"mediation_status": "carrier_unknown", "complaint_reference": "REC-2026-AAAAAA"})
    assert read_turn(ctx, text, "out_of_scope", 0.5, TODAY) == "inform"
    assert carrier_type_in(fold(text)) is None


def test_stop_fed_up_after_a_protest_at_the_nir_question():
    # members' round 19 (m19-A-04 M4): read as an invalid NIR, the stop ignored, the NIR asked a third time
    assert read_turn(in_form("member_identifier"), "MAIS JE LAI DONNE AUSSI. stop jen ai marre", "inform", 0.9,
                     TODAY) == "stop"


def test_a_question_asked_before_confirming_is_no_confirmation():
    # members' round 19 (m19-C-04 M20): the complaint recorded straight away, the question never answered
    from recours.recap import recap_confirms

    text = ("c'est bon. Avant de valider : j'ai jusqu'à quand pour contester la décision du médecin conseil de la CPAM "
            "du 5 novembre ?")
    assert not recap_confirms(text)
    assert read_turn(in_form("recap_confirmed"), text, "affirm", 0.8, TODAY) not in (None, "affirm")


# members' round 20 (m20-A-04): the organisation's grievance typed at a CPAM decision's question
@pytest.mark.parametrize("text, expected", [
    ("laissez tomber la secu. par contre CPMS me doit la part mutuelle de ma couronne dentaire 420e, la secu a paye "
     "en octobre elle. je veux faire une reclamation", "stop"),
    ("MAIS NON cest contre CPMS ma mutuelle!! nouvelle reclamation", "stop"),
    ("le 24/11 et la mutuelle CPMS rembourse rien non plus", None),  # the date answered: kept
    ("c est la cpam qui a refusé, la mutuelle attend leur décision pour payer", None),
    ("je sais pas, la date sur le courrier de la secu est effacée", None),
])
def test_the_organisation_s_grievance_leaves_the_cpam_questions(text, expected):
    read = read_turn(in_form("cpam_notification_date", "cpam_appeal_form"), text, "inform", 0.8, TODAY)
    assert read == expected if expected else read != "stop"


def test_the_letter_s_summary_corrected_is_qualified():
    ctx = TurnContext(last_action="action_referral_letter")
    text = "Le résumé est faux. Le litige c'est : refus de mon implant dentaire, 1 250 € à ma charge. Vous pouvez corriger ?"
    assert read_turn(ctx, text, "correct", 0.8, TODAY) == "complain"
    # said wrong without the new text: the letter's action asks for it (members' round 24, m24-F-01)
    assert read_turn(ctx, "le résumé est faux", "correct", 0.8, TODAY) == "complain"


@pytest.mark.parametrize("text, expected", [
    # members' round 21 (m21-A-04 M4-M5): « justificatif non reconnu » three times
    ("laissez tomber jrefais une reclamation. mon prelevement de mutuelle a ete fait 2 fois en octobre", "complain"),
    ("JE VEUX FAIRE UNE NOUVELLE RECLAMATION", "complain"),
    ("0833 cest la fin de mon num adherent", None),
])
def test_a_new_complaint_asked_for_during_the_status_check(text, expected):
    read = read_turn(in_form("status_proof", "status_form"), text, "inform", 0.8, TODAY)
    assert read == expected if expected else read != "complain"


@pytest.mark.parametrize("text", [
    # members' round 21 (m21-A-02 M21-M22, m21-A-05): the usual contact was given
    "je veux quon me rappelle alors, aujourdhui",
    "ben cest ce que je demande! rappel cet aprem vers 15h",
    "rappeler lundi matin?",
])
def test_a_call_back_asked_in_words_after_the_recording(text):
    ctx = TurnContext(slots={"complaint_reference": "REC-2026-ABC123"}, last_action="action_qualify_request")
    assert read_turn(ctx, text, "request_service", 0.6, TODAY) == "request_callback"


@pytest.mark.parametrize("text, intent, read", [
    # members' round 22 (m22-F-01 M10-M11) and a conversation of the session: a service request, a new complaint
    ("Je souhaiterais obtenir un modèle de lettre svp", "request_service", "affirm"),
    ("Oui, la lettre", "complain", "affirm"),
    ("si je le fais en ligne j ai quand meme besoin de votre lettre ?", "ask_information", None),
])
def test_the_letter_asked_for_in_words_at_its_offer(text, intent, read):
    assert read_turn(TurnContext(last_action="utter_offer_referral_letter"), text, intent, 0.6, TODAY) == read


def test_a_change_of_the_letter_shown_earlier_is_the_letter_again():
    shown = TurnContext(slots={"referral_letter": {"shown": True}})
    assert read_turn(shown, "mettez mon nom, Odette Garnier", "inform", 0.6, TODAY) == "complain"
    assert read_turn(TurnContext(), "mettez mon nom, Odette Garnier", "inform", 0.6, TODAY) != "complain"
