"""Speaker (and addressee) attribution measured against PDNC and LitBank.

How a figure is computed:

* Predictions come from ``analyze_text(doc.text)`` (or the ``analyse`` function given): the
  quotes marked as speech, each with ``speaker`` (a character id) and ``addressees``
  (character ids), and ``analysis.characters``. A quote with no speaker of its own that
  ``continues`` an earlier quote takes that quote's speaker (and addressees).
* Gold quotations. PDNC: all sub-spans sharing a ``quoteID`` are one quotation. LitBank: each
  quote is one quotation.
* Gold speakers. PDNC names them by main name: a name resolves to the character whose main
  name it is, else whose alias set holds it, else the same two tries on normalised names
  (below). LitBank names the coreference entity, which is ``GoldCharacter.id``; a speaker
  entity that is not among the characters (no proper-name mention in the excerpt, e.g.
  ``a_girl-13``, ``I-2``, ``Mr__Markham-4``) gets a stand-in character named after its id
  (``-13`` dropped, ``_`` read as a space: "a girl", "I", "Mr Markham"), so a prediction that
  names it can still be right.
* Names are normalised before they are compared: curly apostrophes become straight, full
  stops become spaces ("Mr." -> "mr", "St.Cloud" -> "st cloud"), runs of whitespace
  collapse, case is folded.
* Characters are mapped through alias sets. Each predicted character (its name and aliases,
  normalised) maps to the one gold character whose normalised names it shares most of; ties
  go to the gold character whose main name equals the predicted name, then to the more
  important one (PDNC category major > intermediate > minor), then to the one with fewer
  names the predicted character lacks, then to the one listed first.
  A predicted character that shares no name with any gold character maps to nothing.
  Several predicted characters may map to the same gold character.
* Quote matching is the quote evaluation's (``ficlens.eval.quotes``): spans cut at paragraph
  breaks and reduced to their cores, then a one-to-one greedy matching where a pair matches
  when the cores overlap by at least half the longer core. A gold quotation is *detected*
  when one of its pieces is matched; its predicted speaker is the speaker of the first (in
  text order) matched predicted quote that has one.
* Speaker accuracy = gold quotations whose predicted speaker maps to the gold speaker's
  character / all gold quotations. Undetected quotations, quotations with no predicted
  speaker, speakers that map to no gold character and gold speakers that resolve to no
  character all count as wrong. Figures for documents are summed into corpus figures
  (micro averages). PDNC figures are broken down by quote type (Explicit, Anaphoric,
  Implicit).
* Addressee accuracy (PDNC) is over the gold quotations whose addressees are known: not
  empty, no ``_unknowable``, every name resolvable (a few, such as ``_group``, are not: those
  quotations are counted as "unresolved" and left out). The predicted addressees are those
  of the first matched predicted quote that has any, mapped like speakers. Two figures:
  *any* (some predicted addressee is a gold addressee) and *exact* (the mapped predicted set
  equals the gold set; an addressee that maps to nothing spoils it).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ficlens.eval.data import (
    EvalDoc,
    GoldCharacter,
    GoldQuote,
    add_common_arguments,
    find_eval_root,
    find_named,
    load_corpus,
    print_report,
)
from ficlens.eval.quotes import SpanT, _context, lenient_ok, match, normalise
from ficlens.model import Analysis, Character, Quote

Analyse = Callable[[str], Analysis]
Progress = Callable[[str], None]

QUOTE_TYPES = ("Explicit", "Anaphoric", "Implicit")
UNKNOWABLE = "_unknowable"
_CATEGORY_RANK = {"major": 3, "intermediate": 2, "minor": 1}
_SPACES = re.compile(r"\s+")
_ENTITY_NUMBER = re.compile(r"-\d+$")
CONTEXT_WIDTH = 80
NARRATOR_ALIAS = "I"  # how the coreference stage names a first-person narrator


# ------------------------------------------------------------------------------------- names


def normalise_name(name: str) -> str:
    """A name as it is compared: straight apostrophes, no full stops, one space, case
    folded, no leading article ("The Gryphon" and "the Gryphon" are "gryphon")."""
    name = name.replace("’", "'").replace("‘", "'").replace("ʼ", "'").replace(".", " ")
    name = _SPACES.sub(" ", name).strip().casefold()
    return name[4:] if name.startswith("the ") and len(name) > 4 else name


def name_set(name: str, aliases: Iterable[str] = ()) -> set[str]:
    """The normalised, non-empty forms of a name and its aliases."""
    return {n for n in (normalise_name(a) for a in (name, *aliases)) if n}


def entity_name(entity_id: str) -> str:
    """A readable name for a LitBank entity id: ``Mr__Markham-4`` -> ``Mr Markham``."""
    return _SPACES.sub(" ", _ENTITY_NUMBER.sub("", entity_id).replace("_", " ")).strip()


def gold_characters(doc: EvalDoc) -> list[GoldCharacter]:
    """The document's characters, plus (LitBank) a stand-in for each unnamed speaker entity.

    A LitBank narrator, the entity that says "I" in the narration, also goes by "I": a
    predicted first-person narrator (alias "I") is that person, even when the excerpt
    never gives the narrator's name. Every LitBank person also goes by the descriptions
    the annotators linked to them ("the convict", "the doctor"), so a predicted described
    speaker is the person the text described that way.
    """
    characters = list(doc.characters)
    if doc.corpus == "litbank":
        known = {c.id for c in characters}
        for q in doc.quotes:
            if q.speaker and q.speaker not in known:
                known.add(q.speaker)
                name = entity_name(q.speaker) or q.speaker
                characters.append(GoldCharacter(id=q.speaker, name=name, aliases=[name]))
        characters = [
            replace(
                c,
                aliases=[
                    *c.aliases,
                    *doc.descriptions.get(c.id, ()),
                    *([NARRATOR_ALIAS] if c.id == doc.narrator else []),
                ],
            )
            for c in characters
        ]
    return characters


class GoldIndex:
    """Looks gold speaker and addressee values up among a document's gold characters."""

    def __init__(self, corpus: str, characters: Sequence[GoldCharacter]) -> None:
        self.corpus = corpus
        self.characters = list(characters)
        self.by_id = {c.id: c for c in self.characters}
        self._main: dict[str, str] = {}
        self._alias: dict[str, str] = {}
        self._norm_main: dict[str, str] = {}
        self._norm_alias: dict[str, str] = {}
        for c in self.characters:  # the first character listed wins a shared name
            self._main.setdefault(c.name.strip(), c.id)
            self._norm_main.setdefault(normalise_name(c.name), c.id)
            for a in c.aliases:
                self._alias.setdefault(a.strip(), c.id)
                self._norm_alias.setdefault(normalise_name(a), c.id)

    def resolve(self, value: str | None) -> str | None:
        """The gold character id a gold speaker/addressee value stands for, or None."""
        if not value:
            return None
        if self.corpus == "litbank":
            return value if value in self.by_id else None
        value = value.strip()
        norm = normalise_name(value)
        for table, key in (
            (self._main, value),
            (self._alias, value),
            (self._norm_main, norm),
            (self._norm_alias, norm),
        ):
            if key in table:
                return table[key]
        return None

    def name(self, gold_id: str | None) -> str | None:
        c = self.by_id.get(gold_id) if gold_id is not None else None
        return c.name if c is not None else None


