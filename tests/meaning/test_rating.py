"""Rating, archive warnings and category: conservative, and each with its evidence.

The stories are short original texts written for these tests (the explicit one is as
clinical as it can be while still being explicit). The pipeline runs once per story,
without the fandom stage.
"""

from __future__ import annotations

from functools import cache

import pytest
from meaning_stories import TALK, WIDOW

from ficlens.meaning.rating import RATINGS, categories
from ficlens.model import Analysis, Character, Evidence, Relationship, Tag
from ficlens.pipeline import Pipeline

BATTLE = """\
The bandits came at dusk. Captain Elena Voss held the bridge with six soldiers, and her
second, Marcus Hale, held it beside her.

"There are too many," Marcus said.

"Then we make them pay for every step," said Elena.

The first wave broke against their shields. The second did not. A spear took Marcus under
the arm, and he fell to his knees on the wet stones.

Elena dragged him behind the cart. Blood soaked through his tunic and across her hands.

"Stay with me," Elena said. "Marcus, stay with me."

Marcus tried to smile at her. Then Marcus stopped breathing, and his hand went slack in
hers.

Elena closed his eyes and picked up her sword and went back to the bridge.
"""

GORE = """\
The creature came through the wall at the end of the ward. Doctor Ines Farrow saw the
orderly go down first, and then there was blood everywhere.

"Get behind me," said Sergeant Karl Brandt, and he fired twice into its chest.

It did not stop. It tore into Brandt with claws like hooks, and his blood sprayed across
the tiles. Ines saw the bone jutting from his forearm, saw the gaping wound where his
stomach had been, saw his entrails slide out onto the floor.

She grabbed the fire axe from the wall. She swung it with everything she had, and the
creature's skull split open, and it fell, twitching, into the mess it had made.

Karl Brandt was still breathing. Ines knelt in the gore beside him and pressed both hands
to the wound, and shouted for help until her voice broke.
"""

SWEARING = """\
Max Turner missed the last train by four seconds.

"Fuck," he said, to the empty platform. "Fuck, fuck, fuck."

His phone was on two percent. He rang Lena Ortiz, because Lena was the only person he knew
who would still be awake.

"You missed it," Lena said, before he could speak.

"I missed it."

"You absolute idiot. Stay there. I'm getting the car."

Max sat on the bench and waited, and when Lena pulled up twenty minutes later, she had
brought him a sandwich and a blanket and a great deal of advice he did not want.
"""

SURVIVAL = """\
The river took the bridge at midnight, and Rosa Lind went in after Peter Hale without
thinking.

For a long minute she thought Peter was dead. He lay on the bank with his eyes closed, and
she could not find a pulse, and the rain came down on both of them.

Then Peter coughed up half the river and opened his eyes.

"You almost died," Rosa told him, shaking. "You nearly died, you stupid man."

"I didn't, though," said Peter. "Did I?"

Rosa laughed, and cried, and laughed again, and wrapped her coat around him until the
ambulance came.
"""

EXPLICIT = """\
Jonah Price and Mira Hadley had waited six months for a whole weekend alone, and they did
not waste it.

Mira pulled Jonah down onto the bed and kissed him until they were both breathless. She
undressed him slowly, and he undressed her, and for a while they were only two naked
bodies in the afternoon light.

When he pressed against her she could feel his erection, hard and urgent, and she guided
him with her hand. He thrust into her, slow and deep, and she moaned against his neck.

Her orgasm hit like a wave, and his came a moment after. They lay tangled together
afterwards, sticky and laughing.

"Six months," Jonah said.

"Worth it," said Mira, and kissed him again.
"""

DECLARED_SMUT = (
    "Title: Long Weekend\nRating: not rated\nTags: smut, established relationship\n\n" + TALK
)

