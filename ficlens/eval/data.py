"""Loaders for the annotated fiction that ficlens is measured on (PDNC and LitBank).

The data is read at run time from an evaluation folder (see ``find_eval_root``) and is never
copied into the repository. Both corpora load into the same shape, ``EvalDoc``: the running
text, the gold quotations as character spans into that text, and the characters.

PDNC (Project Dialogism Novel Corpus)
    ``data/<Novel>/novel_text.txt`` is used as is (read as UTF-8). Each row of
    ``quotation_info.csv`` is one quotation; each of its ``quoteByteSpans`` (character
    offsets, despite the name) becomes one ``GoldQuote`` sharing the row's ``quote_id``,
    speaker, addressees and type. PDNC spans hold the words only, without the quotation
    marks. About 2% of them are off by a few characters; they are kept as they are, since
    quote matching is by overlap. PDNC gives one span per paragraph for a speech that runs
    over several paragraphs (the sub-quotations of one quotation), with a handful of
    exceptions (inset poems and letters) that cover several paragraphs in one span.

LitBank (quotations layer)
    LitBank ships tokenised excerpts, one sentence a line, tokens separated by single spaces,
    with no paragraph information. The gold rows are
    ``QUOTE <id> <start sentence> <start token> <end sentence> <end token> <tokens>``
    (the end token is inclusive) and ``ATTRIB <id> <speaker entity id>``.
    Each excerpt is turned back into readable prose by ``detokenize``; this conversion is part
    of how the LitBank figure is measured, so it is spelled out here:

    * Tokens are joined with one space, except: no space before ``, . ; : ! ? …``, closing
      brackets and closing quotation marks, and clitics (``'s 'll 've 're 'd 'm n't``, straight
      or curly); no space after opening brackets and opening quotation marks. ``--`` and
      ``—`` keep their spaces. ``_`` italics markers alternate open/close and hug their words.
    * Curly marks carry their own orientation (``“ ‘`` open, ``” ’`` close; a lone ``’`` is a
      closing quote or an apostrophe, both of which attach to the word before).
    * A straight ``"`` is an opening mark as the first token of a sentence, a closing mark as
      the last token or before punctuation, and otherwise alternates within the excerpt
      (a ``"`` left open for more than 6 sentences without another ``"`` is taken to be
      unclosed, e.g. an epigraph, so the next one opens). Checked against the gold quotes,
      whose first and last tokens are marks: 1,492 of 1,501 straight marks get the right
      orientation.
      A lone straight ``'`` closes before punctuation or the end of a sentence, closes an open
      single quotation, opens after the start of a sentence, an opening mark or a clause
      punctuation, attaches as an apostrophe after a word ending in ``s`` (``the boys' hats``)
      and otherwise opens.
    * Sentences are joined with one space. A new paragraph (a blank line, ``"\\n\\n"``) starts
      before a sentence whose first token is an opening quotation mark (or a dialogue dash
      ``—``), whether the sentence before it ended outside any quotation (a new speaker, as a
      rule) or inside an unclosed one (the convention for a speech running on into a new
      paragraph: the paragraph ends without a closing mark and the next opens with an opening
      one). The exception is a quotation without a tag of its own (no speech verb among the
      four words after its closing mark) right after a line that opened a paragraph and
      ended in a narration of one to eight words (``"Quite so," he answered. "You see..."``):
      it goes on that paragraph, as it does in about two of three such places in the PDNC
      novels, whose paragraphs are known. Chapter headings (``CHAPTER I``, ``Chapter 1 .``,
      ``VOLUME I CHAPTER I``, ``PART ONE``...) at the start of a sentence stand in a
      paragraph of their own; the rest of that sentence (often the chapter title run into
      the first sentence) starts the next paragraph. So does a dialogue dash (``—``, ``--``)
      that follows a colon and precedes a capital ("he intoned: — Introibo"): in the books
      these dashes begin a paragraph.
    * Every token's character span in the produced text is recorded while joining, so gold
      token spans map exactly onto the text: a quote's span runs from its first token's
      start to its last token's end, and therefore includes its quotation marks whenever
      the annotated tokens include them (they usually do).

    Characters come from the coreference layer: every entity with a PER mention and a
    proper-name mention, named after its most frequent proper-name mention, with its
    distinct proper-name mentions (as they read in the produced text) as aliases. Speaker
    ids (``Winnie_Verloc-3``) are the coreference entity ids.
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import os
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

ENV_VAR = "FICLENS_EVAL_DATA"


@dataclass
class GoldQuote:
    """One contiguous gold quotation span ``[start, end)`` in ``EvalDoc.text``."""

    start: int
    end: int
    speaker: str | None = None
    addressees: list[str] = field(default_factory=list)
    type: str | None = None  # PDNC: "Explicit", "Anaphoric", "Implicit"; LitBank: None
    quote_id: str = ""  # sub-quotations of one quotation share it


@dataclass
class GoldCharacter:
    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    gender: str | None = None
    category: str | None = None  # PDNC: "major", "intermediate", "minor"


@dataclass
class EvalDoc:
    corpus: str  # "pdnc" or "litbank"
    name: str
    text: str
    quotes: list[GoldQuote] = field(default_factory=list)
    characters: list[GoldCharacter] = field(default_factory=list)
    # LitBank: the entity that says "I" in the narration (outside quotations), if any.
    narrator: str | None = None
    # LitBank: each person entity's descriptions (nominal mentions: "the convict").
    descriptions: dict[str, list[str]] = field(default_factory=dict)


def find_eval_root(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """The evaluation data folder, or None when it is not there.

    Tries, in order: ``explicit``; the ``FICLENS_EVAL_DATA`` environment variable (when set,
    it is the only place looked at); ``../shared/eval`` and ``../../shared/eval`` relative to
    the current directory; ``../shared/eval`` relative to the repository root.
    """
    if explicit is not None:
        path = Path(explicit)
        return path if path.is_dir() else None
    env = os.environ.get(ENV_VAR)
    if env:
        path = Path(env)
        return path if path.is_dir() else None
    repo_root = Path(__file__).resolve().parents[2]
    for path in (
        Path.cwd() / ".." / "shared" / "eval",
        Path.cwd() / ".." / ".." / "shared" / "eval",
        repo_root / ".." / "shared" / "eval",
    ):
        if path.is_dir():
            return path.resolve()
    return None


# --------------------------------------------------------------------------------------- PDNC


def _literal_list(value: str) -> list:
    """A Python-literal list or set string as a list ("" and "nan" give [])."""
    value = (value or "").strip()
    if not value or value == "nan":
        return []
    parsed = ast.literal_eval(value)
    if isinstance(parsed, set):
        return sorted(parsed)
    if isinstance(parsed, list | tuple):
        return list(parsed)
    return [parsed]


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return None if not value or value == "nan" else value


def load_pdnc_novel(folder: Path) -> EvalDoc:
    """One PDNC novel folder as an ``EvalDoc``."""
    text = (folder / "novel_text.txt").read_text(encoding="utf-8")
    quotes: list[GoldQuote] = []
    with (folder / "quotation_info.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            addressees = [str(a) for a in _literal_list(row.get("addressees", ""))]
            for start, end in _literal_list(row["quoteByteSpans"]):
                quotes.append(
                    GoldQuote(
                        start=int(start),
                        end=int(end),
                        speaker=_clean(row.get("speaker")),
                        addressees=addressees,
                        type=_clean(row.get("quoteType")),
                        quote_id=row["quoteID"],
                    )
                )
    quotes.sort(key=lambda q: (q.start, q.end))
    characters: list[GoldCharacter] = []
    with (folder / "character_info.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            characters.append(
                GoldCharacter(
                    id=row["Character ID"].strip(),
                    name=row["Main Name"].strip(),
                    aliases=[str(a) for a in _literal_list(row.get("Aliases", ""))],
                    gender=_clean(row.get("Gender")),
                    category=_clean(row.get("Category")),
                )
            )
    return EvalDoc(corpus="pdnc", name=folder.name, text=text, quotes=quotes, characters=characters)


def load_pdnc(root: str | os.PathLike[str]) -> list[EvalDoc]:
    """All PDNC novels under ``root/pdnc/data`` (or ``root/data`` if root is the pdnc folder)."""
    base = Path(root)
    data = base / "pdnc" / "data" if (base / "pdnc" / "data").is_dir() else base / "data"
    if not data.is_dir():
        raise FileNotFoundError(f"no PDNC data folder under {base}")
    return [
        load_pdnc_novel(folder)
        for folder in sorted(data.iterdir())
        if (folder / "novel_text.txt").is_file()
    ]


# ------------------------------------------------------------------------------ detokenising

_OPENERS = frozenset("“‘«([{`")
_CLOSERS = frozenset("”’»)]}")
_PUNCT = re.compile(r"[.,;:!?…]+|\.\.\.+")
_CLITIC = re.compile(r"(?i)['’](?:s|ll|ve|re|d|m)|n['’]t")
_HEADING_WORD = re.compile(r"(?i)(?:chapter|book|part|volume|stave)\.?")
_NUMERAL = re.compile(
    r"(?i)(?:[ivxlcdm]+|\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"first|second|third|fourth|fifth|last)[.:]?"
)
_STALE_SENTENCES = 6  # an open straight " older than this many sentences is presumed unclosed
_CLAUSE = frozenset({",", ":", ";", "--", "—", "-", "(", "["})
_QUOTE_MARKS = frozenset("\"'”’“‘")
# A tagged line's narration of at most this many words ("he answered, lighting a cigarette.")
# may be followed by more of the same speech in the same paragraph (see ``detokenize``).
_SHORT_TAIL = 8
_TAG_WORDS = 4  # words after a quotation in which its own tag would stand


@dataclass
class Detokenized:
    """Running text rebuilt from tokenised sentences, with every token's span in it."""

    text: str
    # offsets[s][t] = (start, end) of token t of sentence s; text[start:end] is the token
    offsets: list[list[tuple[int, int]]]
    paragraph_starts: list[int]  # sentence indices that open a paragraph

    def span(self, s1: int, t1: int, s2: int, t2: int) -> tuple[int, int]:
        """Character span of tokens (s1, t1) .. (s2, t2), end token inclusive."""
        return self.offsets[s1][t1][0], self.offsets[s2][t2][1]


