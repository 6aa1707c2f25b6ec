"""recours.routing: where a statement of need goes, with the deploying organisation as context (issue 11,
defects 6 and 7)."""

from __future__ import annotations

import pytest

from recours.routing import body_from_answer, route_request, third_parties


@pytest.mark.parametrize(
    "intent, text, route, kind, body",
    [
        # KLESIA member contesting a prévoyance decision: the insurer's, not a CPAM appeal
        ("ask_cpam_appeal",
         "Vous avez refusé de prendre en charge mon arrêt de travail au titre de la prévoyance, je conteste cette "
         "décision", "record_complaint", "complaint", "insurer"),
        ("ask_cpam_appeal", "Je veux contester la décision de la CPAM sur mon arrêt maladie", "cpam_appeal",
         "complaint", "cpam"),
        ("ask_cpam_appeal", "c'est quoi la CRA ?", "cpam_appeal", "information", "cpam"),
        ("nlu_fallback", "vous me réclamez un trop perçu de 800 euros que je conteste formellement",
         "record_complaint", "complaint", "insurer"),
        ("complain", "Je suis insatisfait de la qualité de la réponse de votre service gestion", "record_complaint",
         "complaint", "insurer"),
        ("ask_mediation", "J'ai fait une réclamation auprès de la CPAM il y a un mois, aucune réponse", "cpam_path",
         "complaint", "cpam"),
        ("complain", "Je ne suis pas d'accord avec la décision du médecin conseil", "cpam_path", "complaint", "cpam"),
        ("ask_mediation", "Comment saisir le médiateur ?", "mediation", "information", "insurer"),
        ("ask_mediation", "toujours pas de réponse à ma réclamation envoyée il y a 3 mois, je veux le médiateur",
         "mediation", "complaint", "insurer"),
        ("file_complaint", "je veux faire une réclamation", "describe", "complaint", "insurer"),
        # round 9 (m9-d-04 t1): a new complaint form
        ("complain", "Je veux passer au médiateur, ils ne répondent jamais", "mediation", "complaint", "insurer"),
        ("file_complaint", "Je veux faire une réclamation car ma mutuelle ne rembourse pas mes lunettes",
         "record_complaint", "complaint", "insurer"),
        ("request_service", "je voudrais une attestation de droits", "answered", "service", "insurer"),
        ("complain", "mes indemnités journalières ne sont toujours pas versées", "ask_body", "complaint", "insurer"),
        # members' round 12: the organisation paid less than the contract says, beside the surgeon's fee
        ("complain", "OPERE LE 6 NOVEMBRE, LE CHIRURGIEN A PRIS 600 EUROS DE DEPASSEMENT ET VOUS ME REMBOURSEZ 95 "
         "EUROS. MON CONTRAT DIT 250% !!!!", "record_complaint", "complaint", "insurer"),
        # care the CPAM never covers, said as a fact, is no CPAM part
        ("complain", "ma pilule elle est pas rembourser par la secu et sur mes garanties y a ecrit forfait "
         "contraception 50e/an. vous avez refuser en disant non prevu au contrat, c faux", "record_complaint",
         "complaint", "insurer"),
    ],
)
def test_routes(intent, text, route, kind, body):
    result = route_request(intent, text, 0.9)
    assert (result.next, result.request_kind, result.concerned_body) == (route, kind, body)


def test_a_third_party_that_says_it_did_its_part_is_not_at_fault():
    # members' round 13 (m13-C-04 M1): sent to the employer, then to the CPAM
    text = ("je suis en arrêt de travail depuis le 3 novembre, la sécu me paie les indemnités mais le complément de "
            "salaire de la prévoyance (c'est CPMS par mon employeur) j'ai toujours rien. Les RH disent qu'ils ont tout "
            "envoyé le 14 novembre.")
    result = route_request("complain", text, 0.9)
    assert (result.next, result.concerned_body, result.third_party) == ("record_complaint", "insurer", None)
    assert route_request("complain", "mon employeur n'a pas envoyé l'attestation de salaire", 0.9).next == "third_party"


