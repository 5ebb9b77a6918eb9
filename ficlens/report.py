"""The readable report of one analysis, for ``ficlens analyze`` without ``--json``."""

from __future__ import annotations

from collections import Counter

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ficlens.meaning.arc import describe as describe_arc
from ficlens.model import Analysis, Note

_NOTE_ORDER = (
    "title",
    "byline",
    "summary",
    "fandom",
    "rating",
    "pairing",
    "characters",
    "warning",
    "tags",
    "setting",
    "disclaimer",
    "beta",
    "dedication",
    "author-note",
    "end-note",
)
_MAX_NOTE = 160
_MAX_CHARACTERS = 12
_MAX_DIALOGUE = 12


def render(analysis: Analysis) -> RenderableType:
    work = analysis.work
    parts: list[RenderableType] = []

    heading = Text(work.title or "(untitled)", style="bold")
    if work.authors:
        heading.append(f"  by {', '.join(work.authors)}", style="italic")
    parts.append(heading)
    source = analysis.source
    repairs = f", repaired: {', '.join(source.repairs)}" if source.repairs else ""
    parts.append(
        Text(
            f"{source.path or '<stdin>'} · {source.format} · {source.encoding}{repairs} · "
            f"{work.word_count:,} words · {len(work.chapters)} chapter(s) · "
            f"{len(analysis.quotes)} quotation(s)",
            style="dim",
        )
    )
    if work.summary:
        parts.append(Text.assemble(("Summary: ", "bold"), _short(work.summary, 400)))

    declared = _declared_table(analysis)
    if declared.row_count:
        parts.append(declared)
    if work.notes:
        parts.append(_notes_table(work.notes))
    parts.append(_chapters_table(analysis))
    if analysis.characters:
        parts.append(_characters_table(analysis))
    if analysis.relationships or analysis.tags or analysis.fandoms:
        parts.append(_relationships_and_tags(analysis))
    if analysis.arc.series:
        parts.append(Text.assemble(("Arc: ", "bold"), describe_arc(analysis.arc)))
    parts.append(_quotes_summary(analysis))
    if any(q.speaker for q in analysis.quotes):
        parts.append(_dialogue(analysis))
    return Panel(Group(*parts), title="ficlens", title_align="left", expand=False)


def print_report(analysis: Analysis, console: Console) -> None:
    console.print(render(analysis))


