"""Relationships: kinds, AO3 notation and order, on/off the page, the main pairing, and
evidence that points at real cue sentences.

The stories here are short original texts written for these tests; each puts in the trap
a naive reader falls into (a wanted kiss, a remembered husband, two people who only talk).
The whole pipeline runs on them, built once for the module, without the fandom stage so
that the invented names stay as written.
"""

from __future__ import annotations

import re
from functools import cache

import pytest
from meaning_stories import PINING, ROMANCE, TALK, WIDOW

from ficlens.meaning.relationships import main_pairing, notation, sort_key
from ficlens.model import Analysis, Character, Relationship
from ficlens.pipeline import Pipeline

RIVALS = """\
Dominic Vane and Oliver Reyes had hated each other since the first day of term. Nobody at
Saint Aldric's could remember a week without a fight between them.

On Thursday the argument started in the corridor. Dominic shouted at Oliver about the
missing lab notes, and Oliver shoved Dominic into the lockers.

"You're a liar," Oliver said.

"And you're a thief," Dominic snapped back. "I hate you."

Oliver punched him. Dominic punched him back, and it took two prefects to drag them apart.

In the headmaster's office, Oliver glared at Dominic and said nothing at all.
"""

FAMILY = """\
Every August, Edith Marsh drove to the coast with her grandson, Jamie Marsh. Edith did the
driving and Jamie did the singing, badly.

"Gran, can we stop for chips?" Jamie asked.

"We stopped for chips an hour ago," Edith said.

"That was lunch. This is tea."

Edith laughed and pulled into the lay-by anyway. Jamie hugged her before he ran off to the
van, and Edith watched him go with her hands in her coat pockets.

When Jamie came back, he handed her the bigger portion. "You drove," he said.

"I did," said Edith. "Thank you, love."
"""

STORIES = {
    "romance": ROMANCE,
    "almost": PINING,
    "widow": WIDOW,
    "rivals": RIVALS,
    "family": FAMILY,
    "talk": TALK,
}

# Words a reader would point at for each kind, written independently of the lexicons.
KIND_WORDS = {
    "romantic": r"kiss|love|lover|husband|wife|boyfriend|girlfriend|cheek|caress|hand",
    "family": r"sister|brother|mother|mum|father|dad|gran|grandson|granddaughter|aunt|uncle|"
    r"cousin|son|daughter|niece|nephew|twin|parent",
    "antagonistic": r"hate|punch|shout|shove|glare|argu|fight|slap|kick|enem|rival|snarl|yell",
    "platonic": r"friend|hug|embrac|mate|pal|arms? around|held",
}


@cache
def pipeline() -> Pipeline:
    return Pipeline(disable=["fandoms", "arc"])


@cache
def analysed(name: str) -> Analysis:
    return pipeline()(STORIES[name])


def person(analysis: Analysis, word: str) -> Character:
    found = [c for c in analysis.characters if word in c.name.split()]
    assert len(found) == 1, (word, [c.name for c in analysis.characters])
    return found[0]


def between(analysis: Analysis, a: str, b: str) -> Relationship | None:
    ids = {person(analysis, a).id, person(analysis, b).id}
    found = [r for r in analysis.relationships if set(r.characters) == ids]
    assert len(found) <= 1, found
    return found[0] if found else None


def test_kisses_and_a_confession_make_a_romantic_main_pairing() -> None:
    analysis = analysed("romance")
    couple = between(analysis, "Nora", "Will")
    assert couple is not None
    assert couple.kind == "romantic"
    assert couple.on_page
    # AO3 order: by family name when both are known (Abbott before Quinn).
    assert couple.notation == "Will Abbott/Nora Quinn"
    assert analysis.main_pairing == couple.notation
    assert 0 < couple.score <= 1


def test_a_sister_is_family_and_written_with_an_ampersand() -> None:
    analysis = analysed("romance")
    sisters = between(analysis, "Iris", "Nora")
    assert sisters is not None and sisters.kind == "family"
    assert " & " in sisters.notation and "/" not in sisters.notation
    assert any("sister" in e.text for e in sisters.evidence)