def map_characters(
    predicted: Sequence[Character], gold: Sequence[GoldCharacter]
) -> dict[str, str | None]:
    """Predicted character id -> the gold character id it stands for (None: no shared name).

    The gold character sharing the most normalised names wins; ties go to main-name
    equality, then category (major > intermediate > minor), then to the one with fewer
    names the predicted character lacks, then to the gold order.
    """
    gold_names = [(g, name_set(g.name, g.aliases), normalise_name(g.name)) for g in gold]
    out: dict[str, str | None] = {}
    for p in predicted:
        names = name_set(p.name, p.aliases)
        main = normalise_name(p.name)
        best: tuple[int, ...] | None = None
        best_id: str | None = None
        for index, (g, g_names, g_main) in enumerate(gold_names):
            shared = len(names & g_names)
            if not shared:
                continue
            key = (
                shared,
                int(main == g_main),
                _CATEGORY_RANK.get(g.category or "", 0),
                -len(g_names - names),
                -index,
            )
            if best is None or key > best:
                best, best_id = key, g.id
        out[p.id] = best_id
    return out


# -------------------------------------------------------------------------------- quotations


@dataclass
class GoldQuotation:
    """One gold quotation: all its sub-spans, its speaker and addressees."""

    quote_id: str
    spans: list[SpanT]
    speaker: str | None
    addressees: list[str]
    type: str | None

    @property
    def start(self) -> int:
        return min(s for s, _ in self.spans)

    @property
    def end(self) -> int:
        return max(e for _, e in self.spans)


