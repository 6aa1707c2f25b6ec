"""recours.facts: every fact one message carries, validated (issue 11, defects 4, 5 and 10)."""

from __future__ import annotations

from datetime import date

import pytest

from recours import facts
from recours.facts import clean_holder, clean_name, extract_facts, name_in, remove_identifiers
from recours.natures import match_nature
from tests.nirs import grouped, make_nir, with_wrong_key
from tests.cases import cases

TODAY = date(2026, 12, 1)
NIR = make_nir(sex=2, year=90, month=5, department="2A", commune="004", order="312")


def test_name_nir_and_email_in_one_message():
    found = extract_facts(
        f"je m'appelle Jeanne Petit, mon numéro de sécu est {grouped(NIR)}, mail jeanne.petit@example.org", TODAY
    )
    assert (found.name, found.nir, found.email) == ("Jeanne Petit", NIR, "jeanne.petit@example.org")
    assert found.phone is None


def test_a_phone_given_with_the_nir_is_kept():
    found = extract_facts(f"{grouped(NIR)} et mon portable 06 12 34 56 78", TODAY)
    assert found.nir == NIR and found.phone == "+33612345678"


def test_a_nir_with_a_wrong_key_is_reported_not_taken_for_a_phone():
    found = extract_facts(grouped(with_wrong_key(NIR)), TODAY)
    assert found.nir is None and found.nir_invalid is not None and found.nir_invalid.reason == "key"
    assert found.phone is None


@pytest.mark.parametrize(
    "text, number",
    [
        ("J'AI MON NUMERO D'ADHERENT C'EST 4587221", "4587221"),
        ("mon numéro d'adhérent : AB-45872", "AB45872"),
        ("adhérent n° 88812345", "88812345"),
    ],
)
def test_member_number(text, number):
    assert extract_facts(text, TODAY).member_number == number


def test_opening_message_history():
    found = extract_facts(
        "J'ai envoyé une réclamation écrite à KLESIA le 3 septembre 2026 et je n'ai eu aucune réponse", TODAY
    )
    assert found.written_complaint_sent is True
    assert found.first_complaint_date.value == date(2026, 9, 3) and not found.first_complaint_date.approximate
    assert found.answer_received is False


@pytest.mark.parametrize(
    "text, court",
    cases(__file__, "court_action"),
)
def test_court_action(text, court):
    assert extract_facts(text, TODAY).court_action is court


def test_contested_decision_is_quoted_in_the_members_words():
    found = extract_facts("Je conteste votre décision du 12 octobre refusant ma rente. Merci.", TODAY)
    assert found.contested_decision == "votre décision du 12 octobre refusant ma rente"


def test_a_pasted_letters_signature_gives_the_name():
    letter = "Madame, Monsieur,\nvotre refus de prise en charge est injuste.\nCordialement,\nMarie Dupont"
    assert name_in(letter) == "Marie Dupont"


@pytest.mark.parametrize(
    "answer, name",
    cases(__file__, "clean_name"),
)
def test_clean_name(answer, name):
    assert clean_name(answer) == name


def test_identifiers_removed_before_reading_a_name():
    assert "@" not in remove_identifiers("Jeanne Petit jeanne@example.org")
    assert clean_name(remove_identifiers(f"Jeanne Petit {grouped(NIR)}")) == "Jeanne Petit"


@pytest.mark.parametrize(
    "answer, holder",
    cases(__file__, "clean_holder"),
)
def test_clean_holder(answer, holder):
    assert clean_holder(answer, "Marie Martin") == holder


@pytest.mark.parametrize(
    "text, expected",
    cases(__file__, "contract_holder_as_the_record_says_it"),
)
def test_contract_holder_as_the_record_says_it(text, expected):
    assert facts.clean_holder(text, "Jean Dupont") == expected


@pytest.mark.parametrize("text", ["par mon taf", "mon employeur", "c'est mon patron"])
def test_an_employer_without_its_name(text):
    assert facts.names_employer_only(text)
    assert facts.clean_holder(text, "Jean Dupont") is None


@pytest.mark.parametrize(
    "text, expected",
    cases(__file__, "yes_and_no_after_a_lead_in"),
)
def test_yes_and_no_after_a_lead_in(text, expected):
    from recours.answers import parse_yes_no

    assert parse_yes_no(text) is expected


# -- members' round 4 ---------------------------------------------------------------------------------------------

def test_the_letter_date_is_not_the_answer_date():
    found = extract_facts("j'ai écrit à CPMS en septembre pour contester le refus, on m'a répondu le 10 novembre que "
                          "c'était refusé quand même", date(2026, 12, 1))
    assert found.written_complaint_sent and found.answer_received
    assert found.first_complaint_date.value == date(2026, 9, 1) and found.first_complaint_date.approximate