def _heading_length(tokens: list[str]) -> int:
    """How many leading tokens form a chapter heading ("VOLUME I CHAPTER I ."), else 0."""
    i = 0
    while (
        i + 1 < len(tokens)
        and _HEADING_WORD.fullmatch(tokens[i])
        and _NUMERAL.fullmatch(tokens[i + 1])
    ):
        i += 2
        if i < len(tokens) and tokens[i] in {".", ":"}:
            i += 1
    return i


def _orient(sentences: list[list[str]]) -> tuple[list[list[str]], list[bool]]:
    """Decide for each token how it attaches: "L" (to the word before), "R" (to the word
    after), "W" (a word, spaces both sides). Also return, per sentence, whether it opens with
    an opening quotation mark or a dialogue dash."""
    dq = sq = italic = False  # straight double quote open, straight single open, inside _ _
    kinds: list[list[str]] = []
    opens_with_quote: list[bool] = []
    dq_since = 0  # sentence of the last straight double quote
    for sentence_no, tokens in enumerate(sentences):
        row: list[str] = []
        n = len(tokens)
        for i, tok in enumerate(tokens):
            prev = tokens[i - 1] if i > 0 else None
            nxt = tokens[i + 1] if i + 1 < n else None
            nxt_is_punct = nxt is not None and (
                bool(_PUNCT.fullmatch(nxt)) or all(c in _CLOSERS for c in nxt)
            )
            prev_opens = prev is not None and (
                row[-1] == "R" or prev in _CLAUSE or bool(_PUNCT.fullmatch(prev))
            )
            if tok == '"':
                if i == 0 and n > 1:
                    kind = "R"
                elif (i == n - 1 and n > 1) or nxt_is_punct:
                    kind = "L"
                else:
                    stale = dq and sentence_no - dq_since > _STALE_SENTENCES
                    kind = "L" if dq and not stale else "R"
                dq = kind == "R"
                dq_since = sentence_no
            elif tok == "'":
                if nxt is None or nxt_is_punct or sq:
                    kind = "L"  # closing mark (or an elision apostrophe)
                    sq = False
                elif prev is None or prev_opens:
                    kind = "R"
                    sq = True
                elif prev[-1:] in ("s", "S"):
                    kind = "L"  # plural possessive apostrophe
                else:
                    kind = "R"
                    sq = True
            elif tok == "_":
                kind = "L" if italic else "R"
                italic = not italic
            elif _CLITIC.fullmatch(tok) or _PUNCT.fullmatch(tok):
                kind = "L"
            elif all(c in _OPENERS for c in tok):
                kind = "R"
            elif all(c in _CLOSERS for c in tok):
                kind = "L"
            else:
                kind = "W"
            row.append(kind)
        kinds.append(row)
        first = tokens[0] if tokens else ""
        opens_with_quote.append(
            bool(row)
            and ((row[0] == "R" and any(c in "“‘\"'«`" for c in first)) or (first == "—" and n > 1))
        )
    return kinds, opens_with_quote