def test_a_grandson_is_family() -> None:
    analysis = analysed("family")
    pair = between(analysis, "Edith", "Jamie")
    assert pair is not None and pair.kind == "family"
    # Same family name: ordered by given name.
    assert pair.notation == "Edith Marsh & Jamie Marsh"
    assert analysis.main_pairing is None


def test_a_wanted_kiss_that_never_happens_is_not_romance() -> None:
    analysis = analysed("almost")
    pair = between(analysis, "Hannah", "Priya")
    assert pair is None or pair.kind == "platonic"
    assert analysis.main_pairing is None
    assert not any(r.kind == "romantic" for r in analysis.relationships)


def test_two_people_talking_are_platonic_at_most() -> None:
    analysis = analysed("talk")
    pair = between(analysis, "Felix", "Ruth")
    assert pair is not None
    assert pair.kind == "platonic"
    assert pair.notation == "Ruth Adler & Felix Grant"
    assert analysis.main_pairing is None


def test_a_dead_husband_is_romance_off_the_page() -> None:
    analysis = analysed("widow")
    marriage = between(analysis, "Margaret", "Robert")
    assert marriage is not None
    assert marriage.kind == "romantic"
    assert marriage.on_page is False
    assert analysis.main_pairing is None, "a remembered marriage is not the story's pairing"
    friends = between(analysis, "Margaret", "Lucy")
    assert friends is not None and friends.kind == "platonic" and friends.on_page


def test_fights_and_hatred_are_antagonistic() -> None:
    analysis = analysed("rivals")
    pair = between(analysis, "Dominic", "Oliver")
    assert pair is not None and pair.kind == "antagonistic"
    assert pair.notation == "Oliver Reyes & Dominic Vane"
    assert len(pair.evidence) >= 2


@pytest.mark.parametrize("name", sorted(STORIES))
def test_evidence_slices_the_text_and_holds_a_cue_of_its_kind(name: str) -> None:
    analysis = analysed(name)
    text = STORIES[name]
    spoken = {(q.start, q.end) for q in analysis.quotes}
    assert analysis.relationships, name
    for relationship in analysis.relationships:
        assert relationship.evidence, relationship
        words = re.compile(KIND_WORDS[relationship.kind], re.IGNORECASE)
        for evidence in relationship.evidence:
            assert text[evidence.start : evidence.end] == evidence.text
            # A platonic pair known only from talk is shown by what they say to each other.
            talked = relationship.kind == "platonic" and (evidence.start, evidence.end) in spoken
            assert talked or words.search(evidence.text), (relationship.notation, evidence.text)
        ids = {c.id for c in analysis.characters}
        assert set(relationship.characters) <= ids and len(set(relationship.characters)) == 2


def test_relationships_are_ordered_by_score() -> None:
    for name in STORIES:
        scores = [r.score for r in analysed(name).relationships]
        assert scores == sorted(scores, reverse=True), name


def character(name: str, canonical: str | None = None, gender: str | None = None) -> Character:
    return Character(id=name, name=name, canonical=canonical, gender=gender)


@pytest.mark.parametrize(
    ("a", "b", "romantic", "expected"),
    [
        (
            character("John Watson"),
            character("Sherlock Holmes"),
            True,
            "Sherlock Holmes/John Watson",
        ),
        (character("Harry Potter"), character("Draco Malfoy"), True, "Draco Malfoy/Harry Potter"),
        # A single name: sorted as written ("Arthur Pendragon/Merlin", "Aziraphale/Crowley").
        (character("Merlin"), character("Arthur Pendragon"), True, "Arthur Pendragon/Merlin"),
        (character("Crowley"), character("Aziraphale"), False, "Aziraphale & Crowley"),
        # A rank is not part of the name, in the tag or in the order.
        (
            character("Captain Jean Martel"),
            character("Dr Ana Beltran"),
            False,
            "Ana Beltran & Jean Martel",
        ),
        (character("Captain Jean Martel"), character("Zoe Abara"), True, "Zoe Abara/Jean Martel"),
        # The canonical name wins, without its fandom disambiguation.
        (
            character("John", canonical="John Watson"),
            character("Sherlock", canonical="Sherlock Holmes (Sherlock)"),
            True,
            "Sherlock Holmes/John Watson",
        ),
    ],
)
def test_notation_follows_ao3(a: Character, b: Character, romantic: bool, expected: str) -> None:
    assert notation(a, b, romantic=romantic) == expected
    assert notation(b, a, romantic=romantic) == expected, "the order does not depend on input order"