def test_contesting_a_hospitals_bill_is_no_cpam_appeal():
    # members' round 13 (m13-C-05 M3): « médicale ou administrative ? » for a hospital's bill
    result = route_request("ask_cpam_appeal", "et pour l'hôpital, je fais comment pour contester leur facture ?", 0.9)
    assert (result.next, result.third_party.key) == ("third_party", "establishment")


def test_the_cpam_and_you_neither_is_a_mixed_message():
    # members' round 12 (m12-C-04): « la sécu ne rembourse rien et vous non plus » went wholly to the CPAM
    for text in ("la sécu ne m'a pas remboursé et vous non plus",
                 "Le laboratoire m'a facturé 85 euros, la sécu ne rembourse rien et vous non plus"):
        result = route_request("complain", text, 0.9)
        assert (result.next, result.mixed, result.concerned_body) == ("record_complaint", True, "insurer"), text


def test_both_bodies_the_insurer_part_is_recorded():
    result = route_request("complain", "La CPAM a refusé mes IJ et ma mutuelle refuse le complément prévoyance", 0.9)
    assert (result.next, result.mixed, result.concerned_body) == ("record_complaint", True, "insurer")


@pytest.mark.parametrize("text", [
    # round 7, m7-a-01: the Sécu accepted, « vous » refuse — the insurer alone, and the orthodontist is the payee
    "CA FAIT 3 FOIS QUE J'APPELLE POUR L'APPAREIL DENTAIRE DE MON FILS ET PERSONNE NE FAIT RIEN !!! VOUS REFUSEZ DE "
    "PAYER L'ORTHODONTISTE ALORS QUE LA SECU A ACCEPTÉ",
    "MAIS NON !!! LA SECU A PAYÉ, C'EST VOUS LA MUTUELLE CPMS QUI REFUSEZ. VOUS LISEZ CE QU'ON ECRIT ??",
    "la secu a remboursé mais vous non",
    "la cpam a payé sa part, la mutuelle rien du tout depuis 2 mois",
    "la sécu m'a remboursé mais pas le reste, j'attends depuis 3 mois",
])
def test_the_assurance_maladie_that_paid_is_not_the_one_complained_of(text):
    result = route_request("complain", text, 0.9)
    assert (result.next, result.concerned_body, result.mixed, result.third_party) == (
        "record_complaint", "insurer", False, None)


def test_the_assurance_maladie_that_paid_part_and_refused_part_is_the_cpam_part_of_a_mixed_message():
    # round 9 (m9-c-01 M1): the CPAM part was not mentioned at all
    result = route_request("complain", "La CPAM a bien payé les soins mais m'a refusé le remboursement du transport et "
                           "de l'hébergement, et ma mutuelle CPMS refuse le forfait cure de 200 €", 0.9)
    assert (result.next, result.concerned_body, result.mixed) == ("record_complaint", "insurer", True)


def test_a_practitioner_alone_is_not_a_complaint_against_the_organisation():
    result = route_request("complain", "Mon dentiste m'a facturé 300 euros de dépassement sans devis, c'est honteux", 0.9)
    assert result.next == "third_party" and result.third_party.key == "practitioner"
    assert "Ordre" in result.third_party.turn_to_fr


def test_a_practitioner_and_the_organisation():
    result = route_request(
        "complain", "mon dentiste m'a facturé 300 € de plus que le devis et ma mutuelle refuse de rembourser", 0.9
    )
    assert result.next == "record_complaint" and result.third_party.key == "practitioner"


def test_a_hospital_and_an_employer():
    assert route_request("complain", "l'hôpital me réclame 400 euros que je ne dois pas", 0.9).next == "third_party"
    employer = route_request("complain", "mon employeur n'a pas transmis mon arrêt, c'est inadmissible", 0.9)
    assert employer.third_party is not None and employer.third_party.key == "employer"


def test_the_medecin_conseil_is_the_cpam_not_a_practitioner():
    result = route_request("complain", "le médecin conseil a refusé de prolonger mon arrêt, c'est injuste", 0.9)
    assert result.next == "cpam_path" and result.third_party is None