def detokenize(sentences: list[list[str]]) -> Detokenized:
    """Rebuild readable prose from tokenised sentences (see the module docstring)."""
    kinds, opens_with_quote = _orient(sentences)
    parts: list[str] = []
    pos = 0
    offsets: list[list[tuple[int, int]]] = []
    paragraph_starts: list[int] = []
    prev_kind: str | None = None  # kind of the last token written, None at a paragraph start
    force_break = False

    def write(s: str) -> None:
        nonlocal pos
        parts.append(s)
        pos += len(s)

    for si, tokens in enumerate(sentences):
        heading = _heading_length(tokens)
        new_para = si == 0 or force_break or heading > 0 or opens_with_quote[si]
        if (
            new_para
            and not force_break
            and not heading
            and paragraph_starts
            and paragraph_starts[-1] == si - 1
            and opens_with_quote[si - 1]
            and _goes_on(sentences, kinds, si)
        ):
            new_para = False
        force_break = False
        if si > 0 and new_para:
            write("\n\n")
            prev_kind = None
        if new_para:
            paragraph_starts.append(si)
        row: list[tuple[int, int]] = []
        for ti, tok in enumerate(tokens):
            kind = kinds[si][ti]
            if ti == heading > 0:  # the heading stands in a paragraph of its own
                write("\n\n")
                prev_kind = None
            elif (
                tok in ("—", "--")
                and ti > 0
                and tokens[ti - 1] == ":"
                and ti + 1 < len(tokens)
                and tokens[ti + 1][:1].isupper()
            ):
                # "intoned : — Introibo": a dialogue dash after a colon began a paragraph
                # in the book; the sentence splitter ran the two together.
                write("\n\n")
                prev_kind = None
                paragraph_starts.append(si)
            if prev_kind is not None and prev_kind != "R" and kind != "L":
                write(" ")
            row.append((pos, pos + len(tok)))
            write(tok)
            prev_kind = kind
        if heading and heading == len(tokens):
            force_break = True
        offsets.append(row)
    return Detokenized(text="".join(parts), offsets=offsets, paragraph_starts=paragraph_starts)


