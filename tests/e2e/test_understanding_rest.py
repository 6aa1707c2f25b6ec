"""Members who type instead of clicking (issue 11): each defect reproduced by the issue is a conversation here,
over the REST channel against the real Rasa and action servers. Messages are typed as members typed them.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.harness import Conversation, buttons
from tests.nirs import grouped, make_nir

pytestmark = pytest.mark.e2e

NIR = make_nir(sex=2, year=90, month=5, department="2A", commune="004", order="312")
GRIEVANCE = "Ma mutuelle refuse de rembourser mes lunettes alors que mon contrat les couvre, personne ne me répond."
REFERENCE_RE = re.compile(r"REC-\d{4}-[A-Z0-9]{6}")
NAME_QUESTION = "nom et votre prénom"
NIR_QUESTION = "numéro de sécurité sociale (15 caractères"
CONTACT_QUESTION = "adresse e-mail et/ou"
HOLDER_QUESTION = "Qui a souscrit le contrat"


def to_name_question(conversation: Conversation, grievance: str = GRIEVANCE) -> None:
    assert "Acceptez-vous de continuer" in conversation.say_text(grievance), conversation.dump()
    assert NAME_QUESTION in conversation.say_text("ok"), conversation.dump()


def asked_count(conversation: Conversation, fragment: str) -> int:
    return sum(fragment in (r.get("text") or "") for _, replies in conversation.transcript for r in replies)


# -- 1. common surnames are names ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["Germaine Rousseau", "Nathalie Bonnet", "Anne Faure", "Hugo Vincent", "Jeanne Petit"])
def test_common_surnames_are_accepted_at_once(assistant, organisation, name):
    conversation = Conversation(assistant)
    to_name_question(conversation)
    assert NIR_QUESTION in conversation.say_text(name), conversation.dump()
    assert asked_count(conversation, NAME_QUESTION) == 1


# -- 2. stop, then « non je continue » -----------------------------------------------------------------------

@pytest.mark.parametrize("answer", ["non je continue", "je continue", "Non, continuer"])
def test_stop_then_continue_resumes_the_same_question(assistant, organisation, answer):
    conversation = Conversation(assistant)
    to_name_question(conversation)
    conversation.say_text("Marie Martin")
    assert "vraiment abandonner" in conversation.say_text("stop")
    resumed = conversation.say_text(answer)
    assert "reprenons" in resumed and NIR_QUESTION in resumed, conversation.dump()
    assert CONTACT_QUESTION in conversation.say_text(grouped(NIR)), conversation.dump()
    assert conversation.slots()["member_identifier"].startswith("2 90 **")


# -- 3 and 8. the recap, typed --------------------------------------------------------------------------------

def fill_to_recap(conversation: Conversation, contact: str = "marie.martin@example.org") -> str:
    to_name_question(conversation)
    conversation.say_text("Marie Martin")
    conversation.say_text(grouped(NIR))
    conversation.say_text(contact)
    conversation.say_text("contrat individuel")
    conversation.say_text("Délai de traitement")
    conversation.say_text("non pas vraiment de décision")
    conversation.say_text("nn")
    recap = conversation.say_text("non")
    assert "récapitulatif" in recap, conversation.dump()
    return recap


def test_typed_recap_correction_and_typed_confirmation(assistant, organisation, store):
    conversation = Conversation(assistant)
    recap = fill_to_recap(conversation)
    assert "Délai de traitement" in recap
    menu = conversation.say(("Corriger un élément"))
    assert "Revenir au récapitulatif" in buttons(menu), conversation.dump()
    assert "récapitulatif" in conversation.say_text("Revenir au récapitulatif")
    conversation.say_text("Corriger un élément")
    assert CONTACT_QUESTION in conversation.say_text("le mail"), conversation.dump()
    assert "m***@example.com" in conversation.say_text("m.martin@example.com")
    done = conversation.say_text("bon ok, j'envoie")
    reference = REFERENCE_RE.search(done)
    assert reference, conversation.dump()
    recorded = store.get_complaint(reference.group(0))
    assert recorded.contested_decision is None  # « non pas vraiment de décision »
    assert recorded.nature == "delai_traitement"
    assert recorded.description == GRIEVANCE  # the detailed first message, not a later one
    assert "incident technique" not in conversation.dump()


# -- 4. several facts in one message ---------------------------------------------------------------------------

def test_name_nir_and_email_in_one_message(assistant, organisation):
    conversation = Conversation(assistant)
    to_name_question(conversation)
    replies = conversation.say_text(
        f"je m'appelle Jeanne Petit, mon numéro de sécu est {grouped(NIR)}, mail jeanne.petit@example.org"
    )
    assert "J'ai aussi noté" in replies and HOLDER_QUESTION in replies, conversation.dump()
    assert NIR not in replies and grouped(NIR) not in replies
    slots = conversation.slots()
    assert slots["member_name"] == "Jeanne Petit"
    assert slots["contact"] == "j***@example.org"


def test_a_phone_given_with_the_nir_is_kept(assistant, organisation):
    conversation = Conversation(assistant)
    to_name_question(conversation)
    conversation.say_text("Marie Martin")
    replies = conversation.say_text(f"{grouped(NIR)} et mon portable 06 12 34 56 78")
    assert HOLDER_QUESTION in replies, conversation.dump()
    assert conversation.slots()["contact"] == "06 ** ** ** 78"


def test_member_number_typed_at_the_nir_question(assistant, organisation):
    conversation = Conversation(assistant)
    to_name_question(conversation)
    conversation.say_text("Marie Martin")
    assert CONTACT_QUESTION in conversation.say_text("J'AI MON NUMERO D'ADHERENT C'EST 4587221"), conversation.dump()
    assert conversation.slots()["member_identifier"] == "****221"


# -- 5. facts of the opening message are not asked again --------------------------------------------------------

@pytest.mark.parametrize("organisation", ["klesia"], indirect=True)
def test_opening_message_facts_are_not_asked_again(assistant, organisation):
    conversation = Conversation(assistant)
    opening = conversation.say_text(
        "J'ai envoyé une réclamation écrite à KLESIA le 3 septembre 2026 et je n'ai eu aucune réponse"
    )
    assert "réclamation" in opening and "3 septembre 2026" in opening, conversation.dump()
    conversation.say_text("oui")
    conversation.say_text("Jeanne Petit")
    conversation.say_text("4587221")
    conversation.say_text("jeanne.petit@example.org")
    conversation.say_text("Transports Marel")
    conversation.say_text("Remboursement")
    conversation.say_text("Aucune")
    conversation.say_text("non")
    assert "Avez-vous déjà envoyé une réclamation écrite" not in conversation.dump()
    assert "À quelle date avez-vous envoyé" not in conversation.dump()
    slots = conversation.slots()
    assert slots["first_complaint_date"] == "2026-09-03" and slots["answer_received"] is False


def test_signature_court_action_and_decision_in_a_pasted_letter(assistant, organisation):
    conversation = Conversation(assistant)
    conversation.say_text(
        "Madame, Monsieur, je conteste votre décision du 12 octobre refusant le remboursement de mes lunettes. "
        "Mon avocat a saisi le tribunal. Cordialement, Marie Dupont"
    )
    conversation.say_text("oui")
    assert NAME_QUESTION not in conversation.dump(), conversation.dump()
    slots = conversation.slots()
    assert slots["member_name"] == "Marie Dupont" and slots["court_action"] is True
    assert "décision du 12 octobre" in slots["contested_decision"]


# -- 6. routing with the organisation as context -----------------------------------------------------------------

@pytest.mark.parametrize("organisation", ["klesia"], indirect=True)
def test_prevoyance_refusal_is_a_complaint_to_klesia_not_a_cpam_appeal(assistant, organisation):
    conversation = Conversation(assistant)
    text = conversation.say_text(
        "Vous avez refusé de prendre en charge mon arrêt de travail au titre de la prévoyance, je conteste cette décision"
    )
    assert "Acceptez-vous de continuer" in text and "médicale ou administrative" not in text, conversation.dump()
    assert conversation.slots()["concerned_body"] == "insurer"


def test_cpam_and_insurer_in_one_message(assistant, organisation):
    conversation = Conversation(assistant)
    text = conversation.say_text("La CPAM a refusé mes IJ et ma mutuelle refuse le complément prévoyance")
    assert "36 46" in text and "J'enregistre ici la partie qui concerne" in text, conversation.dump()
    assert "Acceptez-vous de continuer" in text


def test_a_dentists_overbilling_is_not_a_complaint_against_the_organisation(assistant, organisation):
    conversation = Conversation(assistant)
    text = conversation.say_text("Mon dentiste m'a facturé 300 euros de dépassement sans devis, c'est honteux")
    assert "praticien" in text and "Ordre" in text and "envers votre organisme" not in text, conversation.dump()
    assert "Acceptez-vous" not in text


def test_a_contested_overpayment_is_a_complaint(assistant, organisation):
    conversation = Conversation(assistant)
    text = conversation.say_text("vous me réclamez un trop perçu de 800 euros que je conteste formellement")
    assert "Il s'agit d'une réclamation" in text and "pas sûr d'avoir bien compris" not in text, conversation.dump()


def test_ambiguous_sick_leave_gets_one_short_question(assistant, organisation):
    conversation = Conversation(assistant)
    replies = conversation.say("mes indemnités journalières ne sont toujours pas versées depuis un mois")
    assert "Ma prévoyance" in buttons(replies), conversation.dump()
    text = conversation.say_text("la sécu")
    assert "36 46" in text, conversation.dump()
    assert conversation.slots()["concerned_body"] == "cpam"


# -- 7. every entry path is qualified ------------------------------------------------------------------------

@pytest.mark.parametrize(
    "message, body",
    [
        ("Je suis insatisfait de la qualité de la réponse de votre service gestion", "insurer"),
        ("J'ai fait une réclamation auprès de la CPAM il y a un mois, aucune réponse", "cpam"),
        ("Je ne suis pas d'accord avec la décision du médecin conseil", "cpam"),
    ],
)
def test_paths_that_skipped_the_qualification(assistant, organisation, message, body):
    conversation = Conversation(assistant)
    text = conversation.say_text(message)
    assert "Il s'agit d'une réclamation" in text, conversation.dump()
    slots = conversation.slots()
    assert (slots["request_kind"], slots["concerned_body"]) == ("complaint", body)


def test_an_explicit_wish_to_complain_is_the_qualification(assistant, organisation):
    conversation = Conversation(assistant)
    text = conversation.say_text("je veux faire une réclamation")
    assert "vous souhaitez faire une réclamation" in text and "Décrivez" in text
    assert conversation.slots()["request_kind"] == "complaint"
    assert "Acceptez-vous de continuer" in conversation.say_text(
        "on m'a prélevé deux fois ma cotisation en octobre et personne ne me rembourse"
    ), conversation.dump()


# -- 8. typed answers to button questions ---------------------------------------------------------------------

def test_help_and_a_way_out_at_the_nir_question(assistant, organisation):
    conversation = Conversation(assistant)
    to_name_question(conversation)
    conversation.say_text("Marie Martin")
    explained = conversation.say_text("c'est quoi un NIR ?")
    assert "15 caractères" in explained and "n'est pas valide" not in explained, conversation.dump()
    assert "vraiment abandonner" in conversation.say_text("laissez tomber c'est trop compliqué"), conversation.dump()


def test_two_misses_offer_buttons_and_a_person_never_a_third_identical_question(assistant, organisation):
    conversation = Conversation(assistant)
    to_name_question(conversation)
    conversation.say_text("Marie Martin")
    conversation.say_text("1234")
    replies = conversation.say("12345")
    assert "Parler à un conseiller" in buttons(replies) and "Arrêter" in buttons(replies), conversation.dump()
    assert asked_count(conversation, NIR_QUESTION) == 2  # then a shorter re-ask, not a third identical one
    person = conversation.say_text("je veux parler à un conseiller")
    assert "01 47 70 30 97" in person, conversation.dump()


def test_a_bare_date_after_the_cpam_offer_gives_the_appeal_deadline(assistant, organisation):
    conversation = Conversation(assistant)
    conversation.say_text("La CPAM ne m'a toujours pas versé mes indemnités journalières, c'est inadmissible")
    conversation.say_text("15/10/2026")
    text = conversation.say_text("administrative")
    assert "2026" in text and "Je ne sais pas comment donner suite" not in conversation.dump(), conversation.dump()
    assert conversation.slots()["cpam_appeal_until"] is not None


# -- 9. approximate dates -------------------------------------------------------------------------------------

def test_an_approximate_date_asks_the_exact_one_then_counts_from_the_earliest_day(assistant, organisation):
    conversation = Conversation(assistant)
    to_name_question(conversation)
    for answer in ("Marie Martin", grouped(NIR), "marie.martin@example.org", "contrat individuel", "remboursement",
                   "aucune"):
        conversation.say_text(answer)
    exact = conversation.say_text("oui mi-octobre")
    assert "date exacte" in exact and "samedi 10 octobre 2026" in exact, conversation.dump()
    kept = conversation.say_text("je ne sais pas")
    assert "à partir du samedi 10 octobre 2026" in kept, conversation.dump()
    assert conversation.slots()["first_complaint_date"] == "2026-10-10"


# -- 10. what gets recorded -------------------------------------------------------------------------------------

def test_what_is_recorded_reads_well(assistant, organisation, store):
    conversation = Conversation(assistant)
    to_name_question(conversation)
    for answer in ("je m'appelle germaine rousseau", grouped(NIR), "g.rousseau@example.org",
                   "c'est mon employeur, la société Transports Marel", "remboursement", "aucune", "non", "non"):
        conversation.say_text(answer)
    done = conversation.say_text("Confirmer")
    reference = REFERENCE_RE.search(done)
    assert reference, conversation.dump()
    recorded = store.get_complaint(reference.group(0))
    assert recorded.member_name == "Germaine Rousseau"
    assert recorded.contract_holder == "Transports Marel"
    assert recorded.description == GRIEVANCE


# -- members' round 3 (docs/understanding.md): what members typed that the assistant missed ---------------------

def test_a_continue_with_a_grumble_resumes_and_keeps_the_description(assistant, organisation, store):
    conversation = Conversation(assistant)
    to_name_question(conversation)
    assert "vraiment abandonner" in conversation.say_text("stop")
    resumed = conversation.say_text("non je continue, ca sert a rien dappeler ils decrochent pa")
    assert "reprenons" in resumed and NAME_QUESTION in resumed, conversation.dump()
    assert conversation.slots()["complaint_description"] == GRIEVANCE


def test_the_privacy_notice_answered_about_a_practitioner(assistant, organisation):
    conversation = Conversation(assistant)
    notice = conversation.say_text(
        "Bonjour, on me demande de payer 300 euros de plus que prévu pour mes soins dentaires, vous ne me répondez pas")
    assert "Acceptez-vous de continuer" in notice, conversation.dump()
    replies = conversation.say_text("ce n'est pas CPMS qui est en cause, c'est mon dentiste")
    assert "praticien" in replies and "Acceptez-vous" not in replies, conversation.dump()
    assert conversation.slots()["member_name"] is None


def test_no_complaint_wanted_at_the_privacy_notice(assistant, organisation):
    conversation = Conversation(assistant)
    conversation.say_text("ma mutuelle a augmenté ma cotisation de 30 euros sans prévenir")
    replies = conversation.say_text("Dans ce cas je refuse, je ne veux pas faire de réclamation")
    assert "ce n'est pas une réclamation, je n'enregistre rien" in replies, conversation.dump()
    assert conversation.slots()["request_kind"] == "information"


@pytest.mark.parametrize("closing", ["merci, au revoir", "non c'est tout, bonne journée", "rien merci bye"])
def test_closings_are_understood(assistant, organisation, closing):
    conversation = Conversation(assistant)
    conversation.say_text("combien de temps pour être remboursé par la mutuelle ?")
    assert "Au revoir" in conversation.say_text(closing), conversation.dump()


def test_why_this_datum_and_an_employer_by_name(assistant, organisation):
    conversation = Conversation(assistant)
    to_name_question(conversation)
    conversation.say_text("Jean Dupont")
    why = conversation.say_text("pourquoi vous avez besoin de ça ?")
    assert "retrouver votre dossier" in why and NIR_QUESTION in why, conversation.dump()
    conversation.say_text(grouped(NIR))
    conversation.say_text("jean.dupont@example.org")
    assert "nom de votre employeur" in conversation.say_text("par mon taf"), conversation.dump()
    conversation.say_text("cest transports leroy")
    assert conversation.slots()["contract_holder"] == "Transports Leroy"


def test_recap_corrections_with_their_values(assistant, organisation):
    conversation = Conversation(assistant)
    fill_to_recap(conversation)
    recap = conversation.say_text("rajoute mon tel 06 00 00 00 56 et le motif c'est plutôt remboursement")
    assert "m***@example.org, 06 ** ** ** 56" in recap and "Motif : Remboursement" in recap, conversation.dump()
    assert "Confirmez-vous" in recap


def test_a_documents_question_after_recording(assistant, organisation):
    conversation = Conversation(assistant)
    fill_to_recap(conversation)
    assert REFERENCE_RE.search(conversation.say_text("je confirme")), conversation.dump()
    replies = conversation.say_text("je peux envoyer la facture par mail ?")
    assert "Pour ajouter des pièces à votre réclamation REC-" in replies, conversation.dump()


@pytest.mark.parametrize("refusal", ["Je refuse", "non", "je refuse. c une question pas une reclamation"])
def test_a_refused_privacy_notice_ends_the_form(assistant, organisation, refusal):
    conversation = Conversation(assistant)
    conversation.say_text("ma mutuelle a augmenté ma cotisation de 30 euros sans prévenir")
    replies = conversation.say_text(refusal)
    assert "je n'enregistre rien" in replies and NAME_QUESTION not in replies, conversation.dump()
    slots = conversation.slots()
    assert slots["requested_slot"] is None and slots["privacy_accepted"] is None


def test_the_notice_refused_then_accepted_after_all_keeps_the_statement(assistant, organisation):
    # members' round 18 (m18-A-03): the statement was lost, « bon ok finalement jaccepte… » became the description
    conversation = Conversation(assistant)
    conversation.say_text("ma mutuelle a augmenté ma cotisation de 30 euros sans prévenir")
    assert "je n'enregistre rien" in conversation.say_text("non jrefuse vous allez encore vendre mes donnees")
    replies = conversation.say_text("bon ok finalement jaccepte, faut bien que ca bouge")
    assert "je reprends votre réclamation" in replies and NAME_QUESTION in replies, conversation.dump()
    slots = conversation.slots()
    assert slots["privacy_accepted"] is True and "augmenté ma cotisation" in slots["complaint_description"]


def test_facts_that_come_with_a_continue_or_a_yes_are_kept(assistant, organisation):
    conversation = Conversation(assistant)
    assert "Acceptez-vous" in conversation.say_text(GRIEVANCE)
    assert NIR_QUESTION in conversation.say_text("oui. Sophie Garnier"), conversation.dump()
    assert CONTACT_QUESTION in conversation.say_text(grouped(NIR))
    assert "vraiment abandonner" in conversation.say_text("stop")
    resumed = conversation.say_text("non je continue, mon tel c'est 06 00 00 00 21")
    assert HOLDER_QUESTION in resumed, conversation.dump()
    slots = conversation.slots()
    assert slots["member_name"] == "Sophie Garnier" and slots["contact"] == "06 ** ** ** 21"


def test_name_written_surname_comma_first_name(assistant, organisation):
    conversation = Conversation(assistant)
    to_name_question(conversation)
    assert NIR_QUESTION in conversation.say_text("Lefebvre, Simone"), conversation.dump()


def test_a_word_asked_about_mid_question_is_explained(assistant, organisation):
    conversation = Conversation(assistant)
    to_name_question(conversation)
    conversation.say_text("Jean Dupont")
    conversation.say_text(grouped(NIR))
    conversation.say_text("jean.dupont@example.org")
    replies = conversation.say_text("ça veut dire quoi souscrit ?")
    assert "Le souscripteur est celui qui a signé le contrat" in replies and HOLDER_QUESTION in replies, conversation.dump()
    assert conversation.slots()["contract_holder"] is None


def test_the_status_check_can_be_left_by_typing(assistant, organisation):
    conversation = Conversation(assistant)
    assert "référence" in conversation.say_text("Où en est ma réclamation ?"), conversation.dump()
    assert "Au revoir" in conversation.say_text("Merci et bonne soirée"), conversation.dump()
    other = Conversation(assistant)
    other.say_text("Où en est ma réclamation ?")
    replies = other.say_text("je veux faire une nouvelle réclamation, ma mutuelle ne rembourse pas mes lunettes")
    assert "Il s'agit d'une réclamation" in replies and "Acceptez-vous" in replies, other.dump()


# -- an answer and a question in one message (after round 5) ------------------------------------------------

def test_an_answer_with_a_question_keeps_the_answer_and_answers_the_question(assistant, organisation):
    conversation = Conversation(assistant)
    to_name_question(conversation)
    replies = conversation.say_text("Germaine Rousseau. Au fait ils ont combien de temps pour me répondre ?")
    assert "doit accuser réception" in replies and NIR_QUESTION in replies, conversation.dump()
    assert conversation.slots()["member_name"] == "Germaine Rousseau"
    replies = conversation.say_text(f"{grouped(NIR)}, et le médiateur c'est quoi ?")
    assert "médiateur est une personne indépendante" in replies and CONTACT_QUESTION in replies, conversation.dump()
    assert conversation.slots()["member_identifier"].startswith("2 90 **")
    assert asked_count(conversation, NAME_QUESTION) == 1 and asked_count(conversation, NIR_QUESTION) == 1


def test_continue_typed_without_a_stop_resumes_the_question(assistant, organisation):
    conversation = Conversation(assistant)
    to_name_question(conversation)
    resumed = conversation.say_text("non je continue")
    assert "reprenons" in resumed and NAME_QUESTION in resumed, conversation.dump()


def test_a_stop_at_the_end_of_an_angry_message_is_a_stop(assistant, organisation):
    conversation = Conversation(assistant)
    to_name_question(conversation)
    assert "vraiment abandonner" in conversation.say_text("j'en ai marre, STOP"), conversation.dump()


def test_the_employer_typed_for_the_name_is_the_contract_holder(assistant, organisation):
    conversation = Conversation(assistant)
    to_name_question(conversation)
    replies = conversation.say_text("par mon employeur, Boulangeries Durand")
    assert "souscripteur" in replies and NAME_QUESTION in replies, conversation.dump()
    assert conversation.slots()["member_name"] is None
    assert conversation.slots()["contract_holder"] == "Boulangeries Durand"
    conversation.say_text("Germaine Rousseau")
    conversation.say_text(grouped(NIR))
    assert HOLDER_QUESTION not in conversation.say_text("germaine@example.org"), conversation.dump()


def test_a_correction_typed_mid_form_with_its_value_is_taken(assistant, organisation):
    conversation = Conversation(assistant)
    to_name_question(conversation)
    assert NIR_QUESTION in conversation.say_text("Je suis Madame Vasseur, Marguerite."), conversation.dump()
    assert conversation.slots()["member_name"] == "Vasseur Marguerite"
    replies = conversation.say_text("corriger la description : les taxis conventionnés pour l'hôpital depuis septembre "
                                    "et rien de la mutuelle")
    assert "C'est corrigé : description" in replies and NIR_QUESTION in replies, conversation.dump()
    assert conversation.slots()["complaint_description"].startswith("les taxis conventionnés")


def test_the_kind_of_cpam_decision_can_be_corrected_after_the_deadline(assistant, organisation):
    conversation = Conversation(assistant)
    conversation.say("Je veux contester une décision de la CPAM sur mon taux d'invalidité")
    text = conversation.say_text("le 2 novembre")
    if "Médicale" in " ".join(buttons(conversation.transcript[-1][1])):
        text = conversation.say_text("médicale")
    assert "Commission médicale de recours amiable" in text, conversation.dump()
    text = conversation.say_text("mais non c pas medical c administratif, c est un retard d envoi")
    assert "Commission de recours amiable (CRA)" in text and "médicale de recours" not in text, conversation.dump()
    assert conversation.slots()["cpam_decision_medical"] is False


@pytest.mark.parametrize("answer", ["je ne l'ai plus", "j'ai perdu la référence"])
def test_a_status_check_without_the_reference_says_where_to_find_it_and_ends(assistant, organisation, answer):
    conversation = Conversation(assistant)
    assert "référence" in conversation.say_text("Où en est ma réclamation ?"), conversation.dump()
    text = conversation.say_text(answer)
    assert "message qui a confirmé l'enregistrement" in text and "contactez-la" in text, conversation.dump()
    assert conversation.slots()["status_reference"] is None
    # the form is over: a new complaint is qualified as one
    assert "réclamation" in conversation.say_text(GRIEVANCE), conversation.dump()


def test_the_carrier_type_can_be_corrected_after_the_mediator_was_named(assistant, organisation):
    conversation = Conversation(assistant)
    text = conversation.say_text("J'ai écrit à CPMS le 2 juin 2026 pour contester un refus, ils m'ont répondu le 10 "
                                 "juillet et la réponse ne me satisfait pas. Je veux saisir le médiateur.")
    assert "vous satisfait-elle" not in text, conversation.dump()  # said in the message: not asked again
    for _ in range(4):  # the questions the mediation form still needs (another mediator, the carrier)
        if "Médiateur de la protection sociale" in text:
            break
        text = conversation.say_text("une institution de prévoyance" if "type d'organisme" in text else
                                     "le contrat" if "sur le contrat" in text else "non")
    assert "Médiateur de la protection sociale" in text, conversation.dump()
    text = conversation.say_text("Mais non, c'est une société d'assurance, régie par le Code des assurances")
    assert "Médiation de l'Assurance" in text, conversation.dump()
    assert conversation.slots()["carrier_type"] == "societe_assurance"


def test_a_member_without_any_number_files_the_complaint(assistant, organisation):
    conversation = Conversation(assistant)
    to_name_question(conversation)
    conversation.say_text("Bourdon, Colette, née Vasseur")
    assert conversation.slots()["member_name"] == "Bourdon Colette", conversation.dump()
    text = conversation.say_text("Je n'ai aucun numéro, on m'a volé mon sac avec mes cartes")
    assert "pas bloquant" in text and CONTACT_QUESTION in text, conversation.dump()
    assert asked_count(conversation, NIR_QUESTION) == 1


def test_the_privacy_notice_answered_with_a_status_request_checks_the_status(assistant, organisation):
    conversation = Conversation(assistant)
    assert "Acceptez-vous de continuer" in conversation.say_text(GRIEVANCE)
    text = conversation.say_text("non je veux juste suivre celle que j'ai déjà faite")
    assert "je n'enregistre rien" not in text and "référence" in text, conversation.dump()


def test_the_privacy_notice_answered_with_a_mediator_request_is_not_a_refusal(assistant, organisation):
    conversation = Conversation(assistant)
    assert "Acceptez-vous de continuer" in conversation.say_text(GRIEVANCE)
    text = conversation.say_text("Je ne veux pas refaire une réclamation, j'en ai déjà fait une le 3 septembre 2026 "
                                 "sans réponse, je veux savoir comment saisir le médiateur")
    assert "je n'enregistre rien" not in text and "médiateur" in text, conversation.dump()


# -- round 8: what members typed that was still misunderstood ------------------------------------------------

def test_round8_a_member_number_at_the_nir_question_a_question_with_the_consent_and_a_goodbye(assistant, organisation,
                                                                                              store):
    conversation = Conversation(assistant)
    opening = conversation.say_text("la secu a remboursé mes lunettes mais vous rien du tout depuis septembre, c'est "
                                    "honteux")
    assert "envers votre organisme" in opening and "Assurance Maladie" not in opening.split("Avant de commencer")[0]
    consent = conversation.say_text("ok jaccepte, c long ?")
    assert "Les délais courent" in consent and NAME_QUESTION in consent, conversation.dump()
    assert conversation.slots()["member_name"] is None
    conversation.say_text("Benali Karim")
    assert CONTACT_QUESTION in conversation.say_text("je préfère vous donner mon numéro d'adhérent, c'est le "
                                                     "00483921"), conversation.dump()
    assert conversation.slots()["member_identifier"] == "*****921"
    conversation.say_text("k.benali@example.org")
    person = conversation.say_text("Attendez, est-ce que je pourrais plutôt parler à quelqu'un ?")
    assert "01 47 70 30 97" in person and HOLDER_QUESTION in person, conversation.dump()
    assert conversation.slots()["contract_holder"] is None  # « Attendez » is no holder
    conversation.say_text("c'est un contrat individuel")
    conversation.say_text("Remboursement")
    conversation.say_text("juste aucune")
    conversation.say_text("Par écrit, non")
    assert "récapitulatif" in conversation.say_text("Un procès… ? Non"), conversation.dump()
    done = conversation.say_text("je confirme. et c'est gratuit ?")
    reference = REFERENCE_RE.search(done)
    assert reference and "gratuit" in done, conversation.dump()
    assert store.get_complaint(reference.group(0)).contested_decision is None
    assert "Au revoir" in conversation.say_text(f"Très bien, je note la référence {reference.group(0)}. Merci, bonne "
                                                "journée"), conversation.dump()
    # a status check with its proof in one message, then where to send documents: no second check, no new form
    member = Conversation(assistant)
    status = member.say_text(f"où en est ma réclamation {reference.group(0)} ? les 4 derniers chiffres de mon numéro "
                             "d'adhérent : 3921")
    assert "en cours de traitement" in status, member.dump()
    documents = member.say_text(f"je veux ajouter des documents à ma réclamation {reference.group(0)}")
    assert "qualite@cpms.fr" in documents and "4 derniers" not in documents, member.dump()


def test_round8_a_mediator_question_with_a_holding_reply(assistant, organisation):
    conversation = Conversation(assistant)
    text = conversation.say_text(
        "Bonsoir. CPMS continue de virer mes remboursements sur mon ancien compte, qui est clôturé. J'ai envoyé un "
        "mail au service qualité le 9 novembre, on m'a juste répondu « nous revenons vers vous ». Je peux saisir le "
        "médiateur directement ?")
    assert "Voyons si vous pouvez saisir le médiateur" in text and "Acceptez-vous" not in text, conversation.dump()
    assert "sans réponse à ce jour" in text and "récapitulatif" not in text, conversation.dump()


# -- round 10: what was recorded, changed afterwards ----------------------------------------------------------

CALLBACK_REFERENCE_RE = re.compile(r"RAP-\d{4}-[A-Z0-9]{6}")


def test_round10_a_new_phone_after_recording_then_a_callback_moved_and_cancelled(assistant, organisation, store):
    conversation = Conversation(assistant)
    fill_to_recap(conversation)
    reference = REFERENCE_RE.search(conversation.say_text("je confirme")).group(0)
    changed = conversation.say_text("ah zut, mon numéro de téléphone a changé, c'est le 06 00 00 00 14 maintenant")
    assert f"pour votre réclamation {reference}" in changed and "06 ** ** ** 14" in changed, conversation.dump()
    assert "0600000014" not in changed and "Acceptez-vous" not in changed
    assert store.get_complaint(reference).phone == "+33600000014"
    asked = conversation.say("je voudrais être rappelée s'il vous plait")
    assert "06 ** ** ** 14" in asked[-1]["text"], conversation.dump()  # the new number offered
    replies = conversation.say("oui")
    window = [b for b in replies[-1]["buttons"] if b["payload"] != "/stop"][0]
    first = CALLBACK_REFERENCE_RE.search(conversation.say_text(window["payload"])).group(0)
    moved = conversation.say_text("finalement pouvez-vous décaler le rappel à mardi après-midi ?")
    assert f"J'annule le rappel {first}" in moved, conversation.dump()
    second = CALLBACK_REFERENCE_RE.findall(moved)[-1] if "rappellera" in moved else None
    if second is None:  # the time was not read from the message: asked, with the same number
        assert "Quand souhaitez-vous être rappelé" in moved, conversation.dump()
        later = conversation.say_text("mardi 14h")
        second = CALLBACK_REFERENCE_RE.search(later).group(0)
    assert second != first
    cancelled = conversation.say_text("et en fait annulez le rappel, j'appellerai moi-même")
    assert f"le rappel {second}, prévu " in cancelled and "est annulé" in cancelled, conversation.dump()
    assert store.callbacks_of_conversation(store._cipher.conversation_key(conversation.sender)) == []


def test_round10_a_status_without_reference_and_a_contact_change_after_the_check(assistant, organisation, store):
    conversation = Conversation(assistant)
    fill_to_recap(conversation)
    reference = REFERENCE_RE.search(conversation.say_text("je confirme")).group(0)
    member = Conversation(assistant)
    lost = member.say_text("Bonjour je voudrais savoir où en est ma réclamation, je n'ai pas le numéro de référence, "
                           "vous pouvez la retrouver avec mon nom ?")
    assert "accessible ici qu'avec sa référence" in lost and "Acceptez-vous" not in lost, member.dump()
    check = member.say_text(f"j'ai retrouvé la référence : {reference}, il faut changer mon mail dessus, le nouveau "
                            "c'est marie.nouvelle@example.org")
    assert "vérifier" in check, member.dump()
    done = member.say_text("marie.martin@example.org")  # the proof: the e-mail given with the complaint
    assert f"pour votre réclamation {reference}" in done and "m***@example.org" in done, member.dump()
    assert store.get_complaint(reference).email == "marie.nouvelle@example.org"
    again = member.say_text(f"et où en est {reference} ?")
    assert "en cours de traitement" in again and "Pour vérifier" not in again, member.dump()  # checked once


def test_round10_a_callback_asked_with_the_confirmation(assistant, organisation):
    conversation = Conversation(assistant)
    fill_to_recap(conversation)
    done = conversation.say_text("je confirme, et rappelez-moi demain s'il vous plaît")
    assert REFERENCE_RE.search(done) and "peut vous rappeler" in done, conversation.dump()


def test_round10_a_yes_taken_as_satisfied_is_corrected_in_words(assistant, organisation):
    conversation = Conversation(assistant)
    conversation.say_text("Bonjour. J'ai envoyé un recommandé à CPMS le 06/10/2026, ils m'ont répondu le 18 novembre "
                          "avec des excuses. Je voudrais savoir si je peux saisir le médiateur.")
    for _ in range(4):  # the mediation questions until « satisfied? », answered as this member did
        last = conversation.transcript[-1][1][-1].get("text") or ""
        if "satisfait" in last:
            break
        conversation.say_text("Non")
    assert "Vous êtes satisfait" in conversation.say_text("Oui, le 18 novembre comme je vous ai dit"), \
        conversation.dump()
    corrected = conversation.say_text("mais NON je ne suis pas satisfait ! corrigez ça")
    assert "Vous êtes satisfait" not in corrected and "Acceptez-vous" not in corrected, conversation.dump()
    assert conversation.slots()["answer_satisfied"] is False


def test_round11_a_callback_asked_beside_an_answer_comes_after_the_recording(assistant, organisation):
    conversation = Conversation(assistant)
    wish = "marie.martin@example.org. ET JE VEUX QU'ON ME RAPPELLE DEMAIN MATIN"
    fill_to_recap(conversation, contact=wish)
    noted = next(" ".join(r.get("text") or "" for r in replies) for said, replies in conversation.transcript
                 if said == wish)
    assert "je vous demanderai quand vous rappeler" in noted and HOLDER_QUESTION in noted, conversation.dump()
    done = conversation.say_text("je confirme")
    assert REFERENCE_RE.search(done) and "peut vous rappeler" in done, conversation.dump()


def test_round12_a_call_back_asked_for_in_words_at_the_privacy_notice(assistant, organisation):
    # m12-B-05: « Je ne peux pas répondre à cette question ici » twice, then 12 h – 14 h for « entre 10 h et midi »
    conversation = Conversation(assistant)
    conversation.say_text("Depuis la Toussaint j'ai téléphoné deux fois pour donner ma nouvelle adresse et tout mon "
                          "courrier de la mutuelle va encore à mon ancienne maison. Je trouve cela très peu aimable.")
    asked = conversation.say_text("Je ne sais pas trop. Plutôt que d'écrire tout cela, est-ce qu'une personne "
                                  "pourrait me rappeler ?")
    assert "À quel numéro de téléphone" in asked and "ne peux pas répondre" not in asked, conversation.dump()
    when = conversation.say_text("Au 06 00 00 00 75, c'est le portable de ma fille.")
    assert "Quand souhaitez-vous être rappelé" in when, conversation.dump()
    booked = conversation.say_text("lundi entre 10 heures et midi")
    assert "entre 10 h et 12 h" in booked and CALLBACK_REFERENCE_RE.search(booked), conversation.dump()


def test_round12_sms_confirmation_and_corrections_at_the_recap(assistant, organisation):
    # m12-A-04: « motif c cotisation jtai dit. et mon mail c … » half applied; « cest bon confirmer » not understood
    conversation = Conversation(assistant)
    fill_to_recap(conversation)
    recap = conversation.say_text("motif c cotisation jtai dit. et mon mail c marie.m@example.org")
    assert "Motif : Cotisation" in recap and "m***@example.org" in recap, conversation.dump()
    done = conversation.say_text("cest bon confirmer")
    assert REFERENCE_RE.search(done) and "pas compris" not in done, conversation.dump()


def test_round12_a_rate_is_no_member_number_and_the_organisation_paid_less(assistant, organisation):
    # m12-A-03: routed to the surgeon, then « votre numéro (***250) » and the NIR never asked
    conversation = Conversation(assistant)
    first = conversation.say_text("OPERE LE 6 NOVEMBRE, LE CHIRURGIEN A PRIS 600 EUROS DE DEPASSEMENT ET VOUS ME "
                                  "REMBOURSEZ 95 EUROS. MON CONTRAT DIT 250% !!!!")
    assert "Il s'agit d'une réclamation" in first and "pas une réclamation contre" not in first, conversation.dump()
    assert "Acceptez-vous de continuer" in first, conversation.dump()  # the organisation's part is recorded
    conversation.say_text("oui")
    conversation.say_text("Fabrice Lenoir")
    said = " ".join(r.get("text") or "" for _, replies in conversation.transcript for r in replies)
    assert "***250" not in said, conversation.dump()
    assert NIR_QUESTION in conversation.transcript[-1][1][-1].get("text", ""), conversation.dump()


def test_two_call_backs_the_one_meant_and_a_detail_added_after_recording(assistant, organisation, store):
    """Members' round 15 (m15-D-02) and 16 (m16-C-03): a call-back asked in the member's words at the opening, moved
    with a new number, « l'autre rappel … sur le 27, il est bien annulé ? » answered without cancelling the one
    kept; then a complaint recorded and « attendez j'avais pas fini » added to it."""
    conversation = Conversation(assistant)
    asked = conversation.say_text("Bonjour, je voudrais qu'un conseiller me rappelle s'il vous plaît, au 06 00 00 00 27")
    assert "Quand souhaitez-vous être rappelé" in asked, conversation.dump()
    first = CALLBACK_REFERENCE_RE.search(conversation.say_text("jeudi entre 14h et 15h")).group(0)
    moved = conversation.say_text("ah non zut, jeudi je suis de garde. vous pouvez mettre vendredi vers 10h plutôt ? "
                                  "et sur le 06 00 00 00 72, c'est mon deuxième portable")
    assert f"J'annule le rappel {first}" in moved and "06 ** ** ** 72" in moved, conversation.dump()
    second = CALLBACK_REFERENCE_RE.findall(moved)[-1]
    status = conversation.say_text("ok. et l'autre rappel de jeudi sur le 27, il est bien annulé ? je ne veux pas deux "
                                   "appels")
    assert f"{first} (" in status and "est bien annulé" in status, conversation.dump()
    booked = store.callbacks_of_conversation(store._cipher.conversation_key(conversation.sender))
    assert [c.reference for c in booked] == [second] and booked[0].phone_masked == "06 ** ** ** 72"

    conversation.say_text(GRIEVANCE)
    for answer in ("J'accepte", "Martin Sophie", grouped(NIR), "sophie.martin@example.org", "contrat individuel",
                   "Remboursement", "aucune", "non", "non"):
        conversation.say_text(answer)
    reference = REFERENCE_RE.search(conversation.say_text("Confirmer")).group(0)
    added = conversation.say_text("attendez j'avais pas fini !! je demande aussi le remboursement des 70 € de la "
                                  "monture")
    assert f"j'ajoute à votre réclamation {reference}" in added, conversation.dump()
    assert store.get_complaint(reference).description.endswith("Je demande aussi le remboursement des 70 € de la "
                                                               "monture")
