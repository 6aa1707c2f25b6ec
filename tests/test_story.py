"""The grievance read out of the member's messages (recours/story.py, issue 11, members' round 20)."""

from recours import story

PROSTHESES = (
    "Je suis Madame Odette Lambert-Vasseur, veuve Vasseur. J'ai quatre-vingt-quatre ans. Voici ce qui s'est passé : "
    "j'ai fait faire deux appareils auditifs chez l'audioprothésiste de Vannes en septembre, pour un montant de "
    "2 980 euros. La Sécurité sociale a payé sa part, mais vous ne m'avez remboursé que 400 euros, alors que ma "
    "conseillère m'avait assuré au téléphone que tout serait pris en charge ou presque. J'ai écrit une lettre le "
    "14 octobre, je n'ai jamais reçu de réponse."
)


def test_a_story_typed_with_the_name_is_told_without_the_name():
    told = story.story_in(PROSTHESES)
    assert story.tells_story(PROSTHESES)
    assert told.startswith("Voici ce qui s'est passé")
    assert "2 980 euros" in told and "14 octobre" in told
    assert "Lambert-Vasseur" not in told and "quatre-vingt-quatre" not in told


def test_questions_consents_and_remarks_tell_nothing():
    for said in (
        "Pardonnez-moi, mais qu'entendez-vous exactement par « prescription » ? Je ne voudrais pas accepter quelque "
        "chose que je ne comprends pas.",
        "Je vous remercie. Alors oui, j'accepte. Et je suis mécontente, certainement.",
        "MAIS NON cest contre CPMS ma mutuelle!! nouvelle reclamation",
        "LE 24/11 je lai ecrit au debut",
        "Avant d'accepter, pourriez-vous me dire si la loi Évin interdit vraiment une telle augmentation ? Je ne "
        "voudrais pas vous faire perdre votre temps.",
    ):
        assert not story.tells_story(said), said
        assert story.compose([said]) == "", said


def test_a_grievance_asked_as_a_question_is_told():
    said = "Pourquoi vous ne m'avez remboursé que 40 euros sur mes lunettes du 3 octobre ?"
    assert story.tells_story(said)
    assert story.story_in(said) == said


# members' round 20 (m20-A-04): the CPAM's matter told first, then the organisation's
CPAM_THEN_INSURER = [
    "slt, le medecin conseil de la cpam a arreter mon arret maladie du jour au lendemain alors que jpeux pas "
    "bosser, courrier recu le 24/11. ET ma carte vitale jlai tjrs pas depuis aout",
    "oui jveux contester le medecin conseil, c medical evidemment",
    "laissez tomber la secu. par contre CPMS me doit la part mutuelle de ma couronne dentaire 420e, la secu a "
    "paye en octobre elle. je veux faire une reclamation",
    "MAIS NON cest contre CPMS ma mutuelle!! nouvelle reclamation",
]


def test_the_cpam_s_own_matter_is_not_the_insurer_s_description():
    messages = CPAM_THEN_INSURER
    composed = story.compose(messages)
    assert "couronne dentaire 420e" in composed and "la secu a paye en octobre" in composed
    assert "medecin conseil" not in composed and "nouvelle reclamation" not in composed
    # told to the CPAM, the same matter is the story
    assert "medecin conseil" in story.compose(messages[:1], insurer=False)


def test_compose_keeps_each_telling_message_once_in_order():
    first = ("J'ai pris ma retraite le 30 juin. Ma cotisation est passée de 48 euros à 96 euros par mois dès juillet. "
             "Je ne sais pas si c'est une réclamation ou pas.")
    later = "Je ne demande aucun geste commercial. Je conteste le doublement de ma cotisation."
    composed = story.compose(["Bonjour, c'est au sujet de mon ancienne entreprise.", "Réclamation, c'est quoi ?",
                              first, first, later])
    assert composed.split("\n") == [
        "J'ai pris ma retraite le 30 juin. Ma cotisation est passée de 48 euros à 96 euros par mois dès juillet.",
        "Je conteste le doublement de ma cotisation.",  # the remark before it tells nothing
    ]


def test_sms_without_punctuation():
    said = "vs mavez tjrs pas rembourse mes lunettes 320e depuis septembre c honteux"
    assert story.tells_story(said)
    assert story.story_in(said) == said
