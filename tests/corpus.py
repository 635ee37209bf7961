"""Sentences written for this project's tests: a small French and English corpus.

The tiny models' tokenizers are trained on these, and the copy-task model learns from them.
They are generated from word lists so that a few hundred distinct sentences come from a
few dozen lines; the generator is seeded, so every run builds the same corpus.
"""

from __future__ import annotations

import random

FR_SUBJECTS = [
    "Le gouvernement",
    "La ministre de la Culture",
    "Le maire de Lyon",
    "Une porte-parole",
    "Le syndicat des cheminots",
    "La présidente du conseil régional",
    "Un député breton",
    "Le comité olympique",
    "La banque centrale",
    "Le préfet de police",
    "Une association locale",
    "Le directeur de l'hôpital",
    "La rédaction",
    "Un agriculteur du Gers",
    "Le tribunal de Nantes",
    "Mme Lefèvre",
    "M. Garnier",
    "Le Dr Moreau",
    "La commission européenne",
    "Le club de football",
]
FR_VERBS = [
    "a annoncé",
    "prépare",
    "a présenté",
    "refuse",
    "examine",
    "a critiqué",
    "soutient",
    "a lancé",
    "suspend",
    "a confirmé",
    "réclame",
    "finance",
    "a reporté",
    "conteste",
    "organise",
]
FR_OBJECTS = [
    "un nouveau plan de rénovation",
    "la réforme des retraites",
    "une hausse des salaires",
    "le budget de l'année prochaine",
    "un projet de loi sur l'eau",
    "la fermeture de l'usine",
    "une enquête sur les comptes",
    "le festival d'été",
    "la construction d'un pont",
    "un accord avec les voisins",
    "la grève de jeudi",
    "un programme de vaccination",
    "la vente des terrains",
    "une aide de 3,5 M€",
    "le rapport annuel",
    "une campagne contre le gaspillage",
    "la candidature de la ville",
    "le tracé du tramway",
]
FR_COMPLEMENTS = [
    "",
    "",
    "",
    " lundi matin",
    " après une longue réunion",
    " selon un communiqué",
    " devant la presse",
    " pour la troisième fois",
    " malgré les critiques",
    " dès le mois de mai",
    " avec 25 000 signatures",
    " à la surprise générale",
    " sans donner de détails",
    " au nom des habitants",
    " en 2024",
]
FR_ENDINGS = [".", ".", ".", " !", " ?", "…"]

EN_SUBJECTS = [
    "The government",
    "The culture minister",
    "The mayor of Leeds",
    "A spokeswoman",
    "The rail union",
    "The regional council",
    "A local charity",
    "The hospital director",
    "The central bank",
    "The football club",
    "Ms Carter",
    "Mr Hughes",
]
EN_VERBS = [
    "announced",
    "is preparing",
    "presented",
    "rejects",
    "is reviewing",
    "criticised",
    "supports",
    "launched",
    "suspended",
    "confirmed",
    "is funding",
    "postponed",
]
EN_OBJECTS = [
    "a new renovation plan",
    "the pension reform",
    "a pay rise",
    "next year's budget",
    "a bill on water",
    "the closure of the factory",
    "an inquiry into the accounts",
    "the summer festival",
    "a bridge",
    "an agreement with the neighbours",
    "Thursday's strike",
    "a vaccination programme",
    "the sale of the land",
    "the annual report",
]
EN_COMPLEMENTS = [
    "",
    "",
    " on Monday morning",
    " after a long meeting",
    " according to a statement",
    " for the third time",
    " despite the criticism",
    " in 2024",
    " without giving details",
]

# Typography the tokenizers must know: French spacing, guillemets, NBSP and narrow NBSP.
FR_EXTRA = [
    "« Nous ne céderons pas », a déclaré le porte-parole.",
    "Le dossier n° 12 sera examiné mardi : la décision est attendue.",
    "Il y a 25\u00a0000 personnes dans les rues\u202f!",
    "Pourquoi maintenant\u202f? Personne ne le sait.",
    "M. Dupont et Mme Durand sont arrivés à 10 h 30.",
    "Les chiffres (en hausse de 4,2 %) ont surpris les analystes ; les marchés ont réagi.",
    "Des fruits, des légumes, du pain, etc. sont distribués chaque semaine.",
    "La cité fut fondée vers 600 av. J.-C. par des marins grecs.",
    "Voir p. ex. le rapport de l'an dernier.",
    "Écrivez à redaction@example.org ou consultez https://example.org/infos.",
]


def french_sentences(n: int = 400, seed: int = 7) -> list[str]:
    """`n` distinct French news-style sentences (plus the fixed typography ones)."""
    rng = random.Random(seed)
    seen: dict[str, None] = dict.fromkeys(FR_EXTRA)
    while len(seen) < n + len(FR_EXTRA):
        sentence = (
            f"{rng.choice(FR_SUBJECTS)} {rng.choice(FR_VERBS)} {rng.choice(FR_OBJECTS)}"
            f"{rng.choice(FR_COMPLEMENTS)}{rng.choice(FR_ENDINGS)}"
        )
        seen[sentence] = None
    return list(seen)


def english_sentences(n: int = 200, seed: int = 11) -> list[str]:
    """`n` distinct English news-style sentences."""
    rng = random.Random(seed)
    seen: dict[str, None] = {}
    while len(seen) < n:
        sentence = (
            f"{rng.choice(EN_SUBJECTS)} {rng.choice(EN_VERBS)} {rng.choice(EN_OBJECTS)}"
            f"{rng.choice(EN_COMPLEMENTS)}."
        )
        seen[sentence] = None
    return list(seen)


def copy_target_examples() -> list[str]:
    """Short French texts for tests that compare outputs (a few sentences each)."""
    return [
        "Le maire de Lyon a présenté un budget. La ministre refuse la grève.",
        "Un agriculteur du Gers conteste la vente des terrains.",
        "Le tribunal de Nantes examine le rapport annuel lundi matin.\n\nLa banque centrale suspend"
        " une hausse des salaires.",
        "Une association locale organise le festival d'été.",
    ]