@pytest.mark.parametrize("text", ["je n'ai jamais écrit de réclamation", "non, rien envoyé par écrit"])
def test_never_written(text):
    assert facts.says_not_written(text)


def _holder(text: str) -> str | None:
    return clean_holder(text, "X")


def _member_number(text: str) -> str | None:
    return extract_facts(text, TODAY, history=False).member_number


@pytest.mark.parametrize(
    "read, text, expected",
    [
        # a name given again with a remark
        (clean_name, "tom petit jlai deja dit", "Tom Petit"),
        (clean_name, "oui. Sophie Garnier", "Sophie Garnier"),
        # the contract holder without the remarks
        (_holder, "cest par mon taf, boulangerie dupont", "Boulangerie Dupont"),
        (_holder, "Garage Moreau Sarl, je l'ai déjà écrit plus haut", "Garage Moreau Sarl"),
        (_holder, "juste Garage Moreau SARL", "Garage Moreau SARL"),
        (_holder, "peut etre eux qui ont pas envoyé mon inscription ? je sais pas", None),
        # a denied nature is not chosen
        (match_nature, "Ce n'est surtout pas Cotisation", None),
        (match_nature, "ce n'est pas la cotisation, c'est le remboursement", "remboursement"),
        (match_nature, "toujours pas de remboursement", "remboursement"),
        # member numbers as members write them
        (_member_number, "numéro d'adhérent CPMS : 4471203", "4471203"),
        (_member_number, "numéro d'adhérent CPMS : AD-448812", "AD448812"),
        (_member_number, "mon numéro d'adhérent est 458 213", "458213"),
    ],
    ids=lambda value: getattr(value, "__name__", None),
)
def test_an_answer_read_without_its_remarks(read, text, expected):
    assert read(text) == expected


def test_no_decision_said_again():
    from recours.answers import is_none_answer

    assert is_none_answer(facts.without_already_said("Je viens de vous répondre : aucune décision"))


@pytest.mark.parametrize(
    "text, name",
    [("Je suis Madame Vasseur, Marguerite.", "Vasseur Marguerite"), ("Je suis Paul Durand et je suis en colère",
                                                                       "Paul Durand"),
     ("je suis furieux contre vous", None)],
)
def test_a_name_after_je_suis(text, name):
    assert facts.name_in(text) == name


def test_never_written_before_said_in_other_words():
    assert facts.says_not_written("Et je ne vous ai jamais écrit avant, c'est la première fois que je me plains.")


@pytest.mark.parametrize(
    "text, none",
    [("Je n'ai reçu aucune lettre, rien du tout", True), ("je n'ai rien reçu", True), ("j'ai reçu aucun courrier", True),
     ("j'ai reçu un refus le 3 mars", False), ("j'ai eu un courrier de refus", False)],
)
def test_nothing_received_is_no_decision(text, none):
    from recours import answers
    assert answers.is_none_answer(text) is none


def test_a_yes_or_no_after_the_fields_name():
    from recours.answers import parse_yes_no
    assert parse_yes_no("action en justice : non, jamais") is False
    assert parse_yes_no("réclamation écrite : oui le 3 mars") is True
    assert parse_yes_no("mon avis : bof") is None


@pytest.mark.parametrize(
    "text, holder",
    [("2 71 03 59 350 128 59 ET C'EST UN CONTRAT DE MON EMPLOYEUR, MENUISERIE DELCOURT", "MENUISERIE DELCOURT"),
     ("jessica@example.org / 06 00 00 00 68. Contrat de mon employeur la clinique vétérinaire des Tilleuls",
      "Clinique vétérinaire des Tilleuls"),
     ("je travaille chez mon employeur depuis 10 ans", None)],
)
def test_the_employer_named_with_another_answer(text, holder):
    assert extract_facts(text, TODAY).contract_holder == holder


def test_a_question_is_not_a_fact():
    found = extract_facts("JE DOIS RENVOYER LES ATTESTATIONS EN RECOMMANDE ?", TODAY)
    assert found.written_complaint_sent is None


@pytest.mark.parametrize("text, name", [("Delattre, Yvonne. Delattre avec deux t.", "Delattre Yvonne"),
                                        ("Bourdon, Colette, née Vasseur", "Bourdon Colette")])
def test_names_written_surname_first(text, name):
    assert facts.leading_name(text) == name


def test_a_member_number_with_letters_and_spaces():
    assert extract_facts("Non, je continue… numéro d'adhérent : CP 0048 1275", TODAY).member_number == "CP00481275"


def test_an_unsatisfying_answer_said_in_the_opening_message():
    found = extract_facts("J'ai écrit à CPMS le 2 juin 2026, ils m'ont répondu le 10 juillet et la réponse ne me "
                          "satisfait pas.", TODAY)
    assert found.answer_received is True and found.answer_satisfied is False


