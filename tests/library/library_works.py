"""Small original stories and the analyses the library tests store.

The library stores and searches what an analysis says, so most tests spell the analysis
out: the real layout stage finds the chapters and paragraphs of each text (fast, no
spaCy), and the test sets the metadata, characters, relationships and tags it is about.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ficlens.model import Analysis, Character, Fandom, Relationship, Tag
from ficlens.pipeline import Pipeline
from ficlens.read import Loaded, load_bytes

_LAYOUT = Pipeline(disable=["tokens"])  # layout and quotes only


@dataclass
class Spec:
    key: str
    text: str
    title: str
    authors: list[str] = field(default_factory=list)
    summary: str | None = None
    fandoms: list[str] = field(default_factory=list)
    relationships: list[str] = field(default_factory=list)
    characters: list[Character] = field(default_factory=list)
    declared_characters: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    inferred: list[Tag] = field(default_factory=list)
    inferred_fandoms: list[str] = field(default_factory=list)
    inferred_relationships: list[Relationship] = field(default_factory=list)
    rating: str | None = None
    warnings: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    words: int = 0
    complete: bool | None = None
    published: str | None = None
    updated: str | None = None


def build(spec: Spec, path: str | None = None) -> tuple[Loaded, Analysis]:
    loaded = load_bytes(spec.text.encode("utf-8"), path=path or f"/fics/{spec.key}.txt")
    analysis = _LAYOUT.analyze_loaded(loaded)
    work = analysis.work
    work.title = spec.title
    work.authors = list(spec.authors)
    work.summary = spec.summary
    work.word_count = spec.words
    work.complete = spec.complete
    work.published = spec.published
    work.updated = spec.updated
    declared = work.declared
    declared.fandoms = list(spec.fandoms)
    declared.relationships = list(spec.relationships)
    declared.characters = list(spec.declared_characters)
    declared.tags = list(spec.tags)
    declared.rating = spec.rating  # type: ignore[assignment]
    declared.warnings = list(spec.warnings)
    declared.categories = list(spec.categories)
    analysis.characters = list(spec.characters)
    analysis.tags = list(spec.inferred)
    analysis.fandoms = [Fandom(name, "inferred", 0.8) for name in spec.inferred_fandoms]
    analysis.relationships = list(spec.inferred_relationships)
    return loaded, analysis


KIRK = Character("c1", "James T. Kirk", aliases=["Jim", "Kirk", "Captain Kirk"], role="main")
SPOCK = Character("c2", "Spock", aliases=["Mr. Spock"], role="main")
MCCOY = Character("c3", "Leonard McCoy", aliases=["Bones", "McCoy"], role="secondary")

SPECS: dict[str, Spec] = {
    spec.key: spec
    for spec in (
        Spec(
            key="lanterns",
            title="The Lanterns of Veltra",
            authors=["quillfeather"],
            summary="Shore leave, a festival of paper lanterns, and a captain who will not rest.",
            text=(
                "The paper lanterns of Veltra rose over the harbour one by one.\n\n"
                '"You should sit down, Jim," Spock said. "Your ankle is swollen."\n\n'
                "Kirk laughed and did not sit down. Bones would have made him.\n"
            ),
            fandoms=["Star Trek: The Original Series"],
            relationships=["James T. Kirk/Spock"],
            declared_characters=["James T. Kirk", "Spock", "Leonard McCoy"],
            characters=[KIRK, SPOCK, MCCOY],
            tags=["Hurt/Comfort", "Shore Leave"],
            rating="Teen And Up Audiences",
            warnings=["No Archive Warnings Apply"],
            categories=["M/M"],
            words=1200,
            complete=True,
            published="2021-03-04",
            updated="2021-05-01",
        ),
        Spec(
            key="kitchen",
            title="Smoke in the Lower Kitchens",
            authors=["ember_and_ash"],
            summary="Merlin tries to cook. Arthur tries to help. The cook despairs.",
            text=(
                "The pot had been boiling over for some time before anyone noticed.\n\n"
                '"Is that supposed to be black?" Arthur asked.\n\n'
                "Merlin waved the smoke away from the onions and said nothing at all.\n"
            ),
            fandoms=["Merlin (TV)"],
            relationships=["Arthur & Merlin"],
            characters=[
                Character("c1", "Merlin", role="main"),
                Character("c2", "Arthur Pendragon", aliases=["Arthur"], role="main"),
            ],
            tags=["Humor", "Friendship"],
            inferred=[Tag("Angst", "freeform", "inferred", 0.6)],
            rating="General Audiences",
            warnings=["No Archive Warnings Apply"],
            categories=["Gen"],
            words=800,
            complete=False,
            published="2019-11-20",
        ),
        Spec(
            key="tea",
            title="Cold Tea on Baker Street",
            authors=["quillfeather", "second_pen"],
            summary="The kettle whistled for a man who was not coming home.",
            text=(
                "The kettle whistled in the empty flat, and John let it.\n\n"
                "Two cups stood on the counter. He had not meant to take down the second.\n"
            ),
            fandoms=["Sherlock (TV)"],
            relationships=["John Watson/Sherlock Holmes"],
            characters=[
                Character("c1", "John Watson", aliases=["John", "Watson"], role="main"),
                Character("c2", "Sherlock Holmes", aliases=["Sherlock"], role="mentioned"),
            ],
            tags=["Angst", "Grief"],
            rating="Mature",
            warnings=["Major Character Death"],
            categories=["M/M"],
            words=5000,
            complete=True,
            published="2023-01-15",
        ),
        Spec(
            key="vulcan",
            title="Stars over the Forge",
            authors=["Bellweather"],
            summary="A desert, a broken shuttle, and two men who argue about water.",
            text=(
                "The shuttle had come down hard in the Forge, and the stars were very bright.\n\n"
                '"We ration the water," McCoy said. "Starting now, Jim."\n\n'
                "Kirk handed him the canteen without a word.\n"
            ),
            fandoms=["Star Trek: The Original Series"],
            relationships=["James T. Kirk & Leonard McCoy"],
            characters=[KIRK, MCCOY],
            tags=["h/c", "Survival"],
            rating="Explicit",
            words=3000,
            published="2022-07-07",
        ),
        Spec(
            key="tardis",
            title="Biscuits",
            text=(
                "The blue box hummed in the corner of the kitchen while the biscuits cooled.\n\n"
                "Nobody in the house asked where it had come from.\n"
            ),
            inferred_fandoms=["Doctor Who"],
            inferred=[Tag("Fluff", "freeform", "inferred", 0.7)],
            words=150,
        ),
    )
}
