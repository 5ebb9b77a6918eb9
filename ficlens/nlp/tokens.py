"""Stage ``tokens``: run spaCy over the story paragraphs.

Each paragraph is one spaCy document (paragraphs are short, and batching them through
``nlp.pipe`` is what makes spaCy fast). The result is flattened into ``Document.tokens``
with offsets into the whole text.

A long text is split in contiguous parts, one per process: this process reads the first
while forked children read the others and send back only the flat lists. (spaCy's own
``n_process`` sends whole documents back, and rebuilding them here cost more of this
process's time than the second core saved.)
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from concurrent.futures import ProcessPoolExecutor

from ficlens.document import Document, Tokens
from ficlens.nlp.language import load_language

# Below this many characters a second process costs more than it saves.
_PARALLEL_FROM = 400_000


class TokensStage:
    def __init__(self, processes: int | None = None, parallel_from: int = _PARALLEL_FROM) -> None:
        self.nlp = load_language()
        self.processes = processes or min(2, os.cpu_count() or 1)
        self.parallel_from = parallel_from

    def __call__(self, doc: Document) -> None:
        paragraphs = [(p.start, doc.text[p.start : p.end]) for p in doc.analysis.paragraphs()]
        size = sum(len(text) for _, text in paragraphs)
        if self.processes > 1 and size >= self.parallel_from and _can_fork():
            doc.tokens = read_in_parts(paragraphs, self.processes)
        else:
            doc.tokens = read_paragraphs(paragraphs)


def read_in_parts(paragraphs: list[tuple[int, str]], parts: int) -> Tokens:
    """``read_paragraphs`` over contiguous parts: the first here, the others in forked
    children at the same time."""
    chunks = _split(paragraphs, parts)
    if len(chunks) == 1:
        return read_paragraphs(paragraphs)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(len(chunks) - 1, mp_context=context) as pool:
        later = [pool.submit(read_paragraphs, chunk, first) for first, chunk in chunks[1:]]
        tokens = read_paragraphs(chunks[0][1])
        for future in later:
            _extend(tokens, future.result())
    return tokens


def read_paragraphs(paragraphs: list[tuple[int, str]], first: int = 0) -> Tokens:
    """spaCy's reading of (offset, text) paragraphs, numbered from ``first``."""
    nlp = load_language()
    tokens = Tokens()
    parsed = nlp.pipe((text for _, text in paragraphs), batch_size=128)
    for index, ((base, _), sdoc) in enumerate(zip(paragraphs, parsed, strict=True), first):
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
    return tokens


def _split(
    paragraphs: list[tuple[int, str]], parts: int
) -> list[tuple[int, list[tuple[int, str]]]]:
    """Up to ``parts`` contiguous runs of paragraphs of about equal length, each with the
    number of its first paragraph."""
    total = sum(len(text) for _, text in paragraphs)
    out: list[tuple[int, list[tuple[int, str]]]] = [(0, [])]
    filled = 0
    for index, paragraph in enumerate(paragraphs):
        if filled >= total * len(out) / parts and len(out) < parts:
            out.append((index, []))
        out[-1][1].append(paragraph)
        filled += len(paragraph[1])
    return out


def _extend(tokens: Tokens, more: Tokens) -> None:
    tokens.start += more.start
    tokens.end += more.end
    tokens.tag += more.tag
    tokens.sent_start += more.sent_start
    tokens.paragraph += more.paragraph
    tokens.entities += more.entities


def _can_fork() -> bool:
    """A forked child shares the loaded model for free. Only Linux forks safely, and only
    a process with one thread (a lock another thread holds would stay held in the child:
    the web server reads in one process); a daemonic process (a multiprocessing.Pool
    worker) may not have children."""
    return (
        sys.platform.startswith("linux")
        and threading.active_count() == 1
        and not multiprocessing.current_process().daemon
    )