@pytest.mark.parametrize(
    "text, name",
    [("PETIT née LAMBERT, Yvonne. Le contrat est au nom de mon mari, PETIT Raymond", "PETIT Yvonne"),
     ("ROUSSEAU, Germaine (Madame veuve Rousseau).", "ROUSSEAU Germaine"),
     ("Sylvie Marchand, vous pouvez m'écrire à sylvie@example.org", "Sylvie Marchand")],
)
def test_names_with_maiden_names_remarks_and_a_contact(text, name):
    rest = remove_identifiers(text)
    assert (clean_name(rest) or name_in(rest) or facts.leading_name(rest)) == name


@pytest.mark.parametrize(
    "text, holder",
    [("c'est la mutuelle de mon ancien employeur, Transports Lebrun, je suis en portabilité depuis janvier",
      "Transports Lebrun"),
     ("mon employeur, Garage Vidal SARL. c'est lui qui doit envoyer les papiers… c'est peut être lui ?",
      "Garage Vidal SARL")],
)
def test_the_holder_named_inside_a_sentence(text, holder):
    assert (facts.holder_in(text) or clean_holder(text, "Marie Martin")) == holder


def test_a_member_number_after_a_filler_word():
    assert extract_facts("prenez mon numero adherent alors : 00913355", TODAY).member_number == "00913355"


def test_not_in_writing_and_no_lawyer():
    assert facts.says_not_written("Pas par écrit, non.")
    assert extract_facts("Je n'ai pas d'avocat", TODAY).court_action is False


def test_j_en_ai_deja_fait_une():
    found = extract_facts("Je ne veux pas refaire une réclamation, j'en ai déjà fait une le 3 septembre 2026 sans "
                          "réponse", TODAY)
    assert found.written_complaint_sent is True and found.answer_received is False
    assert found.first_complaint_date.value == date(2026, 9, 3)


@pytest.mark.parametrize("typed, recorded", cases(__file__, "the_description_keeps_the_members_words_without_remarks_greetings_or_thanks"))
def test_the_description_keeps_the_members_words_without_remarks_greetings_or_thanks(typed, recorded):
    assert facts.description_text(typed) == recorded


@pytest.mark.parametrize("text", [
    # round 8 (m8-d-04): a holding reply counted as the answer
    "J'ai envoyé un mail au service qualité le 9 novembre, on m'a juste répondu « nous revenons vers vous ».",
    "j'ai écrit le 3 novembre, ils m'ont dit que c'était en cours",
    # members' round 20 (m20-B-01 M4): asked again
    "J'ai écrit une lettre le 14 octobre, je n'ai jamais reçu de réponse.",
    "je n'ai toujours pas reçu de réponse à mon courrier du 3 octobre",
])
def test_a_holding_reply_is_no_answer(text):
    found = extract_facts(text, date(2026, 12, 1))
    assert (found.written_complaint_sent, found.answer_received) == (True, False)


@pytest.mark.parametrize("text, expected", [
    # round 8 (m8-b-01 M12, m8-b-05 M8): the question repeated, then the answer
    ("Un procès… ? Non", False), ("Par écrit, non", False), ("Un avocat ? oui", True),
])
def test_the_question_repeated_then_the_answer(text, expected):
    from recours.answers import parse_yes_no

    assert parse_yes_no(text) is expected


@pytest.mark.parametrize("text", ["juste aucune", "ya pas eu de réponse du tout", "il y a rien eu"])
def test_no_decision_in_more_words(text):
    from recours.answers import is_none_answer

    assert is_none_answer(text)


def test_a_name_given_again_with_a_remark():
    assert clean_name("Je me suis présentée plus haut : LEROY, Madeleine.") == "LEROY Madeleine"


@pytest.mark.parametrize("typed, holder", cases(__file__, "the_holder_is_a_name_not_a_sentence"))
def test_the_holder_is_a_name_not_a_sentence(typed, holder):
    assert clean_holder(typed, None) == holder


def test_a_consent_remark_is_no_name():
    # round 9 (m9-d-05 t9): « J'accepte, faisons-en une nouvelle pour les 100 euros, tant pis » noted « Tant Pis »
    assert clean_name("faisons-en une nouvelle pour les 100 euros, tant pis") is None
    assert clean_name("tant pis") is None


@pytest.mark.parametrize("typed, holder", cases(__file__, "the_holder_named_inside_a_sentence"))
def test_the_holder_named_inside_a_sentence(typed, holder):
    assert clean_holder(typed, None) == holder


@pytest.mark.parametrize("text, name", cases(__file__, "names_in_other_sentences"))
def test_names_in_other_sentences(text, name):
    from recours.facts import leading_name, remove_identifiers, sentence_name

    found = leading_name(text) if name == "leading" else sentence_name(remove_identifiers(text))
    assert (found is not None and "LEMAIRE" in found.upper()) if name else found is None


