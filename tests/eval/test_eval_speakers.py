"""Speaker-attribution evaluation: character mapping and accuracy on hand-made predictions.

Tests using the ``eval_root`` fixture read the real evaluation data (PDNC, LitBank) and skip
when it is absent (set FICLENS_EVAL_DATA or place it at ../shared/eval).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ficlens.cli import main as cli_main
from ficlens.eval.data import (
    EvalDoc,
    GoldCharacter,
    GoldQuote,
    find_eval_root,
    load_litbank,
    load_pdnc,
)
from ficlens.eval.speakers import (
    GoldIndex,
    entity_name,
    evaluate_prediction,
    evaluate_speakers,
    gold_characters,
    gold_quotations,
    main,
    map_characters,
    normalise_name,
)
from ficlens.model import Analysis, Character, Quote, Source

TEXT = (
    '"Come in," said Miss Smith.\n\n'
    '"It is late," said Tom, "and the road is long."\n\n'
    '"Then stay," she answered.'
)


def _inner(sub: str) -> tuple[int, int]:
    """Span of the words inside the first quotation ``sub`` (PDNC style: no marks)."""
    start = TEXT.index(sub)
    return start + 1, start + len(sub) - 1


Q_COME = _inner('"Come in,"')
Q_LATE = _inner('"It is late,"')
Q_ROAD = _inner('"and the road is long."')
Q_STAY = _inner('"Then stay,"')

ANN = GoldCharacter("0", "Ann Smith", ["Ann Smith", "Ann", "Miss Smith"], "F", "major")
TOM = GoldCharacter("1", "Tom", ["Tom", "Tom Brown"], "M", "minor")


def _gold_doc(text: str = TEXT) -> EvalDoc:
    quotes = [
        GoldQuote(*Q_COME, speaker="Ann Smith", addressees=["Tom"], type="Explicit", quote_id="Q0"),
        GoldQuote(*Q_LATE, speaker="Tom", addressees=["Ann Smith"], type="Explicit", quote_id="Q1"),
        GoldQuote(*Q_ROAD, speaker="Tom", addressees=["Ann Smith"], type="Explicit", quote_id="Q1"),
        GoldQuote(*Q_STAY, speaker="Ann Smith", addressees=[], type="Anaphoric", quote_id="Q2"),
    ]
    return EvalDoc(corpus="pdnc", name="toy", text=text, quotes=quotes, characters=[ANN, TOM])


def _quote(qid: int, span: tuple[int, int], speaker: str | None, **kw) -> Quote:
    start, end = span[0] - 1, span[1] + 1  # with the marks, as ficlens reports quotes
    return Quote(
        id=qid,
        start=start,
        end=end,
        text=TEXT[span[0] : span[1]],
        text_start=span[0],
        text_end=span[1],
        speech=True,
        paragraph=0,
        style="double",
        speaker=speaker,
        **kw,
    )


PRED_CHARS = [
    Character(id="c1", name="Miss Smith", aliases=["Ann"]),
    Character(id="c2", name="Tom"),
]


def _analysis(quotes: list[Quote], characters: list[Character] = PRED_CHARS) -> Analysis:
    return Analysis(
        source=Source(path=None, format="text", encoding="utf-8"),
        text_length=len(TEXT),
        text=TEXT,
        quotes=quotes,
        characters=characters,
    )


def _perfect() -> list[Quote]:
    return [
        _quote(0, Q_COME, "c1", addressees=["c2"]),
        _quote(1, Q_LATE, "c2", addressees=["c1"]),
        _quote(2, Q_ROAD, "c2", addressees=["c1"], continues=1),
        _quote(3, Q_STAY, "c1"),
    ]


def _result(quotes: list[Quote], characters: list[Character] = PRED_CHARS):
    return evaluate_prediction(_gold_doc(), _analysis(quotes, characters))


# ------------------------------------------------------------------------------------ names


def test_normalise_name() -> None:
    assert normalise_name("Mr. Smith") == normalise_name("mr smith") == "mr smith"
    assert normalise_name("  Lady  St.Cloud ") == "lady st cloud"
    assert normalise_name("O’Brien") == normalise_name("O'Brien") == "o'brien"
    assert normalise_name("MRS.  BEAVER") == "mrs beaver"


def test_mapping_prefers_the_larger_overlap() -> None:
    gold = [
        GoldCharacter("a", "Ann Hart", ["Ann Hart", "Ann"], category="major"),
        GoldCharacter("b", "Ann Smith", ["Ann Smith", "Ann", "Miss Smith"], category="minor"),
    ]
    predicted = [Character(id="p", name="Ann", aliases=["Miss Smith"])]
    assert map_characters(predicted, gold) == {"p": "b"}


def test_mapping_ties_go_to_main_name_then_category() -> None:
    gold = [
        GoldCharacter("a", "Lucy", ["Lucy", "Miss Lucy"], category="minor"),
        GoldCharacter("b", "Lucy Steele", ["Lucy Steele", "Lucy"], category="major"),
    ]
    assert map_characters([Character(id="p", name="Lucy")], gold) == {"p": "a"}  # main name
    assert map_characters([Character(id="p", name="Steele", aliases=["lucy"])], gold) == {
        "p": "b"  # no main name equal: the major character
    }


def test_mapping_normalises_and_finds_nothing_without_a_shared_name() -> None:
    gold = [GoldCharacter("a", "Mr. Wilcox", ["Mr. Wilcox", "Henry"])]
    predicted = [Character(id="p", name="Mr Wilcox"), Character(id="q", name="Margaret")]
    assert map_characters(predicted, gold) == {"p": "a", "q": None}


def test_gold_names_resolve_by_main_name_then_alias() -> None:
    index = GoldIndex("pdnc", [ANN, TOM])
    assert index.resolve("Ann Smith") == "0"
    assert index.resolve("Miss Smith") == "0"
    assert index.resolve("Tom Brown ") == "1"
    assert index.resolve("tom  brown") == "1"
    assert index.resolve("Nobody") is None
    assert index.resolve("_unknowable") is None


def _litbank_doc(speaker: str, **extra: Any) -> EvalDoc:
    """A LitBank excerpt: one quotation by ``speaker``, and Tom, the one named person."""
    return EvalDoc(
        corpus="litbank",
        name="lb",
        text=TEXT,
        quotes=[GoldQuote(Q_COME[0] - 1, Q_COME[1] + 1, speaker=speaker, quote_id="Q1")],
        characters=[GoldCharacter("Tom-1", "Tom", ["Tom"])],
        **extra,
    )


def test_litbank_unnamed_speakers_get_a_stand_in() -> None:
    assert entity_name("Mr__Markham-4") == "Mr Markham"
    assert entity_name("a_girl-13") == "a girl"
    doc = _litbank_doc("Mr__Markham-4")
    assert [c.name for c in gold_characters(doc)] == ["Tom", "Mr Markham"]
    analysis = _analysis([_quote(0, Q_COME, "m")], [Character(id="m", name="Mr. Markham")])
    assert evaluate_prediction(doc, analysis).counts.accuracy == 1.0


def test_litbank_people_also_go_by_their_descriptions() -> None:
    # The annotators linked "the keeper" to Markham: a described speaker "the keeper" is him.
    doc = _litbank_doc(
        "Mr__Markham-4", descriptions={"Mr__Markham-4": ["the keeper"], "Tom-1": ["the boy"]}
    )
    by_id = {c.id: c for c in gold_characters(doc)}
    assert "the keeper" in by_id["Mr__Markham-4"].aliases and "the boy" in by_id["Tom-1"].aliases
    keeper = Character(id="d0", name="a keeper", aliases=["the keeper"], described=True)
    analysis = _analysis([_quote(0, Q_COME, "d0")], [keeper])
    assert evaluate_prediction(doc, analysis).counts.accuracy == 1.0
    doc.descriptions = {}
    assert evaluate_prediction(doc, analysis).counts.accuracy == 0.0


def test_a_litbank_narrator_also_goes_by_i() -> None:
    # Rudolf narrates, and the prediction calls him "Narrator" (alias "I"): through "I" he
    # is that entity; without a gold narrator nobody is.
    doc = _litbank_doc("Rudolf-4", narrator="Rudolf-4")
    by_id = {c.id: c for c in gold_characters(doc)}
    assert "I" in by_id["Rudolf-4"].aliases and "I" not in by_id["Tom-1"].aliases
    narrator = Character(id="n", name="Narrator", aliases=["I"])
    analysis = _analysis([_quote(0, Q_COME, "n")], [narrator])
    assert evaluate_prediction(doc, analysis).counts.accuracy == 1.0
    doc.narrator = None
    assert evaluate_prediction(doc, analysis).counts.accuracy == 0.0


def test_sub_quotations_sharing_an_id_are_one_quotation() -> None:
    quotations = gold_quotations(_gold_doc().quotes)
    assert [q.quote_id for q in quotations] == ["Q0", "Q1", "Q2"]
    assert quotations[1].spans == [Q_LATE, Q_ROAD]


# ---------------------------------------------------------------------------------- accuracy


def test_perfect_prediction_scores_one() -> None:
    c = _result(_perfect()).counts
    assert (c.quotations, c.detected, c.attributed, c.correct) == (3, 3, 3, 3)
    assert c.accuracy == 1.0
    assert c.type_accuracy("Explicit") == c.type_accuracy("Anaphoric") == 1.0
    assert c.type_accuracy("Implicit") is None
    # Q2 has no gold addressees: not counted
    assert (c.addressees_known, c.addressee_any, c.addressee_exact) == (2, 1.0, 1.0)


def test_undetected_quote_counts_as_wrong() -> None:
    result = _result([q for q in _perfect() if q.id != 3])
    c = result.counts
    assert (c.quotations, c.detected, c.correct) == (3, 2, 2)
    assert c.accuracy == pytest.approx(2 / 3)
    assert c.accuracy_detected == 1.0
    assert c.type_accuracy("Anaphoric") == 0.0
    assert c.kinds == {"correct": 2, "undetected": 1}


def test_quote_without_speaker_counts_as_wrong() -> None:
    quotes = _perfect()
    quotes[0].speaker = None
    c = _result(quotes).counts
    assert (c.detected, c.attributed, c.correct) == (3, 2, 2)
    assert c.kinds["no-speaker"] == 1


def test_wrong_speaker() -> None:
    quotes = _perfect()
    quotes[3].speaker = "c2"
    c = _result(quotes).counts
    assert c.correct == 2 and c.kinds["wrong"] == 1
    assert c.precision == pytest.approx(2 / 3)


def test_character_mapping_to_nothing_makes_its_quotes_wrong() -> None:
    characters = [Character(id="c1", name="Margaret"), Character(id="c2", name="Tom")]
    c = _result(_perfect(), characters).counts
    assert c.correct == 1  # only Tom's quotation
    assert c.kinds["unmapped"] == 2


def test_speaker_id_naming_no_character_is_wrong() -> None:
    quotes = _perfect()
    quotes[0].speaker = "Ann Smith"  # a name, not a character id
    c = _result(quotes).counts
    assert c.kinds["bad-id"] == 1 and c.correct == 2


def test_first_matched_quote_with_a_speaker_and_continuation() -> None:
    quotes = _perfect()
    quotes[1].speaker = None  # the first part has none: the second part's speaker counts
    assert _result(quotes).counts.correct == 3
    doc = _gold_doc()
    del doc.quotes[1]  # gold Q1 is "and the road is long." alone
    quotes = _perfect()
    quotes[2].speaker = None  # continues quote 1, so it inherits quote 1's speaker
    assert evaluate_prediction(doc, _analysis(quotes)).counts.correct == 3
    quotes[2].continues = None
    assert evaluate_prediction(doc, _analysis(quotes)).counts.correct == 2


def test_two_characters_mapping_to_one_gold_both_count() -> None:
    characters = [*PRED_CHARS, Character(id="c3", name="Ann")]
    quotes = _perfect()
    quotes[3].speaker = "c3"  # a split cluster: still Ann
    assert _result(quotes, characters).counts.accuracy == 1.0


def test_addressees_any_and_exact() -> None:
    doc = _gold_doc()
    doc.quotes[0].addressees = ["Tom", "Miss Smith"]  # Ann addressing herself and Tom
    doc.quotes[3].addressees = ["_unknowable"]
    quotes = _perfect()
    analysis = _analysis(quotes)
    c = evaluate_prediction(doc, analysis).counts
    assert c.addressees_known == 2
    assert (c.addressees_any, c.addressees_exact) == (2, 1)
    quotes[1].addressees = ["c2"]  # Tom to himself: wrong; the continuation inherits nothing
    quotes[2].addressees = []
    c = evaluate_prediction(doc, _analysis(quotes)).counts
    assert (c.addressees_any, c.addressees_exact) == (1, 0)


def test_unresolvable_addressees_are_left_out() -> None:
    doc = _gold_doc()
    doc.quotes[0].addressees = ["_group"]
    c = evaluate_prediction(doc, _analysis(_perfect())).counts
    assert (c.addressees_known, c.addressees_unresolved) == (1, 1)


def test_report_dict_table_and_errors() -> None:
    quotes = _perfect()
    quotes[3].speaker = "c2"
    del quotes[0]
    report = evaluate_speakers([_gold_doc()], lambda _text: _analysis(quotes))
    data = report.to_dict()
    json.dumps(data)
    pdnc = data["corpora"]["pdnc"]
    assert (pdnc["quotations"], pdnc["correct"], pdnc["detected"]) == (3, 1, 2)
    assert pdnc["by_type"]["Explicit"] == {"correct": 1, "total": 2, "accuracy": 0.5}
    assert "pdnc/toy" in report.format_table()
    errors = report.errors("toy", limit=5)
    assert [e.kind for e in errors] == ["wrong", "undetected"]
    wrong = errors[0]
    assert (wrong.gold, wrong.predicted, wrong.predicted_maps_to) == ("Ann Smith", "Tom", "Tom")
    assert wrong.type == "Anaphoric"
    assert "[[Then stay,]]" in wrong.context and "she answered" in wrong.context
    assert "gold: Ann Smith  predicted: Tom (= Tom)" in wrong.format()
    assert len(report.errors(limit=1)) == 1


def test_progress_lines() -> None:
    lines: list[str] = []
    evaluate_speakers([_gold_doc()], lambda _text: _analysis(_perfect()), progress=lines.append)
    assert len(lines) == 1 and "pdnc/toy" in lines[0] and "1.000" in lines[0]


# ------------------------------------------------------------------------- command and CLI


def _fake_pdnc(root: Path) -> None:
    novel = root / "pdnc" / "data" / "Toy"
    novel.mkdir(parents=True)
    (novel / "novel_text.txt").write_text(TEXT, encoding="utf-8")
    rows = [
        "quoteID,quoteText,subQuotationList,quoteByteSpans,speaker,addressees,quoteType",
        f'Q0,x,[],"[[{Q_COME[0]}, {Q_COME[1]}]]",Ann Smith,"[\'Tom\']",Explicit',
        f'Q1,x,[],"[[{Q_LATE[0]}, {Q_LATE[1]}], [{Q_ROAD[0]}, {Q_ROAD[1]}]]",Tom,'
        "\"['Ann Smith']\",Explicit",
        f'Q2,x,[],"[[{Q_STAY[0]}, {Q_STAY[1]}]]",Ann Smith,[],Anaphoric',
    ]
    (novel / "quotation_info.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (novel / "character_info.csv").write_text(
        "Character ID,Main Name,Aliases,Gender,Category\n"
        "0,Ann Smith,\"{'Ann Smith', 'Ann', 'Miss Smith'}\",F,major\n"
        "1,Tom,\"{'Tom', 'Tom Brown'}\",M,minor\n",
        encoding="utf-8",
    )


def test_main_and_cli_on_a_made_up_folder(tmp_path: Path, capsys) -> None:
    _fake_pdnc(tmp_path)
    args = ["--data", str(tmp_path), "--corpus", "pdnc"]
    assert main([*args, "--json", "--errors", "2", "--doc", "toy"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["corpora"]["pdnc"]["quotations"] == 3
    assert "[1/1] pdnc/Toy" in captured.err
    assert main([*args, "--doc", "nothing"]) == 2
    result = CliRunner().invoke(cli_main, ["eval", "speakers", *args, "--errors", "1"])
    assert result.exit_code == 0, result.output
    assert "pdnc/Toy" in result.output


# ------------------------------------------------------------------------------- real data


@pytest.fixture(scope="module")
def eval_root() -> Path:
    root = find_eval_root()
    if root is None:
        pytest.skip("evaluation data not found: set FICLENS_EVAL_DATA or put it at ../shared/eval")
    return root


def _oracle(doc: EvalDoc) -> Analysis:
    """The gold attribution as a prediction: quotes at the gold spans, gold characters."""
    characters = gold_characters(doc)
    index = GoldIndex(doc.corpus, characters)
    quotes = [
        Quote(
            id=n,
            start=q.start,
            end=q.end,
            text=doc.text[q.start : q.end],
            text_start=q.start,
            text_end=q.end,
            speech=True,
            paragraph=0,
            style="double",
            speaker=index.resolve(q.speaker),
            addressees=[a for a in map(index.resolve, q.addressees) if a is not None],
        )
        for n, q in enumerate(doc.quotes)
    ]
    return Analysis(
        source=Source(path=None, format="text", encoding="utf-8"),
        text_length=len(doc.text),
        text=doc.text,
        quotes=quotes,
        characters=[Character(id=c.id, name=c.name, aliases=list(c.aliases)) for c in characters],
    )


def test_gold_fed_back_scores_one_on_pdnc(eval_root: Path) -> None:
    docs = [d for d in load_pdnc(eval_root) if d.name in ("Persuasion", "HowardsEnd")]
    assert len(docs) == 2
    by_text = {id(d.text): d for d in docs}
    report = evaluate_speakers(docs, lambda text: _oracle(by_text[id(text)]))
    c = report.total("pdnc")
    assert c.quotations == sum(len({q.quote_id for q in d.quotes}) for d in docs)
    assert c.accuracy == 1.0
    assert all(c.type_accuracy(t) == 1.0 for t in ("Explicit", "Anaphoric", "Implicit"))
    assert c.addressees_known > 0.9 * c.quotations
    assert c.addressee_any == c.addressee_exact == 1.0


def test_pdnc_gold_speakers_all_resolve(eval_root: Path) -> None:
    for doc in load_pdnc(eval_root):
        index = GoldIndex("pdnc", doc.characters)
        assert all(index.resolve(q.speaker) for q in doc.quotes), doc.name


def test_gold_fed_back_on_litbank(eval_root: Path) -> None:
    docs = load_litbank(eval_root)
    by_text = {id(d.text): d for d in docs}
    c = evaluate_speakers(docs, lambda text: _oracle(by_text[id(text)])).total("litbank")
    assert c.quotations == 1765
    # two quotations go to a namesake: entities that share every name cannot be told apart
    assert c.accuracy > 0.995


def test_litbank_narrators_say_i_outside_quotations(eval_root: Path) -> None:
    docs = load_litbank(eval_root)
    with_narrator = [d for d in docs if d.narrator is not None]
    assert 20 <= len(with_narrator) < len(docs)
    for doc in with_narrator:
        spans = [(q.start, q.end) for q in doc.quotes]
        narration = "".join(
            ch if not any(lo <= i < hi for lo, hi in spans) else " "
            for i, ch in enumerate(doc.text)
        )
        assert re.search(r"\b(I|me|my)\b", narration), doc.name