def _closing_marks(tokens: list[str], kinds: list[str]) -> list[int]:
    pairs = enumerate(zip(tokens, kinds, strict=True))
    return [i for i, (tok, kind) in pairs if kind == "L" and tok in _QUOTE_MARKS]


def _words(tokens: Sequence[str]) -> list[str]:
    return [t.lower() for t in tokens if t[:1].isalpha()]


def _goes_on(sentences: list[list[str]], kinds: list[list[str]], si: int) -> bool:
    """Does sentence ``si``, which opens with a quotation mark, go on the paragraph of
    sentence ``si - 1`` (a tagged line) rather than start a new one?

    In real paragraphs (measured on the PDNC novels, whose paragraphs are known), after a
    line that opens a paragraph and ends in a short narration (``"Quite so," he answered,
    lighting a cigarette.``) an untagged quotation goes on the same paragraph about two
    times in three (the speaker goes on), and one with its own tag (``"No," said Tom.``)
    starts a new one 19 times in 20; after a long narration, a new paragraph is the rule.
    """
    from ficlens.nlp.lexicon import SPEECH_VERBS

    before = sentences[si - 1]
    closes = _closing_marks(before, kinds[si - 1])
    if not closes or not 1 <= len(_words(before[closes[-1] + 1 :])) <= _SHORT_TAIL:
        return False
    # This quotation's own tag: the first words after its closing mark.
    for sj in range(si, min(si + 4, len(sentences))):
        closes = _closing_marks(sentences[sj], kinds[sj])
        if sj > si and _opens_with_quote_mark(sentences[sj]):
            break
        if closes:
            after = _words(sentences[sj][closes[0] + 1 :])[:_TAG_WORDS]
            return not any(w in SPEECH_VERBS for w in after)
    return True


