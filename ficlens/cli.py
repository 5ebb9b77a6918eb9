"""The ``ficlens`` command: thin click commands over the pipeline and its parts."""

from __future__ import annotations

import importlib
import io
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.text import Text

from ficlens import __version__
from ficlens.errors import FicError
from ficlens.model import json_schema, to_builtins
from ficlens.pipeline import STAGE_NAMES, Pipeline
from ficlens.read import MAX_BYTES, load_path

if TYPE_CHECKING:
    from ficlens.library import Library

# A single input this large gets a progress display too.
_LARGE_INPUT = 2 * 1024 * 1024


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ficlens")
def main() -> None:
    """Read fan fiction the way a careful reader does."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print the analysis as JSON (JSON Lines, one object a line, for several inputs).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="Write to this file instead of standard output.",
)
@click.option("--with-text", is_flag=True, help="Include the analysed text in the JSON.")
@click.option(
    "--disable",
    multiple=True,
    type=click.Choice(STAGE_NAMES),
    help="Switch a pipeline stage off (repeatable).",
)
@click.option(
    "--max-size",
    default=MAX_BYTES // (1024 * 1024),
    show_default=True,
    type=click.IntRange(min=1),
    help="Refuse inputs larger than this many MB.",
)
@click.option(
    "--kb",
    multiple=True,
    metavar="FILE",
    help="Add a fandom knowledge-base file (repeatable; joins those in FICLENS_KB).",
)
def analyze(
    paths: tuple[str, ...],
    as_json: bool,
    output: str | None,
    with_text: bool,
    disable: tuple[str, ...],
    max_size: int,
    kb: tuple[str, ...],
) -> None:
    """Analyse stories: PATHS are files, or - for standard input."""
    pipeline = Pipeline(disable=disable)
    err = Console(stderr=True)
    if "fandoms" in pipeline.names:
        from ficlens.meaning.knowledge import use_knowledge_files

        try:  # a bad knowledge-base file stops the run before any story is read
            click.get_current_context().call_on_close(use_knowledge_files(kb))
        except FicError as error:
            message = Text.assemble(("ficlens: error: ", "red"), str(error))
            err.print(message, soft_wrap=True, highlight=False)
            sys.exit(1)
    results: list[str] = []
    failed = 0
    # With -o the report is recorded and written as plain text at the end.
    report_console = Console(record=True, width=100, file=io.StringIO()) if output else Console()
    with _progress(err, paths) as progress:
        task = progress.add_task("analysing", total=len(paths))
        for path in paths:
            progress.update(task, description=_label(path))
            try:
                loaded = load_path(path, max_bytes=max_size * 1024 * 1024)
                analysis = pipeline.analyze_loaded(loaded)
            except FicError as error:
                failed += 1
                # One line, whatever the width: plain text, no markup in file names.
                progress.console.print(
                    Text.assemble(("ficlens: error: ", "red"), str(error)),
                    soft_wrap=True,
                    highlight=False,
                )
            else:
                if as_json:
                    indent = 2 if len(paths) == 1 else None
                    results.append(
                        json.dumps(
                            to_builtins(analysis, include_text=with_text),
                            ensure_ascii=False,
                            indent=indent,
                        )
                    )
                else:
                    from ficlens.report import print_report

                    print_report(analysis, report_console)
            progress.advance(task)
    if as_json:
        _emit("\n".join(results) + ("\n" if results else ""), output)
    elif output:
        _emit(report_console.export_text(), output)
    if failed:
        err.print(
            f"ficlens: {failed} of {len(paths)} input(s) failed",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
        sys.exit(1)


@main.command()
def schema() -> None:
    """Print the JSON Schema of the analysis format."""
    click.echo(json.dumps(json_schema(), indent=2))


@main.command()
@click.option("--db", help="The library: a path, sqlite:///PATH or postgresql://... URL.")
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to bind.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--token", help="Needed for changes; made up when --host is not loopback.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
def serve(db: str | None, host: str, port: int, token: str | None, workers: int) -> None:
    """Serve the library, the reader and the analyses in a browser."""
    from ficlens.web.app import serve as serve_app

    try:
        serve_app(db, host=host, port=port, token=token, workers=workers, echo=click.echo)
    except FicError as error:
        click.echo(f"ficlens: error: {error}", err=True)
        sys.exit(1)


@main.group(name="eval")
def eval_group() -> None:
    """Measure accuracy on annotated fiction (../shared/eval) and the labelled stories."""


# Each evaluation module parses its own options (--data, --corpus, --json, --errors, --doc,
# and -h for the list); the commands hand their arguments over untouched.
_EVALUATIONS = {
    "quotes": ("ficlens.eval.quotes", "Precision, recall and F1 of quotation spans."),
    "speakers": ("ficlens.eval.speakers", "Speaker and addressee accuracy by quote type."),
    "characters": ("ficlens.eval.characters", "B-cubed alias clustering against PDNC."),
    "meaning": (
        "ficlens.eval.meaning",
        "Relationships, tags, rating, warnings, category, fandoms, arc on labelled stories.",
    ),
    "train-speakers": (
        "ficlens.eval.train_speakers",
        "Train the speaker ranker; report leave-one-novel-out accuracy.",
    ),
}


def _add_evaluation(name: str, module: str, summary: str) -> None:
    @eval_group.command(
        name=name,
        help=f"{summary} Options: see -h.",
        short_help=summary,
        context_settings={"ignore_unknown_options": True},
        add_help_option=False,
    )
    @click.argument("args", nargs=-1, type=click.UNPROCESSED)
    def evaluation(args: tuple[str, ...]) -> None:
        sys.exit(importlib.import_module(module).main(list(args)))


for _name, (_module, _summary) in _EVALUATIONS.items():
    _add_evaluation(_name, _module, _summary)


# -- the library: import, search, similar, reanalyze, export --------------------------------

_DB_HELP = "The library: a path, sqlite:///PATH or postgresql://... (default: $FICLENS_DB or XDG)."


def _fail(message: str, status: int = 1) -> NoReturn:
    click.echo(f"ficlens: error: {message}", err=True)
    sys.exit(status)


@contextmanager
def _opened(db: str | None) -> Iterator[Library]:
    """The library, or a one-line error: a bad URL is a usage error (2), no database is 1."""
    from ficlens.library import DatabaseError, open_library

    try:
        library = open_library(db)
    except ValueError as error:
        _fail(str(error), 2)
    except DatabaseError as error:
        _fail(str(error))
    with library:
        try:
            yield library
        except DatabaseError as error:
            _fail(f"database error: {error}")


@main.command(name="import")
@click.argument("paths", nargs=-1, required=True)
@click.option("--db", help=_DB_HELP)
def import_command(paths: tuple[str, ...], db: str | None) -> None:
    """Import stories into the library: files, folders (recursively) and globs."""
    from ficlens.library.importer import expand_paths

    files = tuple(expand_paths(paths))
    err = Console(stderr=True)
    with _opened(db) as library, _progress(err, files) as progress:
        task = progress.add_task("importing", total=len(files))
        seen: list[str] = []

        def advance(path: str) -> None:
            progress.update(task, description=_label(path), completed=len(seen))
            seen.append(path)

        summary = library.import_paths(files, on_progress=advance)
        progress.update(task, completed=len(files))
    for path, reason in summary.failed:
        click.echo(f"ficlens: error: {path}: {reason}", err=True)
    click.echo(summary.line())
    sys.exit(1 if summary.failed else 0)


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("query", nargs=-1, type=click.UNPROCESSED)
@click.option("--db", help=_DB_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the results and facets as JSON.")
@click.option("--sort", type=click.Choice(["relevance", "words", "date", "title"]))
@click.option("--limit", default=20, show_default=True, type=click.IntRange(0, 1000))
@click.option("--offset", default=0, type=click.IntRange(min=0))
def search(
    query: tuple[str, ...],
    db: str | None,
    as_json: bool,
    sort: str | None,
    limit: int,
    offset: int,
) -> None:
    """Search the library: free words, "phrases" and filters (fandom:, pair:"A/B", -tag:...)."""
    from ficlens.library import QueryError
    from ficlens.library.report import search_json, search_text

    text = " ".join(query)
    with _opened(db) as library:
        try:
            result = library.search(text, sort=sort or "relevance", limit=limit, offset=offset)
        except QueryError as error:
            _fail(f"bad query: {error}", 2)
    click.echo(search_json(result) if as_json else search_text(result, offset), nl=False)


@main.command()
@click.argument("work_id", type=int)
@click.option("--db", help=_DB_HELP)
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 100))
@click.option("--json", "as_json", is_flag=True, help="Print the works as JSON.")
def similar(work_id: int, db: str | None, limit: int, as_json: bool) -> None:
    """Works like WORK_ID: shared fandoms, characters, relationships, tags and wording."""
    from ficlens.library.report import works_json, works_text

    with _opened(db) as library:
        if library.get(work_id) is None:
            _fail(f"no work with id {work_id}")
        works = library.similar(work_id, limit)
    click.echo(works_json(works) if as_json else works_text(works), nl=False)


@main.command()
@click.option("--db", help=_DB_HELP)
@click.option("--all", "everything", is_flag=True, help="Re-analyse every work.")
def reanalyze(db: str | None, everything: bool) -> None:
    """Re-run the analysis of works stored by another version of ficlens."""
    failed: list[tuple[int, str]] = []
    with _opened(db) as library:
        done = library.reanalyze(everything=everything, failed=failed)
    for work_id, reason in failed:
        click.echo(f"ficlens: error: work {work_id}: {reason}", err=True)
    click.echo(f"{done} re-analysed, {len(failed)} failed")
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("work_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["json", "epub", "html"]), required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="The file to write.")
@click.option("--db", help=_DB_HELP)
def export(work_id: int, fmt: str, output: str | None, db: str | None) -> None:
    """Export a work as JSON (the analysis), EPUB 3 or a standalone HTML page."""
    if output is None and fmt == "epub":
        _fail("an EPUB needs -o FILE", 2)
    with _opened(db) as library:
        try:
            data = library.export(work_id, fmt)
        except FicError as error:
            _fail(str(error))
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        _emit_bytes(data, output)


def _emit_bytes(data: bytes, output: str) -> None:
    """Write atomically: a temporary file beside the target, renamed over it."""
    target = Path(output)
    fd, temp = tempfile.mkstemp(dir=target.parent or ".", prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


# -- corpus runs: Parquet tables over a whole corpus, and their summary ----------------------


@main.group(name="corpus")
def corpus_group() -> None:
    """Analyse a whole corpus into Parquet tables, and summarise them."""


@corpus_group.command(name="run")
@click.argument("source", metavar="INPUT")
@click.option("--out", required=True, help="The output folder (new, or with --resume).")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Worker processes (default: one per CPU); with --ray, the most actors.",
)
@click.option("--ray", metavar="auto|local|ADDRESS", help="Run on a Ray cluster.")
@click.option("--resume", is_flag=True, help="Go on with the run in --out, skipping done works.")
@click.option(
    "--part-size",
    default=100,
    show_default=True,
    type=click.IntRange(min=1),
    help="Works per Parquet part.",
)
@click.option(
    "--disable", multiple=True, type=click.Choice(STAGE_NAMES), help="Switch a stage off."
)
@click.option("--shard", metavar="K/N", help="Only the works in shard K of N (one run a machine).")
def corpus_run(
    source: str,
    out: str,
    workers: int | None,
    ray: str | None,
    resume: bool,
    part_size: int,
    disable: tuple[str, ...],
    shard: str | None,
) -> None:
    """Analyse every work of INPUT (a folder, a .jsonl or a .parquet file) into --out."""
    from ficlens.corpus.console import parse_shard, run_command

    try:
        shard_of = parse_shard(shard)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--shard") from None
    sys.exit(
        run_command(
            source,
            out,
            workers=workers,
            ray=ray,
            resume=resume,
            part_works=part_size,
            disable=disable,
            shard=shard_of,
        )
    )


@corpus_group.command(name="stats")
@click.argument("directory", metavar="DIR")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=1))
def corpus_stats(directory: str, as_json: bool, top: int) -> None:
    """Summary tables of a corpus run: characters, relationships, tags, dialogue."""
    from ficlens.corpus.stats import stats_command

    sys.exit(stats_command(directory, as_json=as_json, top=top))


def _progress(console: Console, paths: tuple[str, ...]) -> Progress:
    """A progress bar on stderr for several or large inputs, only on a terminal."""
    large = any(_size(path) > _LARGE_INPUT for path in paths)
    show = console.is_terminal and (len(paths) > 1 or large)
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=not show,
    )


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size if path != "-" else 0
    except OSError:
        return 0


def _label(path: str) -> str:
    name = "<stdin>" if path == "-" else Path(path).name
    return name if len(name) <= 30 else name[:29] + "…"


def _emit(content: str, output: str | None) -> None:
    """Write to stdout, or atomically to ``output`` (never a half-written file)."""
    if output is None:
        sys.stdout.write(content)
        sys.stdout.flush()
        return
    target = Path(output)
    fd, temp = tempfile.mkstemp(dir=target.parent or ".", prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


if __name__ == "__main__":
    main()