MILD = """\
Tom Ashby dropped the box on his foot and hopped around the kitchen.

"Damn it," he said. "Bloody hell, that hurt."

His sister Ellie Ashby laughed at him from the doorway. "What the hell are you doing?"

"Moving a box. Damn thing weighs a ton."

Ellie helped him carry it to the car, and they drove to the new flat with the radio on.
"""

BONES = """\
The raider's club came down on Ivo Brand's arm and he heard the bone snap. Blood poured from
his split lip. He swung his axe and felt the man's bones crunch under it, and then there was
blood everywhere, pooling in the ruts of the road.

Mara Tell dragged him behind the wagon. "Stay down," she said.

"I'm fine," said Ivo, and fainted.
"""

NO_BONES = """\
The raiders never came. Ivo Brand waited at the pass all day with Mara Tell; no bones
snapped, and no blood poured anywhere but from Mara's thumb when she cut the bread.

"Quiet day," Mara said.

"Good," said Ivo. "I hate the other kind."
"""

SCENE = """\
Nell Archer closed the bedroom door behind them, and Jonah Wilde laughed, nervous, as she
pulled his jumper over his head.

They undressed each other slowly. She kissed down his chest and he moaned against her
shoulder, and when they were both naked they fell into bed together. They made love in the
grey light from the window, his hands on her hips, her mouth on his neck.

Afterwards they lay tangled in the sheets. "Stay," Nell said.

"Always," said Jonah.
"""

NO_SCENE = """\
Nell Archer and Jonah Wilde did not sleep together that night. They did not even undress;
they fell asleep on the sofa in their coats, watching an old film, her head on his shoulder.

In the morning Jonah made toast. "We should do that again," he said.

"Watch a terrible film?" said Nell.
"""

REMEMBERED = """\
Nell Archer and Jonah Wilde met for coffee ten years after university.

"We slept together once," Jonah said. "Do you remember?"

"The night of the leavers' ball," said Nell, and laughed. They had slept together once, and
never again, and it had been a little awkward and very sweet.

"Your hair was green," said Jonah.

"Your hair was worse," said Nell. They talked until the café closed.
"""

COUPLE = """\
Rosa Delgado came home late, soaked through, and found Sam Kerr asleep on the sofa with the
cat on his chest.

"Hey," Rosa said softly.

Sam blinked awake. "You're back." He sat up, and the cat complained.

She sat beside him, and he pulled her close and kissed her. Rosa kissed him back, and for a
while neither of them said anything.

"I love you," Sam said.

"I know," said Rosa. "I love you too."
"""

STORIES = {
    "mild": MILD,
    "bones": BONES,
    "no_bones": NO_BONES,
    "scene": SCENE,
    "no_scene": NO_SCENE,
    "remembered": REMEMBERED,
    "couple": COUPLE,
    "battle": BATTLE,
    "gore": GORE,
    "swearing": SWEARING,
    "survival": SURVIVAL,
    "explicit": EXPLICIT,
    "quiet": TALK,
    "widow": WIDOW,
    "declared_smut": DECLARED_SMUT,
}


@cache
def analysed(name: str) -> Analysis:
    return Pipeline(disable=["fandoms", "arc"])(STORIES[name])


def inferred(name: str, type_: str) -> list[Tag]:
    return [t for t in analysed(name).tags if t.source == "inferred" and t.type == type_]


def rating(name: str) -> Tag:
    (found,) = inferred(name, "rating")
    return found


def warnings(name: str) -> set[str]:
    return {t.name for t in inferred(name, "warning")}


def test_a_quiet_story_is_general_audiences_with_no_warnings() -> None:
    assert rating("quiet").name == "General Audiences"
    assert warnings("quiet") == {"No Archive Warnings Apply"}
    assert [t.name for t in inferred("quiet", "category")] == ["Gen"]


def test_strong_swearing_makes_teen_and_up() -> None:
    found = rating("swearing")
    assert found.name == "Teen And Up Audiences"
    assert found.evidence and all("uck" in e.text for e in found.evidence)
    assert warnings("swearing") == {"No Archive Warnings Apply"}
    assert "Swearing" in {t.name for t in inferred("swearing", "freeform")}


