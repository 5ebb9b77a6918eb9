"""Tiny original stories for the corpus tests, and a corpus folder made of them.

The six stories are written for these tests; ``story(i)`` varies the cast by ``i`` so a
few dozen works differ in names, genders and lengths without any text repeated verbatim.
"""

from __future__ import annotations

from pathlib import Path

# (name, pronoun) casts; the stories use {a}, {b}, {c} and {a_he}/{a_his} etc.
CASTS = [
    (("Mara Quill", "she", "her"), ("Tobias Fenn", "he", "his"), ("Ilse Varga", "she", "her")),
    (("Rowan Ashby", "he", "his"), ("Delia Stroud", "she", "her"), ("Piet Lorne", "he", "his")),
    (("Nadia Orsk", "she", "her"), ("Caspian Reed", "he", "his"), ("Hollis Marr", "he", "his")),
    (("Jonah Pike", "he", "his"), ("Wren Calder", "she", "her"), ("Edda Moss", "she", "her")),
]

STORIES = [
    """Title: The Lantern Shop
Fandom: Harbour Lights
Rating: T
Pairing: {a1}/{b1}

{a} pushed open the door of the lantern shop. The bell rang twice.

"You're late," said {b}, not looking up from the bench.

"The tide was wrong," {a1} said. {a_he_cap} shook the rain from {a_his} coat. "And the ferry
man wanted to talk about his goats again."

{b1} laughed. "He always wants to talk about his goats."

They worked until the lamps outside were lit, and {c} came by with bread and news of the
storm. "It will reach the harbour by midnight," {c1} said. "Stay in, both of you."
""",
    """Title: Letters Home
Fandom: Harbour Lights
Tags: angst, hurt/comfort

The letter came on a Tuesday. {b} read it three times before {b_he} put it down.

"Bad news?" asked {a}.

"My brother is not coming back this winter," {b1} said quietly. "He says the mines need
him."

{a1} sat beside {b_him} on the step. For a long while neither of them spoke. Then {a1}
said, "We could go to him. The roads are open until the first snow."

"You would do that?"

"Of course I would," said {a1}.
""",
    """Title: The Clockmaker's Apprentice
Fandom: Brass and Bone
Rating: G

{c} had wound every clock in the workshop by nine. The old clockmaker, {a}, watched
{c_him} with a frown.

"You skipped the tall one by the window," {a1} said.

"It stopped years ago," said {c1}. "Nobody has the key."

"I have the key." {a1} took it from a drawer and set it on the counter. "Wind it, and
listen."

{c1} turned the key until it would not turn any more. The tall clock coughed, whirred,
and began to tick. Somewhere behind the panel a small bell played a tune {c_he} had never
heard.
""",
    """Title: Market Day
Fandom: Brass and Bone

The square was full before the sun was high. {b} sold apples; {c} sold nothing at all
and talked to everyone.

"You'll scare off my customers," {b1} told {c_him}.

"I am bringing you customers," said {c1}. "Watch." {c_he_cap} called out to a passing
farmer, "The best apples in the valley, and the cheapest!"

"They are not the cheapest," {b1} hissed.

"They are today," {c1} said, and grinned.
""",
    """Title: Night Watch
Fandom: Harbour Lights
Warnings: Major Character Death

On the wall the wind was cold. {a} kept the watch with {c}, and neither of them slept.

"Do you hear that?" asked {c1}.

"Only the sea."

"No. Listen." {c1} raised a hand. Far off, a horn sounded, low and long.

{a1} was already running for the bell. "Wake the town!" {a_he} shouted. "Wake everyone!"

By morning the ships had gone, and so had {c1}. They found only {c_his} lantern on the
stones, still burning.
""",
    """# Snowbound

{b} and {a} were snowed in at the inn for three days. On the first day they argued about
the fire. On the second day they argued about the cards.

"You cheated," said {a1}.

"I never cheat," {b1} said. "I only win."

On the third day the innkeeper, {c}, brought them soup and told them the pass was open.
Neither of them moved to pack.

"One more game?" asked {b1}.

"One more," said {a1}.
""",
]


def story(i: int) -> str:
    """The ``i``-th test story: one of the six, with one of the casts."""
    template = STORIES[i % len(STORIES)]
    cast = CASTS[(i // len(STORIES)) % len(CASTS)]
    values: dict[str, str] = {}
    for key, (name, he, his) in zip("abc", cast, strict=True):
        him = {"he": "him", "she": "her"}[he]
        values[key] = name
        values[f"{key}1"] = name.split()[0]
        values[f"{key}_he"] = he
        values[f"{key}_he_cap"] = he.capitalize()
        values[f"{key}_his"] = his
        values[f"{key}_him"] = him
    return template.format(**values)


def write_corpus(root: Path, count: int, *, bad: int = 0) -> list[str]:
    """``count`` stories under ``root`` in two folders, plus ``bad`` unreadable files.

    Returns the work ids (paths relative to ``root``) of the stories that should succeed.
    """
    ids = []
    for i in range(count):
        rel = f"{'harbour' if i % 2 else 'brass'}/story-{i:03d}.txt"
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(story(i), encoding="utf-8")
        ids.append(rel)
    for j in range(bad):
        rel = f"broken/bad-{j}.txt"
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        # Binary bytes: the reader refuses them, so the work is a failure row.
        (root / rel).write_bytes(bytes(range(256)) * 4)
    return ids
