"""First-person narration: "I said" is the narrator speaking."""

from __future__ import annotations

from ficlens.pipeline import analyze_text

UNNAMED = """\
I had not meant to stay at the inn. I only wanted to dry my coat, but the landlady \
caught my sleeve before I reached the fire.

"You're the one from the coach," she said.

"I am," I said. "Is there a room?"

"There's always a room for a wet man," said Mrs Holloway. She laughed at her own joke \
and I laughed with her, because I was tired and it was warm.

I went up the stairs with my candle and my doubts.
"""

NAMED = """\
I was eleven the winter my uncle came home. I remember the snow on his boots and the \
smell of tar on my hands.

"Wren, fetch the lamp," said Uncle Abel.

"Yes, sir," I said, and I ran for it.

"Wren, you are slow as a tide," he grumbled when I came back. "Wren, sit."

I sat. I did not tell him that I had stopped to look at the sea.
"""

THIRD_PERSON = """\
Mara walked to the harbour at dawn. She liked the gulls and the quiet.

"Morning," said Tomas, mending his net.

"Morning," Mara said. "Any luck?"

"I never have luck," he said. "I have nets."
"""


# The narrator is "Mr Penrose" to the stranger, and a man: "he said" and "said the man"
# are still never him.
SLIP = """\
I was mending nets on the slip when a man in a grey coat came down the hill. He stopped \
by my boat and watched me work for a while.

"Does the ferry still run to Holm?" said the man.

"Not since the spring," I said. "The boat went on the rocks."

"Then you will have to row me, Mr Penrose," he said. "They told me in the village that \
you would."

"They tell a lot in the village," I said.

"And they told me you would want paying, Mr Penrose," said the man, and he put a coin on \
the thwart.

I picked it up. It was more than the ferry had ever cost.
"""


def _said(text: str) -> dict[str, str | None]:
    analysis = analyze_text(text)
    names = {c.id: c.name for c in analysis.characters}
    return {q.text: names.get(q.speaker or "") for q in analysis.quotes if q.speech}


def test_an_unnamed_first_person_narrator_speaks_the_i_said_lines() -> None:
    analysis = analyze_text(UNNAMED)
    narrator = next(c for c in analysis.characters if c.name == "Narrator")
    assert "I" in narrator.aliases
    assert narrator.mentions >= 10
    said = _said(UNNAMED)
    assert said["I am,"] == "Narrator"
    assert said["You're the one from the coach,"] != "Narrator"


def test_a_narrator_others_call_by_name_is_that_character() -> None:
    said = _said(NAMED)
    assert said["Yes, sir,"] == "Wren"
    assert said["Wren, fetch the lamp,"] == "Uncle Abel"
    assert not any(name == "Narrator" for name in said.values())


def test_a_third_person_story_has_no_narrator() -> None:
    analysis = analyze_text(THIRD_PERSON)
    assert all(c.name != "Narrator" for c in analysis.characters)
    assert _said(THIRD_PERSON)["I never have luck,"] == "Tomas"


def test_he_said_in_a_first_person_story_is_not_the_narrator() -> None:
    said = _said(SLIP)
    assert said["Not since the spring,"] == "Mr Penrose"
    assert said["They tell a lot in the village,"] == "Mr Penrose"
    for line in (
        "Does the ferry still run to Holm?",
        "Then you will have to row me, Mr Penrose,",
        "And they told me you would want paying, Mr Penrose,",
    ):
        assert said[line] == "the man", line


# "said I." is one token to spaCy (it keeps an initial's full stop), and still the narrator.
INVERTED = """\
I remember that evening well. I was alone on the quay, and I was cold, when a woman in \
a long green coat came along the harbour wall. I saw that she carried a lantern, and I \
was glad of it.

"Where is the ferryman?" said the woman.

"Gone home, ma'am," said I. She frowned, and looked out at the water.

"Then who will take me across?"
"""


def test_said_i_at_the_end_of_a_sentence_is_the_narrator() -> None:
    said = _said(INVERTED)
    assert said["Gone home, ma'am,"] == "Narrator"
    assert said["Where is the ferryman?"] == "the woman"
