"""Names: found in French and English sentences, and checked in their translation."""

from __future__ import annotations

import pytest
from depeche.names import missing, names, unsupported

FOUND = [
    ("Débat entre Macron, Le Pen et Bardella.", ["Macron", "Le Pen", "Bardella"]),
    # A capitalized first word, titles, months and weekdays are not names.
    ("Hier, Emmanuel Macron a parlé.", ["Emmanuel Macron"]),
    ("Mme Borne a répondu à M. Ciotti.", ["Borne", "Ciotti"]),
    ("Le 14 Juillet, Lundi, à Paris.", ["Paris"]),
    # The first word of a quotation or of a line of dialogue is a sentence's first word...
    ("Il a dit « Nous partons » à Marseille.", ["Marseille"]),
    ("— Nous partons, dit-il.", []),
    ("Il a répondu :\n— Oui, à Nantes.", ["Nantes"]),
    # ...but a single capitalized word in quotation marks is a name (a newspaper, a title).
    ("Il lit « Libération » et « Le Monde ».", ["Libération", "Monde"]),
    ("Il a répondu « Oui » au juge.", []),
    ("Selon l'AFP, la SNCF et l'ONU sont là.", ["AFP", "SNCF", "ONU"]),
    ("Un livre de Jean de La Fontaine.", ["Jean de La Fontaine"]),
    ("L'Allemagne vote.", ["Allemagne"]),  # after an elided article, a capital is a name's
    ("Au XXe siècle, Louis XIV régnait.", ["Louis"]),
    ("Le ministre — Gérald Darmanin — a parlé.", ["Gérald Darmanin"]),  # not a dialogue dash
]


@pytest.mark.parametrize(("text", "expected"), FOUND)
def test_names_of_a_french_sentence(text: str, expected: list[str]) -> None:
    assert [name.written for name in names(text)] == expected


MINREX = (3, 9, "Cuban Foreign Ministry")  # a glossary term: (start, end, target)

PAIRS = [
    # Kept as written, or with accents, case or hyphens changed.
    (
        "Le président Emmanuel Macron a reçu Olaf Scholz à l'Élysée.",
        "President Emmanuel Macron received Olaf Scholz at the Elysee.",
        (),
        [],
    ),
    (
        "Jean-Luc Mélenchon dénonce Jean-Pierre Raffarin.",
        "Jean Luc Melenchon denounces Jean Pierre Raffarin.",
        (),
        [],
    ),
    # Traps: a capitalized first word, a month and a weekday, titles, a quotation, a dash.
    ("Hier, le maire a parlé.", "Yesterday, the mayor spoke.", (), []),
    (
        "La réunion aura lieu Lundi 8 Mai à Lyon.",
        "The meeting will take place on Monday, May 8 in Lyon.",
        (),
        [],
    ),
    ("Mme Borne a répondu à M. Ciotti.", "Ms Borne answered Mr Ciotti.", (), []),
    ("Il a dit : « Nous partirons demain. »", 'He said: "We will leave tomorrow."', (), []),
    ("— C'est fini, répondit la ministre.", "- It's over, the minister replied.", (), []),
    # A name the glossary renames comes out as the term's target.
    (
        "Le Minrex a publié un communiqué.",
        "The Cuban Foreign Ministry issued a statement.",
        (MINREX,),
        [],
    ),
    (
        "Le Minrex a publié un communiqué.",
        "The ministry issued a statement.",
        (MINREX,),
        ["Minrex"],
    ),
    # Acronyms reordered, or as the English acronym of a known body; countries, peoples and
    # institutions under their English names.
    ("L'UE et l'OTAN soutiennent l'Ukraine.", "The EU and NATO support Ukraine.", (), []),
    ("L'OMS alerte sur le virus.", "The WHO warns about the virus.", (), []),
    ("L'Allemagne et les États-Unis ont signé.", "Germany and the United States signed.", (), []),
    ("Les Français et les Allemands votent.", "The French and the Germans vote.", (), []),
    (
        "Le texte a été adopté par l'Assemblée nationale et le Sénat.",
        "The text was adopted by the National Assembly and the Senate.",
        (),
        [],
    ),
    (
        "Il travaille pour « Libération » depuis 2010.",
        "He has worked for Liberation since 2010.",
        (),
        [],
    ),
    ("Un hommage à Charles de Gaulle.", "A tribute to Charles de Gaulle.", (), []),
    # Lost names.
    (
        "Le ministre a rencontré Gérald Darmanin à Lille.",
        "The minister met the mayor in Lille.",
        (),
        ["Gérald Darmanin"],
    ),
    ("La CGT appelle à la grève.", "The union calls for a strike.", (), ["CGT"]),
    ("Il écrit dans « Libération ».", "He writes in the newspaper.", (), ["Libération"]),
    (
        "Selon « Le Monde », Bercy prépare un plan.",
        "According to Le Monde, the ministry is preparing a plan.",
        (),
        ["Bercy"],
    ),
    ("Un hommage à Charles de Gaulle.", "A tribute to the general.", (), ["Charles de Gaulle"]),
    ("L'Allemagne a voté.", "France voted.", (), ["Allemagne"]),
]


@pytest.mark.parametrize(("source", "translation", "renamed", "expected"), PAIRS)
def test_names_lost_in_translation(
    source: str, translation: str, renamed: tuple[tuple[int, int, str], ...], expected: list[str]
) -> None:
    assert missing(source, translation, renamed) == expected


ARTICLE = "The mayor of Lyon met Olaf Scholz on Monday, 8 May. The council approved the budget."


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        ("The mayor of Lyon met Olaf Scholz.", []),
        ("In May, the mayor of Lyon spoke.", []),
        ("The mayor of Paris met Scholz.", ["Paris"]),
        ("The mayor met Scholz at the NATO summit.", ["NATO"]),
        ("The mayor met Angela Scholz.", ["Angela Scholz"]),
    ],
)
def test_names_of_a_summary_missing_from_its_article(summary: str, expected: list[str]) -> None:
    assert unsupported(ARTICLE, summary) == expected
