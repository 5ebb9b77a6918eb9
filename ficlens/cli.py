"""The ``ficlens`` command: thin click commands over the pipeline and its parts."""

from __future__ import annotations

import io
import json
import os
import sys
import tempfile
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.text import Text

from ficlens import __version__
from ficlens.errors import FicError
from ficlens.model import json_schema, to_builtins
from ficlens.pipeline import STAGE_NAMES, Pipeline
from ficlens.read import MAX_BYTES, load_path

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
def analyze(
    paths: tuple[str, ...],
    as_json: bool,
    output: str | None,
    with_text: bool,
    disable: tuple[str, ...],
    max_size: int,
) -> None:
    """Analyse stories: PATHS are files, or - for standard input."""
    pipeline = Pipeline(disable=disable)
    err = Console(stderr=True)
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


@main.group(name="eval")
def eval_group() -> None:
    """Measure accuracy on annotated fiction (../shared/eval)."""


@eval_group.command(name="quotes")
@click.option(
    "--data",
    type=click.Path(file_okay=False, exists=True),
    help="The eval data folder (default: $FICLENS_EVAL_DATA or ../shared/eval).",
)
@click.option(
    "--corpus", type=click.Choice(["pdnc", "litbank", "all"]), default="all", show_default=True
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--errors", type=int, default=0, help="Also list this many errors per document.")
@click.option("--doc", help="Only documents whose name contains this.")
def eval_quotes(data: str | None, corpus: str, as_json: bool, errors: int, doc: str | None) -> None:
    """Precision, recall and F1 of quotation spans against PDNC and LitBank."""
    from ficlens.eval import quotes as quote_eval

    sys.exit(quote_eval.main(_eval_argv(data, corpus, as_json, errors, doc)))


@eval_group.command(name="speakers")
@click.option(
    "--data",
    type=click.Path(file_okay=False, exists=True),
    help="The eval data folder (default: $FICLENS_EVAL_DATA or ../shared/eval).",
)
@click.option(
    "--corpus", type=click.Choice(["pdnc", "litbank", "all"]), default="all", show_default=True
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--errors", type=int, default=0, help="Also list this many wrong attributions.")
@click.option("--doc", help="Only documents whose name contains this.")
def eval_speakers(
    data: str | None, corpus: str, as_json: bool, errors: int, doc: str | None
) -> None:
    """Speaker and addressee accuracy against PDNC and LitBank."""
    from ficlens.eval import speakers as speaker_eval

    sys.exit(speaker_eval.main(_eval_argv(data, corpus, as_json, errors, doc)))


@eval_group.command(name="characters")
@click.option(
    "--data",
    type=click.Path(file_okay=False, exists=True),
    help="The eval data folder (default: $FICLENS_EVAL_DATA or ../shared/eval).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option(
    "--errors", type=int, default=0, help="Also list this many split and merged characters."
)
@click.option("--doc", help="Only novels whose name contains this.")
def eval_characters(data: str | None, as_json: bool, errors: int, doc: str | None) -> None:
    """B-cubed alias clustering against PDNC's character alias sets."""
    from ficlens.eval import characters as character_eval

    sys.exit(character_eval.main(_eval_argv(data, None, as_json, errors, doc)))


def _eval_argv(
    data: str | None, corpus: str | None, as_json: bool, errors: int, doc: str | None
) -> list[str]:
    """The command line of an evaluation module for these options."""
    argv = ["--corpus", corpus] if corpus else []
    if data:
        argv += ["--data", data]
    if as_json:
        argv.append("--json")
    if errors:
        argv += ["--errors", str(errors)]
    if doc:
        argv += ["--doc", doc]
    return argv


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