def test_a_termination_letter_is_no_written_complaint():
    # members' round 10: the termination letter comes first, the complaint is the e-mail after it
    found = extract_facts("J'ai résilié ma complémentaire santé par lettre recommandée le 2 septembre et CPMS continue "
                          "de me prélever. J'ai renvoyé un mail le 15 octobre, toujours rien.", TODAY)
    assert found.written_complaint_sent and found.first_complaint_date.value == date(2026, 10, 15)


@pytest.mark.parametrize("text, said", [
    ("la lettre du 2 septembre c'était la résiliation elle-même, la réclamation c'est le mail du 15 octobre",
     date(2026, 10, 15)),
    ("Je veux juste la bonne date pour le médiateur, en comptant depuis mon mail du 15 octobre", date(2026, 10, 15)),
    ("ma réclamation est restée sans réponse", None),
])
def test_the_written_complaint_date_restated(text, said):
    from recours.facts import complaint_date_said

    assert complaint_date_said(text, TODAY) == said


def test_a_dated_cpam_decision_is_not_the_insurer_decision_contested():
    from recours.facts import names_dated_cpam_decision

    text = ("La CPAM refuse de rembourser 12 trajets (courrier du 6 novembre, ils disent que le bon de transport a été "
            "fait après) et du coup CPMS refuse aussi sa part.")
    assert names_dated_cpam_decision(text) and extract_facts(text, TODAY).contested_decision is None
    assert not names_dated_cpam_decision("je conteste votre refus du 12 octobre")


@pytest.mark.parametrize("text, holder", cases(__file__, "the_holder_in_plain_words"))
def test_the_holder_in_plain_words(text, holder):
    from recours.facts import clean_holder

    assert clean_holder(text, "Martine Lefebvre") == holder


@pytest.mark.parametrize("text", ["Transports Dubreucq, déjà dit", "Transports Dubreucq tout court"])
def test_remarks_after_a_holder_given_again(text):
    from recours.remarks import without_already_said

    assert without_already_said(text) == "Transports Dubreucq"


def test_a_date_corrected_at_once_in_the_opening():
    # members' round 11: « le 2 octobre… non pardon le 20 octobre » kept the 2nd of October
    found = extract_facts("J'ai envoyé un mail le 2 octobre... non pardon le 20 octobre, sans réponse", TODAY)
    assert found.first_complaint_date.value == date(2026, 10, 20)


def test_a_holder_after_a_filler():
    from recours.facts import clean_holder

    assert clean_holder("bah salon coiff mod", "X") == "Salon Coiff Mod"


def test_a_third_party_refusal_is_not_the_insurer_decision_contested():
    # members' round 11: the pharmacy's refusal was recorded as CPMS's contested decision
    text = "LA PHARMACIE A REFUSE LE TIERS PAYANT CE MATIN PARCE QUE MA CARTE MUTUELLE EST PERIMEE DEPUIS LE 30 SEPTEMBRE."
    assert extract_facts(text, TODAY).contested_decision is None


@pytest.mark.parametrize("text, number", cases(__file__, "a_rate_or_an_amount_is_no_member_number"))
def test_a_rate_or_an_amount_is_no_member_number(text, number):
    assert extract_facts(text, date(2026, 12, 2)).member_number == number


@pytest.mark.parametrize("text, holder", cases(__file__, "the_holder_said_in_a_sentence"))
def test_the_holder_said_in_a_sentence(text, holder):
    from recours.holders import holder_in

    assert holder_in(text) == holder


def test_what_is_no_fact_beside_an_answer():
    from recours.remarks import fact_beside_answer, without_already_said

    assert fact_beside_answer("yes_no", "Non, je n'en suis pas là") is None  # round 13: « Je n'en suis pas »
    # the answer taken back is the answer, not a fact beside it
    assert fact_beside_answer("yes_no", "NON. ah si attendez j'ai envoyé un mail le 25 novembre") is None
    assert without_already_said("DESRUELLES Pierre, je l'ai écrit juste avant") == "DESRUELLES Pierre"


def test_several_facts_in_one_message_are_all_kept():
    # members' round 13 (m13-B-05 M6, m13-B-01 M4): only the member number kept; « n'est pas valide »
    found = extract_facts("DESRUELLES, Pierre, professeur de lettres en retraite, à Lille. Mon numéro d'adhérent est "
                          "le 00381627 et mon adresse électronique pierre.desruelles@example.org.", date(2026, 12, 2),
                          history=False)
    assert (found.member_number, found.email, found.contact_error) == ("00381627", "pierre.desruelles@example.org",
                                                                       None)
    found = extract_facts("Je vous donne plutôt le numéro d'adhérent qui est sur ma carte de mutuelle : 00647319. Et "
                          "pour vous joindre, le téléphone, le 06 00 00 00 81.", date(2026, 12, 2), history=False)
    assert (found.member_number, found.phone) == ("00647319", "+33600000081")
    from recours.names import leading_name

    assert leading_name("DESRUELLES, Pierre, professeur de lettres en retraite, à Lille.") == "DESRUELLES Pierre"


