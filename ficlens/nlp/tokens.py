"""Stage ``tokens``: run spaCy over the story paragraphs.

Each paragraph is one spaCy document (paragraphs are short, and batching them through
``nlp.pipe`` is what makes spaCy fast). Long texts are split over two processes. The
result is flattened into ``Document.tokens`` with offsets into the whole text.
"""

from __future__ import annotations

import os

from ficlens.document import Document, Tokens
from ficlens.nlp.language import load_language

# Below this many characters a second process costs more than it saves.
_PARALLEL_FROM = 400_000


class TokensStage:
    def __init__(self, processes: int | None = None) -> None:
        self.nlp = load_language()
        self.processes = processes or min(2, os.cpu_count() or 1)

    def __call__(self, doc: Document) -> None:
        paragraphs = doc.analysis.paragraphs()
        texts = [doc.text[p.start : p.end] for p in paragraphs]
        size = sum(len(t) for t in texts)
        processes = self.processes if size >= _PARALLEL_FROM else 1
        tokens = Tokens()
        parsed = self.nlp.pipe(texts, batch_size=128, n_process=processes)
        for index, (para, sdoc) in enumerate(zip(paragraphs, parsed, strict=True)):
            base = para.start
            for token in sdoc:
                if token.is_space:
                    continue  # line breaks inside hard-wrapped paragraphs
                tokens.start.append(base + token.idx)
                tokens.end.append(base + token.idx + len(token.text))
                tokens.tag.append(token.tag_)
                tokens.sent_start.append(bool(token.is_sent_start))
                tokens.paragraph.append(index)
            for ent in sdoc.ents:
                tokens.entities.append((base + ent.start_char, base + ent.end_char, ent.label_))
        doc.tokens = tokens