def _opens_with_quote_mark(tokens: list[str]) -> bool:
    return bool(tokens) and tokens[0] in _QUOTE_MARKS


# ----------------------------------------------------------------------------------- LitBank


def _read_sentences(path: Path) -> list[list[str]]:
    lines = path.read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.split(" ") if line else [] for line in lines]


def _read_rows(path: Path) -> list[list[str]]:
    if not path.is_file():
        return []
    return [
        line.split("\t") for line in path.read_text(encoding="utf-8").split("\n") if line.strip()
    ]


_FIRST_PERSON = frozenset({"i", "me", "my", "myself", "mine"})
_NARRATOR_MIN = 3
_DESCRIPTION_WORDS = 4


def _litbank_characters(
    coref_ann: Path, detok: Detokenized, quotes: list[GoldQuote]
) -> tuple[list[GoldCharacter], str | None, dict[str, list[str]]]:
    """People of the coreference layer with at least one proper-name mention; the
    narrator: the person entity with the most first-person mentions outside quotations;
    and each person entity's descriptions (its distinct nominal mentions of at most
    ``_DESCRIPTION_WORDS`` words, "the convict")."""
    rows = _read_rows(coref_ann)
    spans = [(q.start, q.end) for q in quotes]
    mentions: dict[str, tuple[str, str, str]] = {}  # T-id -> (surface, category, kind)
    starts: dict[str, int] = {}
    for row in rows:
        if row[0] == "MENTION" and len(row) >= 9:
            s1, t1, s2, t2 = (int(x) for x in row[2:6])
            start, end = detok.span(s1, t1, s2, t2)
            mentions[row[1]] = (detok.text[start:end], row[7], row[8])
            starts[row[1]] = start
    names: dict[str, Counter[str]] = {}
    descriptions: dict[str, dict[str, None]] = {}  # entity -> surfaces, in text order
    is_person: set[str] = set()
    first_person: Counter[str] = Counter()
    for row in rows:
        if row[0] == "COREF" and len(row) >= 3 and row[1] in mentions:
            surface, category, kind = mentions[row[1]]
            entity = row[2]
            if category == "PER":
                is_person.add(entity)
            if kind == "PROP":
                names.setdefault(entity, Counter())[surface] += 1
            if kind == "NOM" and category == "PER" and len(surface.split()) <= _DESCRIPTION_WORDS:
                descriptions.setdefault(entity, {})[surface] = None
            if kind == "PRON" and surface.lower() in _FIRST_PERSON:
                start = starts[row[1]]
                if not any(lo <= start < hi for lo, hi in spans):
                    first_person[entity] += 1
    characters = []
    for entity in sorted(is_person & names.keys()):
        counts = names[entity]
        name = max(counts, key=lambda k: (counts[k], -len(k)))
        characters.append(GoldCharacter(id=entity, name=name, aliases=sorted(counts)))
    voices = [(n, e) for e, n in first_person.items() if e in is_person and n >= _NARRATOR_MIN]
    return (
        characters,
        max(voices)[1] if voices else None,
        {entity: list(found) for entity, found in descriptions.items() if entity in is_person},
    )


