"""The analysis pipeline: stages that read and enrich one document in turn.

Like a spaCy pipeline, each stage is named, built once per pipeline (so a stage that loads
a model loads it once, not once per text) and called with one entry point; a stage can be
switched off by name (``disable=["speakers"]``), and the stages that need it go with it.
Data flows one way: the reader produces the text, the layout stage finds the story's
structure, later stages read what earlier ones wrote.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ficlens import __version__
from ficlens.document import Document
from ficlens.layout import layout_stage
from ficlens.model import Analysis, Source, Work
from ficlens.nlp.quotes import quotes_stage
from ficlens.read import Loaded
from ficlens.read.metadata import merge_source_work

StageFunction = Callable[[Document], None]


@dataclass(frozen=True)
class Stage:
    name: str
    build: Callable[[], StageFunction]  # called once per Pipeline
    requires: tuple[str, ...] = ()


def _plain(function: StageFunction) -> Callable[[], StageFunction]:
    return lambda: function


def _tokens() -> StageFunction:
    from ficlens.nlp.tokens import TokensStage  # imports spaCy: only when the stage is used

    return TokensStage()


def _characters() -> StageFunction:
    from ficlens.nlp.characters import characters_stage

    return characters_stage


def _descriptions() -> StageFunction:
    from ficlens.nlp.descriptions import descriptions_stage

    return descriptions_stage


def _coref() -> StageFunction:
    from ficlens.nlp.coref import coref_stage

    return coref_stage


def _speakers() -> StageFunction:
    from ficlens.nlp.speakers import SpeakersStage

    return SpeakersStage()


def _roles() -> StageFunction:
    from ficlens.nlp.roles import roles_stage

    return roles_stage


def _fandoms() -> StageFunction:
    from ficlens.meaning.fandoms import fandoms_stage

    return fandoms_stage


def _relationships() -> StageFunction:
    from ficlens.meaning.relationships import relationships_stage

    return relationships_stage


def _tags() -> StageFunction:
    from ficlens.meaning.tags import tags_stage

    return tags_stage


def _arc() -> StageFunction:
    from ficlens.meaning.arc import arc_stage

    return arc_stage


STAGES: tuple[Stage, ...] = (
    Stage("layout", _plain(layout_stage)),
    Stage("quotes", _plain(quotes_stage), requires=("layout",)),
    Stage("tokens", _tokens, requires=("layout",)),
    Stage("characters", _characters, requires=("tokens", "quotes")),
    Stage("descriptions", _descriptions, requires=("characters",)),
    Stage("coref", _coref, requires=("characters",)),
    Stage("speakers", _speakers, requires=("coref",)),
    Stage("roles", _roles, requires=("speakers",)),
    # Meaning: fandoms first, so relationships can use canonical names; tags last, since
    # the category comes from the relationships and the characters' genders.
    Stage("fandoms", _fandoms, requires=("roles",)),
    Stage("relationships", _relationships, requires=("roles",)),
    Stage("tags", _tags, requires=("relationships",)),
    Stage("arc", _arc, requires=("layout",)),
)
STAGE_NAMES = tuple(stage.name for stage in STAGES)


def stages_before(name: str) -> tuple[Stage, ...]:
    """The stages that run before the named one: what it receives is their work."""
    return STAGES[: STAGE_NAMES.index(name)]


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
        # A stage whose input is switched off is switched off too.
        for stage in STAGES:
            if any(name in disabled for name in stage.requires):
                disabled.add(stage.name)
        self.names = [stage.name for stage in STAGES if stage.name not in disabled]
        self._stages = [stage.build() for stage in STAGES if stage.name not in disabled]

    def __call__(
        self, text: str, source: Source | None = None, declared_work: Work | None = None
    ) -> Analysis:
        """Analyse ``text``; ``declared_work`` is what its source file declares (AO3 HTML,
        EPUB), laid over the layout's reading before the later stages run."""
        source = source or Source(
            path=None,
            format="text",
            encoding="utf-8",
            size=len(text.encode("utf-8", "surrogatepass")),
        )
        analysis = Analysis(
            source=source, text_length=len(text), ficlens_version=__version__, text=text
        )
        document = Document(text=text, analysis=analysis)
        if declared_work is not None and "layout" not in self.names:
            merge_source_work(analysis.work, declared_work)
        for name, run in zip(self.names, self._stages, strict=True):
            run(document)
            if name == "layout" and declared_work is not None:
                merge_source_work(analysis.work, declared_work)
        return analysis

    def analyze_loaded(self, loaded: Loaded) -> Analysis:
        return self(loaded.text, loaded.source, loaded.work)


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