def gold_quotations(quotes: Iterable[GoldQuote]) -> list[GoldQuotation]:
    """Gold quotes grouped into quotations by ``quote_id`` (an empty id stands alone)."""
    groups: dict[str, GoldQuotation] = {}
    out: list[GoldQuotation] = []
    for n, q in enumerate(quotes):
        key = q.quote_id or f"#{n}"
        group = groups.get(key)
        if group is None:
            group = GoldQuotation(key, [], q.speaker, list(q.addressees), q.type)
            groups[key] = group
            out.append(group)
        group.spans.append((q.start, q.end))
    out.sort(key=lambda g: (g.start, g.end))
    return out


def _effective(quotes: Sequence[Quote]) -> list[tuple[str | None, list[str]]]:
    """Each quote's speaker and addressees, inherited along ``continues`` when missing."""
    by_id = {q.id: q for q in quotes}
    out = []
    for q in quotes:
        speaker, addressees = q.speaker, list(q.addressees)
        seen = {q.id}
        parent = by_id.get(q.continues) if q.continues is not None else None
        while parent is not None and parent.id not in seen and (not speaker or not addressees):
            seen.add(parent.id)
            speaker = speaker or parent.speaker
            addressees = addressees or list(parent.addressees)
            parent = by_id.get(parent.continues) if parent.continues is not None else None
        out.append((speaker, addressees))
    return out


# ---------------------------------------------------------------------------------- results

# Outcome of one gold quotation, worst-first order for error listings.
KINDS = ("wrong", "unmapped", "bad-id", "no-speaker", "undetected", "gold-unresolved", "correct")


@dataclass
class QuotationResult:
    quote_id: str
    start: int
    end: int
    type: str | None
    gold: str | None  # the gold value: PDNC speaker name, LitBank entity id
    gold_id: str | None  # resolved gold character id
    gold_name: str | None
    detected: bool
    pred_quote: int | None  # id of the predicted Quote the speaker was taken from
    pred_speaker: str | None  # predicted character id
    pred_name: str | None  # predicted character's name
    pred_gold: str | None  # gold character id the predicted speaker maps to
    pred_gold_name: str | None
    kind: str  # one of KINDS
    # addressees (PDNC); evaluated only when the gold addressees are known and resolvable
    addressees_known: bool = False
    addressees_unresolved: bool = False
    addressees_any: bool = False
    addressees_exact: bool = False
    gold_addressees: list[str] = field(default_factory=list)
    pred_addressees: list[str] = field(default_factory=list)  # predicted names

    @property
    def correct(self) -> bool:
        return self.kind == "correct"

    @property
    def attributed(self) -> bool:
        return self.pred_speaker is not None