def test_the_answer_to_the_body_question():
    assert body_from_answer("La Sécurité sociale (CPAM)") == "cpam"
    assert body_from_answer("Ma prévoyance") == "insurer"
    assert body_from_answer("la secu") == "cpam"
    assert body_from_answer("le complément de salaire") == "insurer"
    result = route_request("complain", "mes IJ ne sont toujours pas versées", 1.0, body="cpam")
    assert (result.next, result.concerned_body) == ("cpam_path", "cpam")


def test_third_parties_file_has_words_and_advice():
    assert {p.key for p in third_parties()} == {"practitioner", "establishment", "device_supplier", "supplier", "employer"}


@pytest.mark.parametrize(
    "text, route",
    [
        ("ce n'est pas CPMS qui est en cause, c'est mon dentiste", "third_party"),
        ("l'opticien n'y est pour rien, c'est CPMS qui ne rembourse pas mes lunettes", "record_complaint"),
        ("Madame, Monsieur, je vous écris car l'opticien m'a dit que CPMS refusait de rembourser mes lunettes",
         "record_complaint"),
        # the tiers payant refused at the counter is the organisation's cover, not the pharmacist's doing
        ("bonjour, on m'a refusé le tiers payant à la pharmacie alors que ma carte est à jour", "record_complaint"),
        ("la clinique refuse la prise en charge, je dois avancer 1240 euros", "record_complaint"),
    ],
)
def test_who_the_member_clears(text, route):
    assert route_request("complain", text, 0.9).next == route


def test_a_bare_wish_adds_nothing_to_a_description():
    from recours.routing import is_wish_only

    assert is_wish_only("bon au final je veux bien faire la reclamation pr la prevoyance")
    assert not is_wish_only("je veux faire une réclamation car ma mutuelle refuse de rembourser mes lunettes depuis "
                            "trois mois et personne ne répond")


def test_a_third_party_named_then_acting_under_a_pronoun():
    # members' round 11: « … à la clinique Saint-Roch … Ils me facturent 3 nuits de chambre particulière … »
    text = ("J'ai été opérée de la main à la clinique Saint-Roch de Cambrai du 9 au 12 novembre. Ils me facturent 3 "
            "nuits de chambre particulière à 85 € alors que j'étais dans une chambre double. Et en plus ils disent que "
            "CPMS n'a pas répondu à leur demande de prise en charge.")
    route = route_request("complain", text, 0.9)
    assert route.next == "record_complaint" and route.third_party is not None
    assert route.third_party.who_fr == "l'établissement de santé"


def test_a_third_party_acting_because_of_the_organisation_is_not_at_fault():
    # members' round 11: « LA PHARMACIE Y EST POUR RIEN » — the card had expired
    text = ("LA PHARMACIE A REFUSE LE TIERS PAYANT CE MATIN PARCE QUE MA CARTE MUTUELLE EST PERIMEE DEPUIS LE 30 "
            "SEPTEMBRE. J'AI DEMANDE LA NOUVELLE CARTE 2 FOIS ET RIEN !!!")
    assert route_request("complain", text, 0.9).third_party is None


def test_an_arbiter_above_the_services_is_the_mediator():
    # members' round 11: « à qui m'adresser au-dessus de vos services, une sorte d'arbitre ? »
    text = ("J'ai écrit deux fois à CPMS pour un double prélèvement, ils m'ont promis un remboursement jamais fait. À "
            "qui dois-je m'adresser au-dessus de vos services, une sorte d'arbitre ?")
    assert route_request("complain", text, 0.8).next == "mediation"


@pytest.mark.parametrize("text, route", [
    # members' round 15 (m15-D-05 t1): the privacy notice of a new complaint instead of the mediation check
    ("Bonjour. Ma cotisation santé passe de 112 à 132 € par mois au 1er janvier. J'ai écrit le 10 octobre, ils m'ont "
     "répondu le 2 novembre en expliquant que c'est le changement de tranche d'âge. Peut-on aller plus loin ?",
     "mediation"),
    ("J'ai écrit le 3 septembre et je n'ai eu aucune réponse, quels sont mes recours ?", "mediation"),
    # no letter yet, or no next step asked: a complaint to record
    ("Ma mutuelle ne rembourse pas mes lunettes, que puis-je faire ?", "record_complaint"),
    ("J'ai envoyé un courrier le 4 novembre pour ma cotisation, vous m'avez répondu non. Je veux faire une "
     "réclamation.", "record_complaint"),
])
def test_the_next_step_after_a_written_complaint_is_the_mediation_check(text, route):
    assert route_request("complain", text, 0.9).next == route


