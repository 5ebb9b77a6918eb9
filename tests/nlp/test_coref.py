"""The coref stage's first-person narrator, on short original stories written for these tests.

A narrator who says "I" is rarely named by the narration; others name them when they
speak to them ("Jonah, sit down"). These stories check that the narrator takes that name,
even when the narration names a namesake, and not the name of someone the narrator
speaks to.
"""

from __future__ import annotations

from functools import cache

from ficlens.model import Analysis
from ficlens.pipeline import analyze_text

# The narrator is called "Jonah" twice, by his friend, in lines that answer his own.
LIGHTHOUSE = """\
I reached the lighthouse an hour after dark. The wind had torn my hat away somewhere on \
the causeway and my hands were too cold to feel the rail.

Pell was at the top of the stair with a lantern. He looked me over without a word and \
then stood aside to let me pass.

"The boat did not come," I said. "I walked."

"You walked the causeway at high water? Sit down, Jonah, before you fall down."

I sat. The lamp room hummed above us and the whole tower shook with every gust.

"Is there tea?" I asked.

"There is always tea. Drink it slowly, Jonah. You have no colour at all."

"Good night, Pell," I said at last, when the pot was empty, and I went down to the cot \
by the stove and slept until the gulls woke me.
"""

# The narrator is called "Edmund" in dialogue; the narration names Sir Edmund Hale, his
# great-grandfather, whom the name clustering joins to him.
CEDARS = """\
My great-grandfather, Sir Edmund Hale, built the house at Wyecombe and planted the \
cedars that still darken the lawn. Sir Edmund had been a hard man and a lucky one, and \
I had been named for him, which my aunt never let me forget.

I had been home from the army a week when she decided that I was idle.

"You will take root in that chair, Edmund," said Aunt Clara from the doorway.

"I am resting," I said.

"Resting! Edmund, you have rested since Tuesday."

"Then I shall rest until Friday," I answered, and turned a page of my book.

She crossed the room and took the book out of my hands. "Oh, Edmund, do not sulk. \
The vicar is coming to dinner and somebody must talk to him."

"Then I shall talk to him," I said, "about cedars."
"""

STORIES = {"lighthouse": LIGHTHOUSE, "cedars": CEDARS}


@cache
def analysed(key: str) -> Analysis:
    return analyze_text(STORIES[key])


def speaker_of(analysis: Analysis, opening: str) -> str | None:
    """The name of the character who speaks the line that starts with ``opening``."""
    names = {c.id: c.name for c in analysis.characters}
    quote = next(q for q in analysis.quotes if q.text.startswith(opening))
    return names.get(quote.speaker or "")


def test_a_narrator_called_by_name_in_replies_takes_that_name() -> None:
    analysis = analysed("lighthouse")
    assert all(c.name != "Narrator" for c in analysis.characters)
    assert speaker_of(analysis, "The boat did not come") == "Jonah"
    assert speaker_of(analysis, "Is there tea?") == "Jonah"


def test_someone_the_narrator_speaks_to_is_not_the_narrator() -> None:
    # '"Good night, Pell," I said': Pell is spoken to, and speaks in his own right.
    analysis = analysed("lighthouse")
    assert speaker_of(analysis, "Good night, Pell") == "Jonah"
    pell = next(c for c in analysis.characters if c.name == "Pell")
    assert "I" not in pell.aliases


def test_a_narrator_named_for_an_ancestor_is_not_the_ancestor() -> None:
    analysis = analysed("cedars")
    assert speaker_of(analysis, "I am resting") == "Edmund"
    assert speaker_of(analysis, "Then I shall rest until Friday") == "Edmund"
    narrator = next(c for c in analysis.characters if "I" in c.aliases)
    assert narrator.name == "Edmund"
    # The ancestor keeps his own name, and is nobody's "I".
    ancestor = next(c for c in analysis.characters if "Sir Edmund Hale" in {c.name, *c.aliases})
    assert ancestor is not narrator
    assert "Edmund" not in ancestor.aliases