@dataclass
class SpeakerCounts:
    quotations: int = 0
    detected: int = 0
    attributed: int = 0
    correct: int = 0
    gold_unresolved: int = 0
    addressees_known: int = 0
    addressees_unresolved: int = 0
    addressees_any: int = 0
    addressees_exact: int = 0
    by_type: dict[str, list[int]] = field(default_factory=dict)  # type -> [correct, total]
    kinds: dict[str, int] = field(default_factory=dict)

    @property
    def accuracy(self) -> float:
        return self.correct / self.quotations if self.quotations else 0.0

    @property
    def accuracy_detected(self) -> float:
        """Correct among detected quotations (the attribution step on its own, roughly)."""
        return self.correct / self.detected if self.detected else 0.0

    @property
    def precision(self) -> float:
        """Correct among quotations given a speaker."""
        return self.correct / self.attributed if self.attributed else 0.0

    @property
    def addressee_any(self) -> float:
        return self.addressees_any / self.addressees_known if self.addressees_known else 0.0

    @property
    def addressee_exact(self) -> float:
        return self.addressees_exact / self.addressees_known if self.addressees_known else 0.0

    def type_accuracy(self, kind: str) -> float | None:
        correct, total = self.by_type.get(kind, (0, 0))
        return correct / total if total else None

    def add(self, r: QuotationResult) -> None:
        self.quotations += 1
        self.detected += r.detected
        self.attributed += r.attributed
        self.correct += r.correct
        self.gold_unresolved += r.gold_id is None
        self.addressees_known += r.addressees_known
        self.addressees_unresolved += r.addressees_unresolved
        self.addressees_any += r.addressees_any
        self.addressees_exact += r.addressees_exact
        row = self.by_type.setdefault(r.type or "-", [0, 0])
        row[0] += r.correct
        row[1] += 1
        self.kinds[r.kind] = self.kinds.get(r.kind, 0) + 1

    def __add__(self, other: SpeakerCounts) -> SpeakerCounts:
        out = SpeakerCounts()
        for name in (
            "quotations",
            "detected",
            "attributed",
            "correct",
            "gold_unresolved",
            "addressees_known",
            "addressees_unresolved",
            "addressees_any",
            "addressees_exact",
        ):
            setattr(out, name, getattr(self, name) + getattr(other, name))
        for src in (self.by_type, other.by_type):
            for k, (c, n) in src.items():
                row = out.by_type.setdefault(k, [0, 0])
                row[0] += c
                row[1] += n
        for src in (self.kinds, other.kinds):
            for k, n in src.items():
                out.kinds[k] = out.kinds.get(k, 0) + n
        return out

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "quotations": self.quotations,
            "detected": self.detected,
            "with_speaker": self.attributed,
            "correct": self.correct,
            "accuracy": round(self.accuracy, 4),
            "accuracy_of_detected": round(self.accuracy_detected, 4),
            "accuracy_of_attributed": round(self.precision, 4),
            "gold_speaker_unresolved": self.gold_unresolved,
            "by_type": {
                k: {"correct": c, "total": n, "accuracy": round(c / n, 4) if n else 0.0}
                for k, (c, n) in sorted(self.by_type.items())
            },
            "outcomes": {k: self.kinds[k] for k in KINDS if k in self.kinds},
        }
        if set(self.by_type) <= {"-"}:  # no quote types (LitBank)
            del out["by_type"]
        if self.addressees_known or self.addressees_unresolved:
            out["addressees"] = {
                "known": self.addressees_known,
                "unresolved": self.addressees_unresolved,
                "any_correct": self.addressees_any,
                "exact_correct": self.addressees_exact,
                "any_accuracy": round(self.addressee_any, 4),
                "exact_accuracy": round(self.addressee_exact, 4),
            }
        return out


@dataclass
class DocResult:
    corpus: str
    name: str
    text: str = field(repr=False)
    quotations: list[QuotationResult]
    predicted_quotes: int  # speech quotes predicted
    predicted_characters: int
    mapped_characters: int  # predicted characters that map to a gold character
    seconds: float = 0.0

    @property
    def counts(self) -> SpeakerCounts:
        out = SpeakerCounts()
        for r in self.quotations:
            out.add(r)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "corpus": self.corpus,
            "name": self.name,
            "predicted_quotes": self.predicted_quotes,
            "predicted_characters": self.predicted_characters,
            "mapped_characters": self.mapped_characters,
            **self.counts.to_dict(),
            "seconds": round(self.seconds, 3),
        }


@dataclass
class SpeakerError:
    """A gold quotation whose speaker was not found, with context."""

    corpus: str
    doc: str
    quote_id: str
    kind: str  # see KINDS
    start: int
    end: int
    type: str | None
    gold: str | None  # gold speaker (name; LitBank: name [entity id])
    predicted: str | None  # predicted speaker name (or id when it names no character)
    predicted_maps_to: str | None  # gold character the predicted speaker maps to
    context: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def format(self) -> str:
        head = f"{self.kind.upper():10} {self.doc} {self.quote_id} [{self.start}:{self.end}]"
        if self.type:
            head += f" {self.type}"
        pred = self.predicted if self.predicted is not None else "-"
        if self.predicted is not None:
            pred += f" (= {self.predicted_maps_to})" if self.predicted_maps_to else " (= nobody)"
        return f"{head}\n           gold: {self.gold}  predicted: {pred}\n           {self.context}"