@pytest.mark.parametrize("text, intent", [
    # members' round 16 (m16-C-02 M6, M7; m16-C-04 M3): sent back to a complaint against CPMS
    ("je suis mécontente de l'opticien, pas de vous", "complain"),
    ("et si l'opticien veut toujours rien savoir je fais quoi ?", "ask_information"),
    ("Non. Dites-moi plutôt ce que je peux faire contre l'audioprothésiste, une facture détaillée je l'ai déjà.",
     "complain"),
    # the same at the privacy notice: the classifier reads a « non »
    ("Non. Dites-moi plutôt ce que je peux faire contre l'audioprothésiste, une facture détaillée je l'ai déjà.",
     "deny"),
])
def test_what_to_do_about_the_professional(text, intent):
    route = route_request(intent, text, 0.9)
    assert route.next == "third_party" and route.third_party.key == "device_supplier"
    assert "médiateur de la consommation" in route.third_party.turn_to_fr


def test_the_organisation_refusing_to_pay_the_optician_is_still_a_complaint():
    assert route_request("complain", "Vous avez refusé de payer l'opticien, je ne suis pas content", 0.9).next == \
        "record_complaint"


def test_the_organisation_not_paying_the_practitioner_in_sms_french_is_a_complaint():
    # a real conversation on the end build: « ma mutuelle me rembourse pas le kiné » was sent to the practitioner
    route = route_request("complain", "ma mutuelle me rembourse pas le kiné, 6 séances à 30 € refusées, c'est n'importe "
                                      "quoi", 0.9)
    assert route.next == "record_complaint"
    assert route_request("complain", "le kiné me facture des dépassements", 0.9).next == "third_party"


def test_the_practitioner_who_sent_the_file_is_not_the_one_at_fault():
    # members' round 19 (m19-B-05 M1): « ce n'est pas une réclamation contre CPMS », the optician and the DGCCRF
    text = ("J'ai acheté des lunettes chez l'opticien Vision Plus fin septembre, le 28 ou le 29, pour 410 euros. "
            "L'opticien vous a envoyé le dossier, et depuis deux mois je n'ai toujours rien touché de votre part.")
    assert route_request("complain", text, 0.9).next == "record_complaint"


def test_the_organisation_covering_less_than_the_quote_in_sms_french_is_a_complaint():
    # members' round 19 (m19-A-03 M2): « Vous exprimez un mécontentement envers le praticien »
    text = ("bon tant pis jvous explique: mon dentiste ma fait un devis implant 1800e, vs avez dit que vs prenez 300e "
            "seulement, courrier du 20 octobre. c une honte jpaye 90e par mois")
    assert route_request("complain", text, 0.9).next == "record_complaint"


@pytest.mark.parametrize("text", [
    # members' round 20 (m20-C-04 M1, M8): sent to the insurer's consent, « J'enregistre ici la partie qui concerne CPMS »
    "Bonjour, je ne suis pas chez CPMS, ma question concerne uniquement la CPAM. Le médecin conseil a estimé que mon "
    "arrêt de travail n'était plus justifié et la CPAM a arrêté mes indemnités, je conteste.",
    "Non, ça n'a rien à voir avec CPMS ! la CPAM ne m'a jamais envoyé ma nouvelle carte Vitale",
    # members' round 21 (m21-C-05 M1): a CPMS complaint and its consent started
    "bonjour... je sais pas trop si c'est ici qu'il faut demander. la secu (cpam du rhone) m'a refusé mes indemnités "
    "journalieres, ils disent que j'avais pas assez d'heures travaillées. j'ai reçu le courrier le 16 novembre. je n'ai "
    "pas de mutuelle chez vous en fait, c'est mon collègue qui m'a donné le lien",
    "euh mais je suis pas adhérent chez vous, c'est la cpam qui me refuse le remboursement",
])
def test_a_member_who_says_the_organisation_is_not_concerned_is_sent_to_the_cpam(text):
    route = route_request("file_complaint", text, 0.9)
    assert route.qualification.concerned_body == "cpam" and not route.mixed