def test_graphic_gore_makes_mature_and_the_violence_warning() -> None:
    found = rating("gore")
    assert found.name == "Mature"
    assert "Graphic Depictions Of Violence" in warnings("gore")
    assert "No Archive Warnings Apply" not in warnings("gore")
    # The wounded man is still breathing at the end: nobody died.
    assert "Major Character Death" not in warnings("gore")


def test_a_main_character_dying_on_the_page_is_major_character_death() -> None:
    assert "Major Character Death" in warnings("battle")
    (death,) = [t for t in inferred("battle", "warning") if t.name == "Major Character Death"]
    assert any("stopped breathing" in e.text for e in death.evidence)
    assert rating("battle").name in ("Teen And Up Audiences", "Mature")
    assert "Character Death" in {t.name for t in inferred("battle", "freeform")}


def test_almost_dying_is_not_a_death() -> None:
    assert "Major Character Death" not in warnings("survival")
    assert warnings("survival") == {"No Archive Warnings Apply"}
    names = {t.name for t in inferred("survival", "freeform")}
    assert not {"Character Death", "Past Character Death"} & names


def test_a_death_before_the_story_is_past_not_a_warning() -> None:
    assert "Major Character Death" not in warnings("widow")
    names = {t.name for t in inferred("widow", "freeform")}
    assert "Past Character Death" in names and "Character Death" not in names


def test_explicit_sex_makes_explicit() -> None:
    found = rating("explicit")
    assert found.name == "Explicit"
    assert len(found.evidence) >= 2
    text = STORIES["explicit"]
    for evidence in found.evidence:
        assert text[evidence.start : evidence.end] == evidence.text
    assert warnings("explicit") == {"No Archive Warnings Apply"}


def test_a_declared_smut_tag_raises_the_suggested_rating() -> None:
    found = rating("declared_smut")
    assert found.name == "Explicit"
    assert [e.text.lower() for e in found.evidence] == ["smut"]


@pytest.mark.parametrize("name", sorted(STORIES))
def test_one_rating_and_warning_evidence_slices_the_text(name: str) -> None:
    text = STORIES[name]
    analysis = analysed(name)
    assert len(inferred(name, "rating")) == 1
    assert rating(name).name in RATINGS
    assert inferred(name, "warning") and inferred(name, "category")
    for tag in analysis.tags:
        for evidence in tag.evidence:
            assert text[evidence.start : evidence.end] == evidence.text, tag


def person(id_: str, gender: str | None) -> Character:
    return Character(id=id_, name=id_.title(), gender=gender)


def romance(a: str, b: str) -> Relationship:
    return Relationship([a, b], "romantic", f"{a}/{b}", True, 0.8, [Evidence(0, 1, "x")])


PEOPLE = [
    person("ann", "F"),
    person("bea", "F"),
    person("cal", "M"),
    person("dev", "M"),
    person("vex", None),
    person("eve", "F"),
    person("zed", None),
]


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([], ["Gen"]),
        ([("ann", "cal")], ["F/M"]),
        ([("cal", "dev")], ["M/M"]),
        ([("ann", "bea")], ["F/F"]),
        # An unknown gender is no category at all, not Other.
        ([("ann", "vex")], []),
        ([("ann", "vex"), ("bea", "dev")], ["F/M"]),
        ([("ann", "cal"), ("bea", "dev")], ["F/M"]),
        ([("ann", "cal"), ("cal", "dev")], ["F/M", "M/M", "Multi"]),
        # A love triangle of one kind is that kind; Multi wants several kinds or poly.
        ([("ann", "cal"), ("ann", "dev")], ["F/M"]),
        ([("ann", "bea"), ("bea", "eve"), ("ann", "eve")], ["F/F", "Multi"]),
    ],
)
def test_categories_from_romance_and_genders(
    pairs: list[tuple[str, str]], expected: list[str]
) -> None:
    relationships = [romance(a, b) for a, b in pairs]
    relationships.append(Relationship(["bea", "dev"], "platonic", "Bea & Dev", True, 0.9))
    tags = categories(relationships, PEOPLE)
    assert [t.name for t in tags] == expected
    assert all(t.type == "category" and t.source == "inferred" for t in tags)