@dataclass
class SpeakerReport:
    docs: list[DocResult]

    def corpora(self) -> list[str]:
        return sorted({d.corpus for d in self.docs})

    def total(self, corpus: str | None = None) -> SpeakerCounts:
        """Micro-averaged counts over a corpus (or all documents)."""
        out = SpeakerCounts()
        for d in self.docs:
            if corpus is None or d.corpus == corpus:
                out = out + d.counts
        return out

    def to_dict(self) -> dict[str, Any]:
        corpora = {}
        for c in self.corpora():
            docs = [d for d in self.docs if d.corpus == c]
            corpora[c] = {
                "documents": len(docs),
                "predicted_quotes": sum(d.predicted_quotes for d in docs),
                "predicted_characters": sum(d.predicted_characters for d in docs),
                **self.total(c).to_dict(),
                "seconds": round(sum(d.seconds for d in docs), 3),
            }
        return {
            "method": {
                "quotation": "PDNC: sub-spans sharing a quoteID; LitBank: one quote",
                "matching": "quote evaluation's lenient matching (cores overlap >= half the "
                "longer core, one-to-one, greedy); first matched predicted quote with a speaker",
                "characters": "predicted -> gold character sharing most normalised names "
                "(ties: main name, category, order)",
                "accuracy": "correct / all gold quotations (undetected count as wrong)",
                "addressees": "over quotations with known, resolvable gold addressees; any: "
                "one predicted addressee is gold; exact: mapped sets equal",
            },
            "corpora": corpora,
            "documents": [d.to_dict() for d in self.docs],
        }

    def format_table(self, *, per_document: bool = True) -> str:
        header = (
            f"{'document':40} {'quotes':>6} {'det':>6} {'spk':>6} {'right':>6} {'acc':>6} "
            f"{'Expl':>6} {'Anaph':>6} {'Impl':>6} {'adAny':>6} {'adEx':>6}"
        )
        lines = [header, "-" * len(header)]

        def fmt(x: float | None) -> str:
            return f"{x:6.3f}" if x is not None else f"{'-':>6}"

        def row(label: str, c: SpeakerCounts) -> str:
            types = " ".join(fmt(c.type_accuracy(t)) for t in QUOTE_TYPES)
            known = c.addressees_known > 0
            return (
                f"{label[:40]:40} {c.quotations:6d} {c.detected:6d} {c.attributed:6d} "
                f"{c.correct:6d} {c.accuracy:6.3f} {types} "
                f"{fmt(c.addressee_any if known else None)} "
                f"{fmt(c.addressee_exact if known else None)}"
            )

        for corpus in self.corpora():
            docs = [d for d in self.docs if d.corpus == corpus]
            if per_document:
                for d in docs:
                    lines.append(row(f"{corpus}/{d.name}", d.counts))
            total = self.total(corpus)
            lines.append(row(f"== {corpus} (micro, {len(docs)} docs)", total))
            lines.append(
                "   outcomes: "
                + ", ".join(f"{k} {total.kinds[k]}" for k in KINDS if k in total.kinds)
            )
            if per_document:
                lines.append("")
        lines.append(
            "quotes: gold quotations; det: detected; spk: given a speaker; right: speaker maps "
            "to the gold character; acc = right / quotes (also per quote type); "
            "adAny/adEx: addressee accuracy (any / exact set) over known gold addressees"
        )
        return "\n".join(lines)

    def find_doc(self, name: str) -> DocResult:
        return find_named(self.docs, name)

    def errors(
        self,
        doc: str | None = None,
        limit: int = 20,
        kinds: Iterable[str] | None = None,
    ) -> list[SpeakerError]:
        """Up to ``limit`` wrongly attributed gold quotations, worst kind first, then in text
        order: a wrong speaker, a speaker mapping to no gold character, a speaker id that
        names no predicted character, no speaker, an undetected quotation, an unresolvable
        gold speaker. ``doc`` picks one document (exact name, else a unique case-insensitive
        substring); ``kinds`` keeps only those kinds."""
        docs = self.docs if doc is None else [self.find_doc(doc)]
        wanted = set(kinds) if kinds is not None else set(KINDS) - {"correct"}
        items = [(d, r) for d in docs for r in d.quotations if r.kind in wanted]
        items.sort(key=lambda dr: KINDS.index(dr[1].kind))
        out = []
        for d, r in items[: max(0, limit)]:
            gold = r.gold_name or r.gold
            if d.corpus == "litbank" and r.gold and gold != r.gold:
                gold = f"{gold} [{r.gold}]"
            out.append(
                SpeakerError(
                    corpus=d.corpus,
                    doc=d.name,
                    quote_id=r.quote_id,
                    kind=r.kind,
                    start=r.start,
                    end=r.end,
                    type=r.type,
                    gold=gold,
                    predicted=r.pred_name or r.pred_speaker,
                    predicted_maps_to=r.pred_gold_name,
                    context=_context(d.text, (r.start, r.end), CONTEXT_WIDTH),
                )
            )
        return out