def load_litbank_excerpt(tsv_txt: Path, coref_dir: Path | None = None) -> EvalDoc:
    """One LitBank excerpt (``quotations/tsv/<name>.txt`` plus its ``.ann``)."""
    sentences = _read_sentences(tsv_txt)
    detok = detokenize(sentences)
    speakers = {
        row[1]: row[2]
        for row in _read_rows(tsv_txt.with_suffix(".ann"))
        if row[0] == "ATTRIB" and len(row) >= 3
    }
    quotes = []
    for row in _read_rows(tsv_txt.with_suffix(".ann")):
        if row[0] != "QUOTE":
            continue
        s1, t1, s2, t2 = (int(x) for x in row[2:6])
        start, end = detok.span(s1, t1, s2, t2)
        quotes.append(
            GoldQuote(start=start, end=end, speaker=speakers.get(row[1]), quote_id=row[1])
        )
    quotes.sort(key=lambda q: (q.start, q.end))
    characters: list[GoldCharacter] = []
    narrator = None
    descriptions: dict[str, list[str]] = {}
    if coref_dir is not None:
        coref_ann = coref_dir / tsv_txt.with_suffix(".ann").name
        coref_txt = coref_dir / tsv_txt.name
        if coref_ann.is_file() and coref_txt.is_file() and _read_sentences(coref_txt) == sentences:
            characters, narrator, descriptions = _litbank_characters(coref_ann, detok, quotes)
    name = tsv_txt.stem.removesuffix("_brat")
    return EvalDoc(
        corpus="litbank",
        name=name,
        text=detok.text,
        quotes=quotes,
        characters=characters,
        narrator=narrator,
        descriptions=descriptions,
    )


def litbank_sentences(root: str | os.PathLike[str], name: str) -> list[list[str]]:
    """The tokenised sentences of one LitBank excerpt (for checks and tests)."""
    return _read_sentences(_litbank_dir(root) / "quotations" / "tsv" / f"{name}_brat.txt")


def _litbank_dir(root: str | os.PathLike[str]) -> Path:
    base = Path(root)
    return base / "litbank" if (base / "litbank" / "quotations").is_dir() else base


def load_litbank(root: str | os.PathLike[str], *, characters: bool = True) -> list[EvalDoc]:
    """All LitBank excerpts under ``root/litbank`` (or ``root`` if it is the litbank folder)."""
    base = _litbank_dir(root)
    tsv = base / "quotations" / "tsv"
    if not tsv.is_dir():
        raise FileNotFoundError(f"no LitBank quotations folder under {Path(root)}")
    coref = base / "coref" / "tsv"
    coref_dir = coref if characters and coref.is_dir() else None
    return [load_litbank_excerpt(path, coref_dir) for path in sorted(tsv.glob("*.txt"))]


def load_corpus(root: str | os.PathLike[str], corpus: str) -> list[EvalDoc]:
    """``corpus`` is "pdnc", "litbank" or "all"."""
    if corpus == "pdnc":
        return load_pdnc(root)
    if corpus == "litbank":
        return load_litbank(root)
    if corpus == "all":
        return load_pdnc(root) + load_litbank(root)
    raise ValueError(f"unknown corpus {corpus!r} (pdnc, litbank or all)")


def add_common_arguments(
    parser: argparse.ArgumentParser, *, errors_help: str, corpus: bool = True, quiet: bool = True
) -> None:
    """The options every ``python -m ficlens.eval.*`` command takes."""
    parser.add_argument(
        "--data", help="evaluation data folder (default: FICLENS_EVAL_DATA, ../shared/eval)"
    )
    if corpus:
        parser.add_argument("--corpus", choices=["pdnc", "litbank", "all"], default="all")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--errors", type=int, default=0, metavar="N", help=errors_help)
    parser.add_argument("--doc", help="only this document (name or unique part of it)")
    parser.add_argument("--summary", action="store_true", help="corpus totals only")
    if quiet:
        parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")


class _HasName(Protocol):
    name: str


_Named = TypeVar("_Named", bound=_HasName)


def find_named(items: Sequence[_Named], name: str) -> _Named:
    """The item called ``name``, or the only one whose name contains it."""
    for item in items:
        if item.name == name:
            return item
    hits = [item for item in items if name.lower() in item.name.lower()]
    if len(hits) == 1:
        return hits[0]
    raise KeyError(
        f"no single document matches {name!r}"
        + (f": {', '.join(h.name for h in hits[:10])}" if hits else "")
    )


def print_report(report: Any, errors: Sequence[Any], *, as_json: bool, summary: bool) -> None:
    """Print an evaluation report (``to_dict``, ``format_table``) and its listed errors,
    as a table or as JSON. Errors are strings or objects with ``to_dict`` and ``format``."""
    if as_json:
        out = report.to_dict()
        if errors:
            out["errors"] = [e if isinstance(e, str) else e.to_dict() for e in errors]
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return
    print(report.format_table(per_document=not summary))
    if errors:
        print()
        for e in errors:
            print(e if isinstance(e, str) else e.format())
