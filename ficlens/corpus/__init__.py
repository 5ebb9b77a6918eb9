"""Corpus runs: the full analysis over thousands to millions of works, into Parquet tables.

``inputs`` streams the works of a corpus (a folder tree, a JSONL or a Parquet file),
``rows`` turns one ``Analysis`` into table rows, ``tables`` holds the Arrow schemas,
``writer`` commits parts atomically and knows which works are done (resume), ``local``
and ``ray_engine`` analyse works in parallel, ``run`` ties them together and ``stats``
summarises a finished run for researchers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ficlens.corpus.run import RunSummary, run_corpus

__all__ = ["RunSummary", "run_corpus"]


def __getattr__(name: str) -> Any:
    # Lazily: the workers import this package too, and need neither Arrow nor the writer.
    if name in __all__:
        from ficlens.corpus import run

        return getattr(run, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