# ------------------------------------------------------------------------------- evaluation


def default_analyse(text: str) -> Analysis:
    from ficlens.pipeline import analyze_text

    return analyze_text(text)


def match_quotations(
    text: str, quotes: Sequence[Quote], quotations: Sequence[GoldQuotation]
) -> dict[int, set[int]]:
    """Gold quotation index -> indexes into ``quotes`` of the predicted quotes it matches.

    Both sides are cut into paragraph pieces of their cores, and pieces are matched with the
    quote evaluation's lenient rule (one to one, greedy)."""
    owner: dict[SpanT, int] = {}
    for qi, q in enumerate(quotes):
        for piece in normalise(text, [(q.start, q.end)]):
            owner.setdefault(piece, qi)
    pieces = list(owner)
    gold_pieces: list[tuple[SpanT, int]] = sorted(
        (piece, gi) for gi, g in enumerate(quotations) for piece in normalise(text, g.spans)
    )
    matched: dict[int, set[int]] = {}
    for i, j in match(pieces, [p for p, _ in gold_pieces], lenient_ok):
        matched.setdefault(gold_pieces[j][1], set()).add(owner[pieces[i]])
    return matched


def evaluate_prediction(doc: EvalDoc, analysis: Analysis, seconds: float = 0.0) -> DocResult:
    """Compare one document's predicted speakers and addressees with the gold ones."""
    text = doc.text
    gold_index = GoldIndex(doc.corpus, gold_characters(doc))
    mapping = map_characters(analysis.characters, gold_index.characters)
    pred_names = {c.id: c.name for c in analysis.characters}
    quotes = [q for q in analysis.quotes if q.speech]
    effective = _effective(quotes)

    quotations = gold_quotations(doc.quotes)
    matched = match_quotations(text, quotes, quotations)

    def mapped(pred_id: str) -> str:
        gold_id = mapping.get(pred_id)
        return gold_id if gold_id is not None else f"?{pred_id}"

    results = []
    for gi, g in enumerate(quotations):
        owners = sorted(matched.get(gi, ()), key=lambda qi: (quotes[qi].start, quotes[qi].end))
        gold_id = gold_index.resolve(g.speaker)
        speaker_from = next((qi for qi in owners if effective[qi][0]), None)
        pred_speaker = effective[speaker_from][0] if speaker_from is not None else None
        pred_gold = mapping.get(pred_speaker) if pred_speaker is not None else None
        if not owners:
            kind = "undetected"
        elif pred_speaker is None:
            kind = "no-speaker"
        elif pred_speaker not in mapping:
            kind = "bad-id"
        elif pred_gold is None:
            kind = "unmapped"
        elif gold_id is None:
            kind = "gold-unresolved"
        else:
            kind = "correct" if pred_gold == gold_id else "wrong"
        result = QuotationResult(
            quote_id=g.quote_id,
            start=g.start,
            end=g.end,
            type=g.type,
            gold=g.speaker,
            gold_id=gold_id,
            gold_name=gold_index.name(gold_id),
            detected=bool(owners),
            pred_quote=quotes[speaker_from].id if speaker_from is not None else None,
            pred_speaker=pred_speaker,
            pred_name=pred_names.get(pred_speaker) if pred_speaker is not None else None,
            pred_gold=pred_gold,
            pred_gold_name=gold_index.name(pred_gold),
            kind=kind,
            gold_addressees=list(g.addressees),
        )
        if g.addressees and UNKNOWABLE not in g.addressees:
            gold_set = {gold_index.resolve(a) for a in g.addressees}
            if None in gold_set:
                result.addressees_unresolved = True
            else:
                result.addressees_known = True
                pred_addr = next((effective[qi][1] for qi in owners if effective[qi][1]), [])
                result.pred_addressees = [pred_names.get(a, a) for a in pred_addr]
                pred_set = {mapped(a) for a in pred_addr}
                result.addressees_any = bool(pred_set & gold_set)
                result.addressees_exact = bool(pred_set) and pred_set == gold_set
        results.append(result)
    return DocResult(
        corpus=doc.corpus,
        name=doc.name,
        text=text,
        quotations=results,
        predicted_quotes=len(quotes),
        predicted_characters=len(analysis.characters),
        mapped_characters=sum(v is not None for v in mapping.values()),
        seconds=seconds,
    )