def test_the_members_own_letter_is_no_contested_decision():
    # members' round 13 (m13-C-03 M2): « la décision contestée (« courrier le 8 octobre ») »
    found = extract_facts("J'ai envoyé l'attestation de pacs par courrier le 8 octobre et depuis rien, par contre vous "
                          "me prélevez déjà la cotisation pour deux personnes.", date(2026, 12, 2))
    assert found.contested_decision is None
    assert extract_facts("je conteste votre refus du 12 octobre", date(2026, 12, 2)).contested_decision == \
        "votre refus du 12 octobre"


# --- members' round 14 ------------------------------------------------------------------------------------------

def test_a_sentence_with_c_est_in_the_middle_is_no_name():
    # « votre nom (Seulement Qu'on) » was noted from this objection at the privacy notice
    text = "Mais je n'ai rien dit sur un délai trop long, c'est seulement qu'on ne me rembourse pas. Et le mot chute"
    assert clean_name(text) is None
    assert clean_name("Seulement Qu'on") is None  # an elision is never a name word
    assert clean_name("c'est Paul Durand") == "Paul Durand"
    assert clean_name("oui c'est Germaine Rousseau") == "Germaine Rousseau"
    assert clean_name("je m'appelle Jeanne D'Arc") == "Jeanne D'Arc"


@pytest.mark.parametrize("text", [
    "pas encore. le syndicat m'a parlé des prud'hommes mais je n'ai rien fait. si je vais au médiateur ?",
    "mais mon mail du 9 novembre je ne l'ai pas fait ici, je l'ai envoyé à gestion.",
])
def test_nothing_done_about_a_court_or_here_is_not_no_written_complaint(text):
    found = extract_facts(text, date(2026, 12, 2))
    assert found.written_complaint_sent is not False


@pytest.mark.parametrize("text", ["non jamais écrit", "Non, jamais écrit. Seulement ce coup de téléphone",
                                  "je n'ai encore rien fait", "non je n'ai rien fait par écrit"])
def test_no_written_complaint_in_few_words(text):
    assert extract_facts(text, date(2026, 12, 2)).written_complaint_sent is False


def test_a_letter_sent_elsewhere_is_read_with_its_date():
    found = extract_facts("mon mail du 9 novembre je ne l'ai pas fait ici, je l'ai envoyé à gestion",
                          date(2026, 12, 2))
    assert found.written_complaint_sent is True and found.first_complaint_date.value == date(2026, 11, 9)


@pytest.mark.parametrize("text", [
    "C'est moi toute seule, à l'agence de Maubeuge, il y a bien dix ans, après le décès de mon mari. Donc "
    "individuel je suppose. Et s'il vous plaît, ne mettez pas ma petite-fille dans la description",
    "Il s'agit d'un contrat individuel",
    "c'est moi qui l'ai pris, un contrat individuel, pas « Seulement Qu'on »",
])
def test_an_individual_contract_said_in_a_sentence(text):
    assert clean_holder(text, "Gisèle Watteau") == "Gisèle Watteau"


def test_not_an_individual_contract():
    assert clean_holder("ce n'est pas un contrat individuel, c'est Transports Leroy", None) == "Transports Leroy"
    assert not facts.says_individual("contrat collectif de mon entreprise, individuel pour ma femme")


def test_aucune_that_starts_a_fact_is_kept_with_it():
    from recours.remarks import fact_beside_answer

    assert fact_beside_answer("yes_no", "aucune reponse a ma lettre. les prelevements du 5 septembre, 202,20 en "
                                        "tout").startswith("Aucune reponse a ma lettre")
    assert fact_beside_answer("yes_no", "aucune. les prelevements du 5 septembre sont faux") == \
        "Prelevements du 5 septembre sont faux"


@pytest.mark.parametrize("text, name", [
    ("Nom, Prénom : HENNEBERT, Paulette, veuve depuis 2018. Et en plus vous m'avez encore prélevé 84 euros",
     "HENNEBERT Paulette"),
    ("Prénom, Nom : Jean Dupont", "Jean Dupont"),
])
def test_a_name_after_nom_prenom_in_a_longer_message(text, name):
    assert name_in(text) == name


@pytest.mark.parametrize("text, name", [("Leroy Marie, veuve Dupuis", "Leroy Marie"), ("Leroy Marie", "Leroy Marie"),
                                        ("ROUSSEAU Germaine, retraitée", "ROUSSEAU Germaine")])
def test_what_the_member_adds_about_herself_is_not_her_name(text, name):
    assert clean_name(text) == name