def test_sort_key_uses_the_family_name() -> None:
    assert sort_key("Hermione Granger") < sort_key("Ron Weasley")
    assert sort_key("Professor Minerva McGonagall")[0] == "mcgonagall"
    assert sort_key("Spock") == ("spock", "")


def test_main_pairing_needs_one_pairing_to_stand_out() -> None:
    def romantic(notation_: str, score: float, on_page: bool = True) -> Relationship:
        return Relationship(["a", "b"], "romantic", notation_, on_page, score)

    assert main_pairing([romantic("A/B", 0.9), romantic("C/D", 0.3)]) == "A/B"
    assert main_pairing([romantic("A/B", 0.6), romantic("C/D", 0.55)]) is None
    assert main_pairing([romantic("A/B", 0.9, on_page=False), romantic("C/D", 0.4)]) == "C/D"
    friends = Relationship(["a", "b"], "platonic", "A & B", True, 0.9)
    assert main_pairing([friends]) is None


CHESS_RIVALS = """\
Greta Voss had beaten Ingrid Salo at every chess tournament in the valley for six years,
and Ingrid had never once congratulated her.

"Lucky," Ingrid said, when Greta took her queen.

"Skill," said Greta. "You wouldn't know."

Ingrid glared at Greta across the board. At the prize-giving Ingrid insulted Greta's coat,
and Greta insulted Ingrid's play, and the two of them argued on the steps of the town hall
until the arbiter sent them both home.

"You're a cheat," Ingrid snapped.

"And you're a sore loser," Greta said. "Go home, Ingrid."

The next spring Greta shoved past Ingrid at the registration desk without a word.
"""

BICKERING_FRIENDS = """\
Lucy Fenn argued with Omar Reid about the film. Then Lucy argued with Omar about the pizza,
and Omar argued with Lucy about whose turn it was to wash up.

"You're a menace," Omar said.

"You're a bigger one," said Lucy, and laughed.

They had been best friends since primary school. Omar hugged Lucy when the film ended, and
Lucy ruffled his hair.
"""


@pytest.mark.parametrize(
    ("story", "a", "b", "kind"),
    [
        (CHESS_RIVALS, "Greta", "Ingrid", "antagonistic"),
        (BICKERING_FRIENDS, "Lucy", "Omar", "platonic"),
    ],
)
def test_rivals_are_antagonistic_and_bickering_friends_platonic(
    story: str, a: str, b: str, kind: str
) -> None:
    analysis = pipeline()(story)
    pair = between(analysis, a, b)
    assert pair is not None and pair.kind == kind
    for evidence in pair.evidence:
        assert story[evidence.start : evidence.end] == evidence.text
        assert re.search(KIND_WORDS[kind], evidence.text, re.I), evidence.text


def test_three_quarrels_are_not_a_feud_but_insults_and_shoves_are() -> None:
    story = BICKERING_FRIENDS.replace("They had been best friends since primary school. ", "")
    story = story.replace("Omar hugged Lucy when the film ended, and\nLucy ruffled his hair.", "")
    # Arguing about films and pizza, with nothing warm between them: still not enemies.
    quarrels = between(pipeline()(story), "Lucy", "Omar")
    assert quarrels is not None and quarrels.kind == "platonic"
    hostile = story + "\nLucy insulted Omar. Omar shoved Lucy. Lucy glared at Omar.\n"
    feud = between(pipeline()(hostile), "Lucy", "Omar")
    assert feud is not None and feud.kind == "antagonistic"


def test_they_as_the_subject_is_the_two_people_of_the_scene() -> None:
    analysis = pipeline()(BICKERING_FRIENDS)
    pair = between(analysis, "Lucy", "Omar")
    assert pair is not None
    assert any("best friends" in e.text for e in pair.evidence)
