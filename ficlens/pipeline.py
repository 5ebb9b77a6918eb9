"""The analysis pipeline: stages that read and enrich one ``Analysis`` in turn.

Like a spaCy pipeline, each stage is a named callable with one entry point; a stage can be
switched off by name (``disable=["quotes"]``). Data flows one way: the reader produces the
text, the layout stage finds the story's structure, later stages read what earlier ones
wrote.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ficlens import __version__
from ficlens.layout import layout_stage
from ficlens.model import Analysis, Source
from ficlens.nlp.quotes import quotes_stage
from ficlens.read import Loaded

StageFunction = Callable[[Analysis], None]


@dataclass(frozen=True)
class Stage:
    name: str
    run: StageFunction
    requires: tuple[str, ...] = ()


STAGES: tuple[Stage, ...] = (
    Stage("layout", layout_stage),
    Stage("quotes", quotes_stage, requires=("layout",)),
)
STAGE_NAMES = tuple(stage.name for stage in STAGES)


class Pipeline:
    """An ordered set of stages, built once and applied to many texts."""

    def __init__(self, disable: Iterable[str] = ()) -> None:
        disabled = set(disable)
        unknown = disabled - set(STAGE_NAMES)
        if unknown:
            raise ValueError(
                f"unknown stage(s): {', '.join(sorted(unknown))}; "
                f"stages are {', '.join(STAGE_NAMES)}"
            )
        self.stages = [stage for stage in STAGES if stage.name not in disabled]
        enabled = {stage.name for stage in self.stages}
        for stage in self.stages:
            missing = [name for name in stage.requires if name not in enabled]
            if missing:
                raise ValueError(f"stage {stage.name!r} needs {', '.join(missing)}")

    def __call__(self, text: str, source: Source | None = None) -> Analysis:
        source = source or Source(
            path=None,
            format="text",
            encoding="utf-8",
            size=len(text.encode("utf-8", "surrogatepass")),
        )
        doc = Analysis(source=source, text_length=len(text), ficlens_version=__version__, text=text)
        for stage in self.stages:
            stage.run(doc)
        return doc

    def analyze_loaded(self, loaded: Loaded) -> Analysis:
        return self(loaded.text, loaded.source)


_DEFAULT: Pipeline | None = None


def analyze_text(
    text: str, source: Source | None = None, *, disable: Iterable[str] = ()
) -> Analysis:
    """Analyse one text with the default pipeline (or one without the ``disable``d stages)."""
    global _DEFAULT
    disable = tuple(disable)
    if disable:
        return Pipeline(disable)(text, source)
    if _DEFAULT is None:
        _DEFAULT = Pipeline()
    return _DEFAULT(text, source)