@pytest.mark.parametrize("text, holder", [
    ("s.wattebled@example.org, et je travaille chez Imprimerie Lemaire c'est un contrat de l'entreprise",
     "Imprimerie Lemaire"),
])
def test_the_employer_named_by_the_members_work_beside_another_answer(text, holder):
    # members' round 14 (m14-C-01 M4): put in the description, then the holder asked again
    assert facts.holder_in(text) == holder
    assert facts.holder_in("je travaille chez Imprimerie Lemaire depuis 10 ans") is None  # no group contract said


@pytest.mark.parametrize("text, holder", [
    ("je crois que c'est par la mairie de Wattrelos où je bosse", "Mairie de Wattrelos"),
    ("c'est par mon boulot, Transports Leroy à Arras. ah non attendez depuis septembre c'est le nouveau boulot, "
     "Entrepôts Grand Nord", "Entrepôts Grand Nord"),
    ("je bosse chez Leroy Merlin", "Leroy Merlin"),
])
def test_the_holder_in_the_members_words(text, holder):
    assert clean_holder(text, "Rémi Carlier") == holder


def test_not_a_real_complaint_is_no_written_complaint():
    assert extract_facts("juste la facture par mail le 4/11, pas une vraie réclamation",
                         date(2026, 12, 2)).written_complaint_sent is False


def test_a_bailiff_threatened_by_a_creditor_is_no_court_action():
    # members' round 16 (m16-A-03 M1): « action en justice : oui » pre-filled and never asked
    text = "UN CABINET DE RECOUVREMENT ME RECLAME 127 EUROS DE TROP PERCU ET ME MENACE D'UN HUISSIER !!!"
    assert extract_facts(text, date(2026, 12, 2)).court_action is None
    assert extract_facts("j'ai reçu une assignation au tribunal", date(2026, 12, 2)).court_action is True


@pytest.mark.parametrize("text, name", [
    # members' round 16 (m16-B-01 M1, m16-B-05 M1): « NOM, Prénom » in the opening, asked again later
    ("Bonjour Madame, Monsieur. Je suis DUQUESNOY, Albert, ancien cheminot en retraite à Arras. Je viens vers vous "
     "parce que sur ma nouvelle carte de mutuelle ils ont écrit mon nom avec un I", "DUQUESNOY Albert"),
    ("Trois mois plus tard, aucune réponse. Je me nomme FLAMENT, Jean-Marie, numéro d'adhérent 00562087.",
     "FLAMENT Jean-Marie"),
    ("Je me présente : Paulette HENNEBERT, j'ai quitté votre mutuelle fin septembre.", "Paulette HENNEBERT"),
    ("Je suis en retraite, Monsieur, et je ne comprends pas ce prélèvement.", None),
])
def test_a_name_introduced_in_the_opening(text, name):
    assert extract_facts(text, date(2026, 12, 2)).name == name


def test_the_consent_typed_after_the_grievance_is_not_the_description():
    from recours.facts import description_text

    # members' round 16 (m16-C-04 M4): « J'accepte, avec mon numéro d'adhérent 5530917 » in the recorded description
    assert description_text("Mon contrat prévoit un complément pour les options et ils n'ont rien versé. J'accepte, "
                            "avec mon numéro d'adhérent 5530917.") == ("Mon contrat prévoit un complément pour les "
                                                                      "options et ils n'ont rien versé.")
    assert description_text("J'accepte") == "J'accepte"  # nothing else: left as it is


def test_a_letter_that_was_no_complaint():
    # members' round 16 (m16-B-02 M14): « … pour prévenir, mais ce n'était pas une réclamation. Alors je dirais non. »
    found = extract_facts("J'ai envoyé une lettre avec le certificat de décès vers le 15 novembre, pour prévenir, mais "
                          "ce n'était pas une réclamation. Alors je dirais non.", date(2026, 12, 2))
    assert found.written_complaint_sent is False and found.first_complaint_date is None


@pytest.mark.parametrize("text, name", [
    # members' round 18 (m18-C-04, m18-A-02): « Je n'ai pas reconnu de nom » three times, « Legoff » typed to get by
    ("Sandrine Le Goff, je viens de l'écrire", "Sandrine Le Goff"),
    ("Le Goff Sandrine", "Le Goff Sandrine"),
    ("LE GOFF MARTINE !!! cest pas complique", "Le Goff Martine"),
    ("ok j'accepte. Sandrine Le Goff, sécu 2 85 05 75 123 456 12, tel 06 00 00 00 18", "Sandrine Le Goff"),
    ("bon tant pis on fait ca ici. martine le goff, num adherent 4471203, mail martine.legoff@example.org",
     "Martine Le Goff"),
    ("Jean de La Fontaine", "Jean de La Fontaine"),
    ("Da Silva Sophie", "Da Silva Sophie"),
])
def test_names_with_a_particle(text, name):
    rest = remove_identifiers(text)
    assert (clean_name(rest) or name_in(rest) or facts.leading_name(rest) or facts.sentence_name(rest)) == name