def evaluate_doc(doc: EvalDoc, analyse: Analyse | None = None) -> DocResult:
    """Analyse one document and compare its speakers with the gold ones."""
    analyse = analyse or default_analyse
    t0 = time.perf_counter()
    analysis = analyse(doc.text)
    return evaluate_prediction(doc, analysis, time.perf_counter() - t0)


def evaluate_speakers(
    docs: Iterable[EvalDoc],
    analyse: Analyse | None = None,
    *,
    progress: Progress | None = None,
) -> SpeakerReport:
    """Evaluate speaker attribution on the documents.

    ``analyse`` (text -> Analysis) defaults to ``analyze_text``; ``progress`` is called with
    one line per document once it is done.
    """
    docs = list(docs)
    results = []
    for n, doc in enumerate(docs, 1):
        result = evaluate_doc(doc, analyse)
        results.append(result)
        if progress is not None:
            c = result.counts
            progress(
                f"[{n}/{len(docs)}] {doc.corpus}/{doc.name}: {len(doc.text.split()):,} words, "
                f"{c.quotations} quotations, accuracy {c.accuracy:.3f} ({result.seconds:.1f} s)"
            )
    return SpeakerReport(results)


def load_docs(root: str | Path | None, corpus: str, doc: str | None = None) -> list[EvalDoc]:
    """A corpus (``pdnc``, ``litbank`` or ``all``) from ``root`` (default ``find_eval_root()``),
    optionally only the document named ``doc`` (or the ones whose name contains it)."""
    base = find_eval_root(root)
    if base is None:
        where = root if root is not None else "FICLENS_EVAL_DATA or ../shared/eval"
        raise FileNotFoundError(f"evaluation data not found ({where})")
    docs = load_corpus(base, corpus)
    if doc is not None:
        exact = [d for d in docs if d.name == doc]
        docs = exact or [d for d in docs if doc.lower() in d.name.lower()]
        if not docs:
            raise KeyError(f"no document named {doc!r} in {corpus}")
    return docs


def run(
    root: str | Path | None = None,
    corpus: str = "all",
    *,
    doc: str | None = None,
    analyse: Analyse | None = None,
    progress: Progress | None = None,
) -> SpeakerReport:
    """Load a corpus and evaluate speaker attribution on it."""
    return evaluate_speakers(load_docs(root, corpus, doc), analyse, progress=progress)


def stderr_progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m ficlens.eval.speakers``: print the speaker-attribution figures."""
    parser = argparse.ArgumentParser(
        prog="ficlens eval speakers", description="Evaluate speaker attribution."
    )
    add_common_arguments(
        parser,
        errors_help="also list up to N wrongly attributed quotations, worst kind first",
        corpus=True,
        quiet=True,
    )
    args = parser.parse_args(argv)
    try:
        docs = load_docs(args.data, args.corpus, args.doc)
    except (FileNotFoundError, KeyError) as exc:
        print(f"error: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return 2
    report = evaluate_speakers(docs, progress=None if args.quiet else stderr_progress)
    errors = report.errors(None, args.errors) if args.errors else []
    print_report(report, errors, as_json=args.json, summary=args.summary)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
