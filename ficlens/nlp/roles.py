"""Stage ``roles``: main, secondary or merely mentioned.

A character is *mentioned* when they are named but never on the page: they never speak,
nobody speaks to them, and the narration never shows them doing anything (a dead lover
remembered, absent colleagues). Of the others, the *main* characters are those who
dominate the story by mentions and lines; the rest are *secondary*.
"""

from __future__ import annotations

from collections import Counter

from ficlens.document import Document

# Past-tense verbs that tell of a state or a habit, not of someone acting in the scene.
_NOT_ACTING = frozenset({"had", "was", "were", "used", "would", "could", "might", "must"})
# A main character has at least this share of the leading character's presence.
_MAIN_SHARE = 0.5


def roles_stage(doc: Document) -> None:
    """Pipeline stage: set ``role`` on every character."""
    tokens = doc.tokens
    assert tokens is not None
    characters = doc.analysis.characters
    addressed = Counter(a for q in doc.analysis.quotes for a in q.addressees)
    acting: Counter[str] = Counter()
    for mention in doc.mentions:
        if mention.in_quote or mention.character is None:
            continue
        i = tokens.index_at(mention.end - 1) + 1  # the token after the mention
        if i < len(tokens) and tokens.tag[i] in ("VBD", "VBZ", "VBP"):
            word = doc.text[tokens.start[i] : tokens.end[i]].lower()
            if word not in _NOT_ACTING:
                acting[mention.character] += 1
    presence = {c.id: c.mentions + 2 * c.quotes for c in characters}
    top = max(presence.values(), default=0)
    for character in characters:
        on_page = character.quotes or addressed[character.id] or acting[character.id]
        if not on_page:
            character.role = "mentioned"
        elif top and presence[character.id] >= _MAIN_SHARE * top:
            character.role = "main"
        else:
            character.role = "secondary"