@pytest.mark.parametrize("text", [
    # members' round 22 (m22-A-01 M1, M2): the CPAM's path given, then « Votre message concerne aussi l'Assurance
    # Maladie » — the CPAM pays, the insurer's own médecin conseil stopped its payments
    "bonjour je suis furieux. ma prevoyance a arrete de me payer les indemnites d incapacite depuis le controle medical "
    "de leur medecin conseil le 12 septembre, ils disent que je peux reprendre le travail alors que mon medecin "
    "traitant me prolonge l arret et que la CPAM continue de me verser mes IJ tous les 15 jours sans probleme. ca fait "
    "deux mois que je touche plus que les IJ de la secu, je perds 900 euros par mois",
    "mais non vous avez rien compris !! la CPAM elle paye, j ai aucun probleme avec la secu. c est VOUS la prevoyance "
    "CPMS qui avez coupe mes indemnites complementaires. c est contre vous ma reclamation",
])
def test_the_cpam_paying_and_the_insurers_adviser_make_it_the_insurers_matter(text):
    route = route_request("complain", text, 0.9)
    assert route.next == "record_complaint" and route.qualification.concerned_body == "insurer" and not route.mixed


def test_the_cpams_adviser_is_still_the_cpams():
    assert route_request("complain", "le medecin conseil de la cpam a arrete mes IJ", 0.9).qualification.concerned_body \
        == "cpam"


@pytest.mark.parametrize("text", [
    # members' round 22 (a conversation typed over REST): the CPAM's complaint path, then « administrative » typed at
    # its offer started the mediation questions
    "Bonjour, la CPAM m'a envoyé une lettre datée du 2 novembre 2026 qui refuse de me payer mes indemnités "
    "journalières, pas assez d'heures travaillées. je veux contester",
    "la CPAM refuse mes IJ, je veux contester",
])
def test_contesting_a_cpam_decision_in_words_is_its_appeal(text):
    route = route_request("complain", text, 0.9)
    assert route.next == "cpam_appeal" and route.qualification.concerned_body == "cpam"


def test_the_letter_for_the_mediator_asked_in_the_opening_is_the_mediation_check():
    # members' round 22 (m22-F-05 M1): a new complaint was started
    text = ("je veux la lettre pour le mediateur svp. jai ecrit a cpms le 2 septembre pour le refus de rembourser mes "
            "lunettes, pas de reponse depuis")
    assert route_request("complain", text, 0.8).next == "mediation"


def test_a_written_complaint_unanswered_and_what_to_do_now_is_the_mediation_check():
    # members' round 24 (m24-F-03 M1): « Pas de procès en cours » read as a status asked, the reference asked
    from recours.follow_ups import read_follow_up

    text = ("J'ai déjà fait une réclamation écrite le 15 septembre, toujours aucune réponse. Pas de procès en cours, pas "
            "d'autre médiateur. Je fais quoi maintenant ?")
    assert read_follow_up(text) is None
    assert route_request("complain", text, 0.8).next == "mediation"
    assert read_follow_up("ma réclamation est toujours en cours ?").kind == "status"


@pytest.mark.parametrize("text", [
    # members' round 24 (m24-H-01 M1) and round 23 (m23-B-04 M1): a CPMS complaint started for the CPAM's decision
    "J'ai reçu un courrier qui me refuse ma pension d'invalidité, je crois que c'est la CPMS qui a fait ça",
    "Vous m'avez refusé ma pension d'invalidité, j'ai reçu la lettre le 24 novembre.",
])
def test_a_cpam_benefit_said_of_vous_asks_whose_letter_it_is(text):
    assert route_request("complain", text, 0.8).next == "ask_body"


def test_the_insurer_s_own_invalidity_rente_is_the_insurer_s():
    assert route_request("complain", "ma prévoyance refuse de me verser ma rente invalidité", 0.8).next == \
        "record_complaint"