def test_a_couple_read_off_the_pronouns_when_neither_gender_is_known() -> None:
    relationships = [romance("vex", "zed")]
    assert categories(relationships, PEOPLE) == []
    tags = categories(relationships, PEOPLE, pairs={frozenset(("vex", "zed")): "FM"})
    assert [t.name for t in tags] == ["F/M"]


def test_a_remembered_romance_does_not_make_multi() -> None:
    past = romance("ann", "dev")
    past.on_page = False
    tags = categories([romance("ann", "bea"), past], PEOPLE)
    assert [t.name for t in tags] == ["F/F"]
    # With no romance on the page, the remembered one gives the category.
    assert [t.name for t in categories([past], PEOPLE)] == ["F/M"]


def test_a_given_name_stands_in_for_unknown_pronouns() -> None:
    nora = Character(id="n", name="Nora Quinn", gender=None)
    will = Character(id="w", name="Captain William Abbott", gender=None)
    tags = categories([romance("n", "w")], [nora, will])
    assert [t.name for t in tags] == ["F/M"]


def test_category_of_the_stories() -> None:
    assert [t.name for t in inferred("explicit", "category")] != ["Gen"]
    assert [t.name for t in inferred("swearing", "category")] == ["Gen"]


def test_mild_swearing_alone_is_general_audiences() -> None:
    assert rating("mild").name == "General Audiences"
    assert "Swearing" not in {t.name for t in inferred("mild", "freeform")}


def test_bones_breaking_and_blood_pouring_make_mature() -> None:
    found = rating("bones")
    assert found.name == "Mature"
    assert any("bone snap" in e.text for e in found.evidence)
    assert "Graphic Depictions Of Violence" in warnings("bones")
    # Said not to happen, the same words are no violence at all.
    assert rating("no_bones").name == "General Audiences"
    assert warnings("no_bones") == {"No Archive Warnings Apply"}


def test_a_sex_scene_on_the_page_is_mature_or_more_and_a_denied_one_is_not() -> None:
    found = rating("scene")
    assert found.name in ("Mature", "Explicit")
    assert any("made love" in e.text or "naked" in e.text for e in found.evidence)
    assert rating("no_scene").name == "General Audiences"


def test_sex_talked_about_or_remembered_is_teen_and_up() -> None:
    found = rating("remembered")
    assert found.name == "Teen And Up Audiences"
    assert any("slept together" in e.text for e in found.evidence)


def test_a_man_and_a_woman_kissing_are_f_m_even_when_her_pronouns_went_unresolved() -> None:
    analysis = analysed("couple")
    (couple,) = [r for r in analysis.relationships if r.kind == "romantic"]
    rosa = next(c for c in analysis.characters if c.name.startswith("Rosa"))
    assert rosa.id in couple.characters
    assert [t.name for t in inferred("couple", "category")] == ["F/M"]


def test_gore_that_is_only_threatened_is_not_mature() -> None:
    text = (
        'Ivo Brand leaned over the table. "Touch my horse again," he said, "and I will break '
        "every bone in your body. I'll make the blood pour out of you.\"\n\n"
        '"You wouldn\'t dare," said Mara Tell, and she took the reins anyway.\n'
    )
    analysis = Pipeline(disable=["fandoms", "arc"])(text)
    (found,) = [t for t in analysis.tags if t.type == "rating"]
    assert found.name == "Teen And Up Audiences"
    assert "Graphic Depictions Of Violence" not in {t.name for t in analysis.tags}