def _declared_table(analysis: Analysis) -> Table:
    declared = analysis.work.declared
    table = Table(title="Declared", title_justify="left", show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column()
    rows = [
        ("Fandoms", ", ".join(declared.fandoms)),
        (
            "Rating",
            f"{declared.rating} (as written: {declared.rating_as_written})"
            if declared.rating
            else (declared.rating_as_written or ""),
        ),
        ("Warnings", ", ".join(declared.warnings)),
        ("Relationships", ", ".join(declared.relationships)),
        ("Characters", ", ".join(declared.characters)),
        ("Tags", ", ".join(declared.tags)),
        ("Setting", declared.setting or ""),
    ]
    for label, value in rows:
        if value:
            table.add_row(label, value)
    return table


def _notes_table(notes: list[Note]) -> Table:
    table = Table(title="Notes", title_justify="left", show_lines=False)
    table.add_column("kind", style="cyan", no_wrap=True)
    table.add_column("where", style="dim", no_wrap=True)
    table.add_column("text")
    rank = {kind: i for i, kind in enumerate(_NOTE_ORDER)}
    for note in sorted(notes, key=lambda n: (rank.get(n.kind, 99), n.start)):
        where = "front" if note.chapter is None else f"ch. {note.chapter + 1}"
        table.add_row(note.kind, where, _short(note.text, _MAX_NOTE))
    return table


def _chapters_table(analysis: Analysis) -> Table:
    text = analysis.text or ""
    table = Table(title="Chapters", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("title")
    table.add_column("paragraphs", justify="right")
    table.add_column("scene breaks", justify="right")
    table.add_column("words", justify="right")
    for chapter in analysis.work.chapters:
        words = sum(len(text[p.start : p.end].split()) for p in chapter.paragraphs)
        table.add_row(
            str(chapter.index + 1),
            chapter.title or "—",
            str(len(chapter.paragraphs)),
            str(len(chapter.scene_breaks)),
            f"{words:,}",
        )
    return table


def _characters_table(analysis: Analysis) -> Table:
    table = Table(title="Characters", title_justify="left")
    table.add_column("name", style="bold")
    table.add_column("canon name")
    table.add_column("also called")
    table.add_column("role")
    table.add_column("gender")
    table.add_column("mentions", justify="right")
    table.add_column("lines", justify="right")
    table.add_column("words spoken", justify="right")
    for character in analysis.characters[:_MAX_CHARACTERS]:
        table.add_row(
            character.name,
            character.canonical or "",
            _short(", ".join(character.aliases), 40),
            character.role or "",
            character.gender or "",
            str(character.mentions),
            str(character.quotes),
            f"{character.words_spoken:,}",
        )
    if len(analysis.characters) > _MAX_CHARACTERS:
        table.caption = f"and {len(analysis.characters) - _MAX_CHARACTERS} more"
    return table


def _dialogue(analysis: Analysis) -> RenderableType:
    """The opening of the dialogue as a reader would follow it: Speaker: "line"."""
    names = {c.id: c.name for c in analysis.characters}
    lines = Text()
    shown = 0
    spoken = [q for q in analysis.quotes if q.speech]
    for quote in spoken:
        if shown == _MAX_DIALOGUE:
            break
        if quote.continues is not None and shown:
            lines.append(f" … “{_short(quote.text, 70)}”")
            continue
        if shown:
            lines.append("\n")
        speaker = names.get(quote.speaker or "", "?")
        lines.append(f"{speaker}: ", style="bold cyan" if quote.speaker else "dim")
        lines.append(f"“{_short(quote.text, 70)}”")
        shown += 1
    rest = sum(1 for q in spoken if q.continues is None) - shown
    if rest > 0:
        lines.append(f"\n… and {rest} more lines", style="dim")
    return Group(Text("Dialogue", style="italic"), lines)


def _relationships_and_tags(analysis: Analysis) -> RenderableType:
    """Relationships in AO3 notation, then the tags grouped by source with confidence."""
    lines = Text()
    if analysis.fandoms:
        lines.append("Fandoms: ", style="bold")
        lines.append(
            ", ".join(f"{f.name} ({f.source}, {f.confidence:.2f})" for f in analysis.fandoms)
        )
        lines.append("\n")
    for r in analysis.relationships[:_MAX_CHARACTERS]:
        main = " (main pairing)" if r.notation == analysis.main_pairing else ""
        page = "" if r.on_page else ", off the page"
        lines.append(f"{r.notation}", style="bold")
        lines.append(f"  {r.kind}{page}, score {r.score:.2f}{main}\n")
    for source in ("declared", "inferred"):
        tags = [t for t in analysis.tags if t.source == source]
        if tags:
            lines.append(f"{source.capitalize()} tags: ", style="bold")
            lines.append(", ".join(f"{t.name} ({t.type}, {t.confidence:.2f})" for t in tags))
            lines.append("\n")
    lines.rstrip()
    return Group(Text("Fandoms, relationships and tags", style="italic"), lines)


def _quotes_summary(analysis: Analysis) -> RenderableType:
    speech = [q for q in analysis.quotes if q.speech]
    other = [q for q in analysis.quotes if not q.speech]
    styles = Counter(q.style for q in speech)
    line = Text.assemble(
        ("Quotations: ", "bold"),
        f"{len(speech)} spoken ({', '.join(f'{n} {s}' for s, n in styles.most_common())})"
        if speech
        else "none spoken",
    )
    if other:
        line.append(f"; {len(other)} not spoken: ")
        line.append(", ".join(f"“{_short(q.text, 30)}”" for q in other[:6]), style="italic")
        if len(other) > 6:
            line.append(", …")
    return line


def _short(value: str, limit: int) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"