@pytest.mark.parametrize("text", ["Le Goff", "LA POSTE", "Le contrat individuel", "Contrat individuel, merci"])
def test_no_name_from_a_particle_alone_or_an_answer(text):
    rest = remove_identifiers(text)
    assert not (clean_name(rest) or name_in(rest) or facts.leading_name(rest) or facts.sentence_name(rest))


@pytest.mark.parametrize("text, decision", [
    # members' round 18 (m18-A-03 M1): « la décision contestée (« lettre recommandee du 8/09 ») », the member's own
    # termination letter
    ("jai RESILIE mon contrat en septembre lettre recommandee du 8/09 et vous continuez a me prelever 62 euros chaque "
     "mois c une honte", None),
    ("suite à ma lettre du 3 octobre vous avez refusé de rembourser ma couronne le 20 octobre",
     "refusé de rembourser ma couronne le 20 octobre"),
    ("je conteste votre courrier du 3 novembre qui refuse ma demande de prise en charge",
     "votre courrier du 3 novembre qui refuse ma demande de prise en charge"),
])
def test_the_members_own_letter_is_no_contested_decision(text, decision):
    assert extract_facts(text, TODAY).contested_decision == decision


@pytest.mark.parametrize("text, holder", [
    # members' round 18: « Je n'ai pas compris » for each (m18-B-01, B-02, B-05), a son made of a company (m18-C-05)
    ("Mais je ne vous ai pas demandé de me rappeler ! Et surtout pas entre 13 h et 15 h, je vous ai dit le matin. Pour "
     "le contrat, c'est un contrat à mon nom, je suis retraitée depuis longtemps.", "Germaine Lefèvre"),
    ("Il l'a pris lui-même il y a très longtemps, quand il a quitté la SNCF à la retraite. Je pense que c'est "
     "individuel maintenant.", "Germaine Lefèvre"),
    ("Bon, je vais quand même essayer de continuer avec vous. Le contrat, c'est mon défunt mari qui l'avait pris à son "
     "nom pour nous deux, je crois que c'est un contrat individuel.", "Contrat individuel souscrit par son défunt mari"),
    ("le contrat de groupe de mon employeur, Menuiserie Dufresne et Fils", "Menuiserie Dufresne et Fils"),
    ("Menuiserie Dufresne et Fils, c'est mon employeur", "Menuiserie Dufresne et Fils"),
    ("c'est mon fils qui l'a souscrit", "Contrat individuel souscrit par son fils"),
])
def test_holders_said_with_a_doubt_a_relative_or_a_family_company(text, holder):
    assert (facts.holder_in(text) or facts.clean_holder(text, "Germaine Lefèvre")) == holder


@pytest.mark.parametrize("text, name, writer", [
    # members' round 18 (m18-B-02 M1): « votre nom (Hélène Dubreuil) », the daughter recorded as the member
    ("Bonjour, je suis Hélène Dubreuil, la fille de M. Marcel Dubreuil, 88 ans. J'écris pour lui car il ne sait pas se "
     "servir de l'ordinateur.", "Marcel Dubreuil", "sa fille, Hélène Dubreuil"),
    ("Je suis Hélène Castaing, j'écris pour mon mari Marc Castaing, c'est lui l'assuré principal.", "Marc Castaing",
     "un proche, Hélène Castaing"),
    ("Bonjour, j'écris pour ma mère, Mme Yvette Caron, qui est hospitalisée.", "Yvette Caron", "son enfant"),
    ("Bonjour, je suis Paul Durand et ma mutuelle ne rembourse pas mes lunettes.", "Paul Durand", None),
])
def test_a_relative_writing_for_the_member(text, name, writer):
    found = extract_facts(text, TODAY)
    assert (found.name, found.writer_fr) == (name, writer)


@pytest.mark.parametrize("text, court, written", [
    # members' round 19 (m19-B-05, m19-B-03): each recorded « Action en justice : oui »
    ("Je n'ai pas l'intention d'aller au tribunal, je veux simplement mon remboursement.", False, None),
    ("J'accepte. Mais vous avez mal lu : je vous ai écrit que je ne veux PAS aller en justice. Il n'y a aucune action "
     "en justice.", False, None),
    ("Mon frère parle de consulter un avocat, mais pour l'instant rien n'est fait et ma mère ne le souhaite pas "
     "vraiment.", False, None),
    ("j'ai pris un avocat", True, None),
    ("je vous ai écrit le 3 octobre et rien depuis", None, True),
])
def test_a_court_action_denied_or_only_thought_of(text, court, written):
    found = extract_facts(text, TODAY)
    assert (found.court_action, found.written_complaint_sent) == (court, written)


