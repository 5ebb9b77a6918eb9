"""``ficlens corpus run`` on a terminal: the progress bar, the summary line, the exit status."""

from __future__ import annotations

import os
from collections.abc import Iterable

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from ficlens.corpus.run import RunSummary, run_corpus
from ficlens.corpus.worker import WorkResult
from ficlens.errors import FicError


def run_command(
    source: str,
    out: str,
    *,
    workers: int | None,
    ray: str | None,
    resume: bool,
    part_works: int,
    disable: Iterable[str],
    shard: tuple[int, int] | None = None,
) -> int:
    """Run, showing progress on stderr when it is a terminal; the exit status.

    0 when every work was analysed, 1 when some were recorded in ``failures`` (the run
    still finished) or the run could not start (one line on stderr).
    """
    err = Console(stderr=True)
    show = err.is_terminal
    progress = Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=err,
        transient=True,
        disable=not show,
    )
    try:
        total = _total(source) if show and shard is None else None
        with progress:
            task = progress.add_task("analysing", total=total, rate="")

            def advance(result: WorkResult, summary: RunSummary) -> None:
                done = summary.analysed + summary.failed + summary.skipped
                rate = f"{summary.words_per_second:,.0f} words/s"
                progress.update(task, completed=done, rate=rate)

            summary = run_corpus(
                source,
                out,
                workers=workers,
                ray=ray,
                resume=resume,
                part_works=part_works,
                disable=disable,
                on_result=advance if show else None,
                shard=shard,
            )
    except FicError as error:
        err.print(
            Text.assemble(("ficlens: error: ", "red"), str(error)),
            soft_wrap=True,
            highlight=False,
        )
        return 1
    err.print(summary.line(), soft_wrap=True, highlight=False, markup=False)
    if summary.failed:
        err.print(
            f"ficlens: {summary.failed:,} work(s) failed; see {os.path.join(out, 'failures')}",
            soft_wrap=True,
            highlight=False,
            markup=False,
        )
        return 1
    return 0


def parse_shard(value: str | None) -> tuple[int, int] | None:
    """ "3/100" -> (3, 100); None for None; ValueError with a one-line reason otherwise."""
    if value is None:
        return None
    k, sep, n = value.partition("/")
    if not sep or not k.strip().isdigit() or not n.strip().isdigit():
        raise ValueError(f"--shard {value}: expected K/N, e.g. 0/4")
    shard = int(k), int(n)
    if not 0 <= shard[0] < shard[1]:
        raise ValueError(f"--shard {value}: K must be from 0 to N-1")
    return shard


def _total(source: str) -> int | None:
    from ficlens.corpus.inputs import count_works

    try:
        return count_works(source)
    except (FicError, OSError):
        return None