def test_the_member_herself_named_by_a_relative_is_an_individual_contract():
    # members' round 19 (m19-B-01): recorded « Souscripteur : Elle-même »
    text = "C'est elle-même qui a pris ce contrat, il y a longtemps."
    assert facts.holder_in(text) is None and facts.clean_holder(text, "Germaine Dumoulin") == "Germaine Dumoulin"


@pytest.mark.parametrize("text, holder", [
    # members' round 20 (m20-A-04, m20-B-04, m20-B-03): « Contrat individuel souscrit par son mari », « Pas le Mien »,
    # « de là que vient le contrat »
    ("la mutuelle du boulot de mon mari (Boulangeries Roux SAS)", "Boulangeries Roux SAS"),
    ("C'est la société Transports Gaillard, à Roanne. C'était l'employeur de mon mari, pas le mien.",
     "Transports Gaillard"),
    ("les Ateliers Normands de Mécanique, c'est de là que vient le contrat.", "Ateliers Normands de Mécanique"),
])
def test_the_company_named_in_a_holder_answer(text, holder):
    assert facts.clean_holder(text, None) == holder
    assert facts.holder_in(text) in (None, holder)


def test_the_member_s_own_contract_said_by_a_relative():
    # members' round 21 (m21-C-01 M6): « souscrit par un proche » when the daughter wrote for her mother
    from recours import facts

    said = "elle l'a pris elle-même, elle est à la retraite depuis longtemps, pas d'entreprise"
    assert facts.clean_holder(said, "Odette Ferrand", by_a_relative=True) == "Odette Ferrand"
    assert facts.clean_holder(said, "Odette Ferrand") == "Contrat individuel souscrit par un proche"


def test_zero_reponse_is_no_answer():
    # a conversation typed at the end of session 13: « oui un mail le 20 novembre, zero reponse », then asked again
    from recours.facts import answer_said

    assert answer_said("oui un mail le 20 novembre, zero reponse") is False


@pytest.mark.parametrize("text, expected", [
    # members' round 22 (m22-F-05 M1, m22-F-01 M1, m22-B-03, a real conversation of the session)
    ("je veux la lettre pour le mediateur svp. jai ecrit a cpms le 2 septembre pour le refus de rembourser mes "
     "lunettes 320e, pas de reponse depuis, pas d autre mediateur, c une compagnie d assurance, societe anonyme",
     {"written_complaint_sent": True, "answer_received": False, "other_mediator": False,
      "carrier_type": "societe_assurance"}),
    ("J'ai écrit à CPMS le 10 août 2026. CPMS m'a répondu le 20 septembre 2026 en maintenant leur refus. Cette "
     "réponse ne me satisfait nullement.", {"written_complaint_sent": True, "answer_received": True,
                                             "answer_satisfied": False}),
    ("non aucun autre médiateur, pas de tribunal", {"court_action": False, "other_mediator": False}),
    ("non non, je veux pas aller au tribunal", {"court_action": False, "other_mediator": None}),
    ("j'ai déjà saisi le médiateur de l'assurance en octobre", {"other_mediator": True}),
    ("ma mutuelle ne me rembourse pas", {"carrier_type": None, "other_mediator": None}),
])
def test_the_mediation_facts_typed_in_any_message(text, expected):
    found = extract_facts(text, TODAY)
    assert {key: getattr(found, key) for key in expected} == expected



@pytest.mark.parametrize("text, name", [
    # members' round 23 (m23-A-02 M4: « Ah Dsl »; m23-B-02: « Permettez-moi toutefois »)
    ("ah dsl. lea fontaine", "Lea Fontaine"),
    ("oups pardon, Léa Fontaine", "Léa Fontaine"),
    ("Permettez-moi toutefois de préciser", None),
])
def test_an_apology_or_a_letter_s_opening_is_no_name(text, name):
    from recours.names import leading_name, sentence_name

    assert (clean_name(text) or name_in(text) or leading_name(text) or sentence_name(text)) == name


def test_a_signature_above_the_member_number_and_a_name_said_signed():
    # members' round 24 (m24-G-04 M1, M4): the name asked three times
    letter = ("Madame, Monsieur,\n\nPar courrier en date du 4 novembre 2026, vous m'avez notifié votre refus de prendre "
              "en charge les frais de chambre particulière.\n\nJe vous prie d'agréer, Madame, Monsieur, l'expression de "
              "mes salutations distinguées.\n\nBernard Delacroix\nAdhérent n° AD-204417")
    found = extract_facts(letter, TODAY, history=False)
    assert (found.name, found.member_number) == ("Bernard Delacroix", "AD204417")
    assert name_in("Je vous l'ai pourtant indiqué : ma lettre est signée Bernard Delacroix.") == "Bernard Delacroix"
    assert name_in("le document est signé par le médecin") is None
