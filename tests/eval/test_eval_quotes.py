"""Quote-evaluation tests: matching on made-up cases, the LitBank detokeniser, the loaders.

Tests marked with the ``eval_root`` fixture read the real evaluation data (PDNC, LitBank)
and skip when it is absent (set FICLENS_EVAL_DATA or place it at ../shared/eval).
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ficlens.eval.data import (
    EvalDoc,
    GoldQuote,
    detokenize,
    find_eval_root,
    litbank_sentences,
    load_litbank,
    load_pdnc,
)
from ficlens.eval.quotes import (
    core,
    evaluate_quotes,
    main,
    match,
    normalise,
    run,
)

# --------------------------------------------------------------------------- synthetic cases

TEXT = (
    '"Come in," said Ann. She waited.\n\n'
    '"It is late," said Tom, "and the road is long."\n\n'
    "Nobody answered. The word 'late' hung there."
)


def _span(sub: str, *, marks: bool = True) -> tuple[int, int]:
    """Span of the first occurrence of ``sub``; without marks, the inner text."""
    start = TEXT.index(sub)
    end = start + len(sub)
    return (start, end) if marks else (start + 1, end - 1)


GOLD = [
    _span('"Come in,"', marks=False),
    _span('"It is late,"', marks=False),
    _span('"and the road is long."', marks=False),
]
PRED = [_span('"Come in,"'), _span('"It is late,"'), _span('"and the road is long."')]


def _doc(gold: list[tuple[int, int]] = GOLD, text: str = TEXT) -> EvalDoc:
    return EvalDoc(
        corpus="pdnc", name="toy", text=text, quotes=[GoldQuote(start=s, end=e) for s, e in gold]
    )


def _report(pred: list[tuple[int, int]], gold: list[tuple[int, int]] = GOLD, text: str = TEXT):
    return evaluate_quotes([_doc(gold, text)], detect=lambda _text: pred)


def test_perfect_prediction_scores_one() -> None:
    report = _report(PRED)
    lenient, exact = report.total(), report.total(exact=True)
    assert (lenient.tp, lenient.fp, lenient.fn) == (3, 0, 0)
    assert lenient.f1 == exact.f1 == 1.0


def test_missed_quote_lowers_recall_only() -> None:
    c = _report(PRED[:2]).total()
    assert (c.tp, c.fp, c.fn) == (2, 0, 1)
    assert c.precision == 1.0
    assert c.recall == pytest.approx(2 / 3)


def test_spurious_quote_lowers_precision_only() -> None:
    c = _report([*PRED, _span("'late'")]).total()
    assert (c.tp, c.fp, c.fn) == (3, 1, 0)
    assert c.recall == 1.0
    assert c.precision == pytest.approx(3 / 4)


def test_overlap_below_half_does_not_match() -> None:
    start = GOLD[2][0]  # "and the road is long." (21 chars)
    short = (start, start + 8)  # "and the " -> core "and the", 7 of 21
    c = _report([PRED[0], PRED[1], short]).total()
    assert (c.tp, c.fp, c.fn) == (2, 1, 1)


def test_overlap_of_half_matches_leniently_but_not_exactly() -> None:
    start = GOLD[2][0]
    half = (start, start + 15)  # "and the road is" covers more than half of the gold core
    report = _report([PRED[0], PRED[1], half])
    assert report.total().tp == 3
    assert report.total(exact=True).tp == 2


def test_exact_tolerates_two_characters() -> None:
    (s0, e0), (s1, e1), (s2, e2) = GOLD
    shifted = [(s0 - 1, e0 + 1), (s1, e1 + 2), (s2 + 2, e2)]  # around the cores
    assert _report(shifted).total(exact=True).tp == 3
    assert _report([(s2 + 4, e2)], gold=[GOLD[2]]).total(exact=True).tp == 0


def test_one_to_one_two_predictions_cannot_share_a_gold() -> None:
    start, end = GOLD[1]
    preds = [(start, end), (start + 1, end)]
    c = _report(preds, gold=[GOLD[1]]).total()
    assert (c.tp, c.fp, c.fn) == (1, 1, 0)


def test_greedy_takes_the_largest_overlap() -> None:
    golds = [(0, 10), (10, 30)]
    preds = [(2, 25)]  # overlaps gold 0 by 8 and gold 1 by 15
    assert match(preds, golds, lambda p, g: True) == [(0, 1)]


def test_one_prediction_over_two_quotes_matches_at_most_one() -> None:
    start = GOLD[1][0] - 1
    end = GOLD[2][1] + 1
    c = _report([PRED[0], (start, end)]).total()
    assert c.tp <= 2 and c.tp + c.fn == 3


def test_core_strips_marks_whitespace_and_dashes() -> None:
    text = '  "— Well?" '
    assert text[slice(*core(text, 0, len(text)))] == "Well?"
    text = "‘Oh!’"
    assert text[slice(*core(text, 0, len(text)))] == "Oh!"


def test_paragraph_normalisation_splits_both_sides() -> None:
    text = '"First part of a long speech.\n\n"Second part of it."\n\nDone.'
    whole = [(1, text.index('it."') + 3)]  # gold: one span over both paragraphs
    per_paragraph = [(0, text.index("\n\n")), (text.index('"Second'), text.index("Done") - 2)]
    assert len(normalise(text, whole)) == 2
    c = _report(per_paragraph, gold=whole, text=text).total()
    assert (c.tp, c.fp, c.fn) == (2, 0, 0)


def test_empty_cores_are_dropped() -> None:
    assert normalise('a "" b', [(2, 4)]) == []


def test_report_dict_table_and_errors() -> None:
    report = _report([PRED[0], _span("'late'")])
    data = report.to_dict()
    assert data["corpora"]["pdnc"]["lenient"]["tp"] == 1
    json.dumps(data)
    table = report.format_table()
    assert "pdnc/toy" in table and "micro" in table
    errors = report.errors("toy", limit=5)
    kinds = sorted(e.kind for e in errors)
    assert kinds == ["missed", "missed", "spurious"]
    spurious = next(e for e in errors if e.kind == "spurious")
    assert spurious.text == "late" and "[[late]]" in spurious.context
    assert report.errors("toy", limit=1)[0].kind == "missed"


def test_default_detector_runs_on_the_pipeline() -> None:
    report = evaluate_quotes([_doc()])
    c = report.total()
    assert c.tp + c.fn == 3


# ------------------------------------------------------------------------------ detokeniser


def _check_offsets(sentences: list[list[str]]) -> str:
    d = detokenize(sentences)
    for tokens, row in zip(sentences, d.offsets, strict=True):
        assert len(tokens) == len(row)
        for tok, (s, e) in zip(tokens, row, strict=True):
            assert d.text[s:e] == tok
    flat = [se for row in d.offsets for se in row]
    for (_, e1), (s2, _) in itertools.pairwise(flat):
        assert e1 <= s2 and d.text[e1:s2].strip() == ""
    return d.text


def test_detokenise_punctuation_clitics_and_quotes() -> None:
    text = _check_offsets(
        [
            ["“", "I", "do", "n't", "know", ",", "”", "said", "the", "cat", "'s", "owner", "."],
            ["“", "We", "’ll", "see", "!", "”", "said", "Ann", "."],
        ]
    )
    assert text == "“I don't know,” said the cat's owner.\n\n“We’ll see!” said Ann."


def test_detokenise_straight_quotes_by_alternation() -> None:
    text = _check_offsets(
        [
            ['"', "Stop", ",", '"', "she", "said", ",", '"', "or", "go", ".", '"'],
            ["He", "called", "it", '"', "home", '"', "then", "."],
            ['"', "Fine", '"', "."],
        ]
    )
    assert text == '"Stop," she said, "or go." He called it "home" then.\n\n"Fine".'


def test_detokenise_single_quotes_and_apostrophes() -> None:
    text = _check_offsets(
        [
            ["'", "Run", ",", "'", "he", "said", "."],
            ["The", "boys", "'", "coats", "were", "wet", "."],
        ]
    )
    assert text == "'Run,' he said. The boys' coats were wet."


def test_detokenise_headings_brackets_italics_and_dashes() -> None:
    text = _check_offsets(
        [
            ["CHAPTER", "IV", ".", "The", "storm", "came", "(", "at", "last", ")", "."],
            ["It", "was", "_", "very", "_", "loud", "--", "truly", "."],
        ]
    )
    assert text == "CHAPTER IV.\n\nThe storm came (at last). It was _very_ loud -- truly."


def test_detokenise_new_paragraph_only_before_an_opening_mark() -> None:
    d = detokenize(
        [
            ["He", "left", "."],
            ["“", "Wait", "!", "”"],
            ["She", "ran", "."],
            ["“", "Long", "speech", "."],  # runs on into the next paragraph, unclosed
            ["“", "Still", "speaking", ".", "”"],
        ]
    )
    assert d.paragraph_starts == [0, 1, 3, 4]
    assert d.text.count("\n\n") == 3
    assert d.span(3, 0, 4, 4) == (d.text.index("“Long"), len(d.text))


def test_detokenise_untagged_line_after_a_short_tag_goes_on_the_paragraph() -> None:
    d = detokenize(
        [
            ["“", "Quite", "so", ",", "”", "he", "answered", "."],
            ["“", "You", "see", ".", "”"],  # no tag, short narration before: same paragraph
            ["“", "How", "often", "?", "”"],  # after a bare line: a new one
            ["“", "Often", ",", "”", "she", "said", "."],
            ["“", "No", ",", "”", "said", "Tom", "."],  # its own tag: a new paragraph
            [
                "“",
                "Well",
                ",",
                "”",
                "he",
                "said",
                ",",
                "and",
                "sat",
                "down",
                "in",
                "the",
                "big",
                "chair",
                "by",
                "the",
                "fire",
                ".",
            ],
            ["“", "Then", "go", ".", "”"],  # after a long narration: a new paragraph
        ]
    )
    assert d.paragraph_starts == [0, 2, 3, 4, 5, 6]
    assert "answered. “You see.”" in d.text


QUOTE_TOKENS = [
    '"',
    "'",
    "“",
    "”",
    "‘",
    "’",
    "_",
    ",",
    ".",
    "!",
    "?",
    "--",
    "—",
    "(",
    ")",
    "'s",
    "n't",
    "’ll",
    "CHAPTER",
    "II",
    "word",
    "Name",
    "s",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(QUOTE_TOKENS), min_size=1, max_size=12), max_size=8))
def test_detokenise_offsets_always_map_to_tokens(sentences: list[list[str]]) -> None:
    _check_offsets(sentences)


# ------------------------------------------------------------------------------ local loaders


NARRATION = _span("Nobody answered.")  # a made-up "gold quote" no detector should find


def _fake_pdnc(root: Path) -> None:
    novel = root / "pdnc" / "data" / "Toy"
    novel.mkdir(parents=True)
    (novel / "novel_text.txt").write_text(TEXT, encoding="utf-8")
    rows = [
        '"quoteID","quoteText","subQuotationList","quoteByteSpans","speaker","addressees",'
        '"quoteType","referringExpression","mentionTextsList","mentionSpansList",'
        '"mentionEntitiesList"',
        f'"Q0","Come in,","[\'Come in,\']","[[{GOLD[0][0]}, {GOLD[0][1]}]]","Ann","[\'Tom\']",'
        '"Explicit","said Ann","[[]]","[[]]","[[]]"',
        f'"Q1","x","[]","[[{GOLD[1][0]}, {GOLD[1][1]}], [{GOLD[2][0]}, {GOLD[2][1]}]]","Tom",'
        '"[\'Ann\']","Explicit","said Tom","[[]]","[[]]","[[]]"',
        f'"Q2","x","[]","[[{NARRATION[0]}, {NARRATION[1]}]]","Ann","[]","Implicit","",'
        '"[[]]","[[]]","[[]]"',
    ]
    (novel / "quotation_info.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (novel / "character_info.csv").write_text(
        "Character ID,Main Name,Aliases,Gender,Category\n"
        "0,Ann,\"{'Ann', 'Miss Ann'}\",F,major\n1,Tom,['Tom'],M,minor\n",
        encoding="utf-8",
    )


def test_load_pdnc_and_run_on_a_made_up_folder(tmp_path: Path, capsys) -> None:
    _fake_pdnc(tmp_path)
    (doc,) = load_pdnc(tmp_path)
    assert [(q.start, q.end) for q in doc.quotes] == [*GOLD, NARRATION]
    assert [q.quote_id for q in doc.quotes] == ["Q0", "Q1", "Q1", "Q2"]
    assert doc.quotes[0].speaker == "Ann" and doc.quotes[0].addressees == ["Tom"]
    assert doc.characters[0].aliases == ["Ann", "Miss Ann"]
    assert doc.characters[1].gender == "M"
    report = run(tmp_path, "pdnc", detect=lambda _t: PRED)
    c = report.total()
    assert (c.tp, c.fp, c.fn) == (3, 0, 1)
    assert report.recall_by_type()["Implicit"] == (0, 1)
    assert main(["--data", str(tmp_path), "--corpus", "pdnc", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["corpora"]["pdnc"]["gold"] == 4
    assert main(["--data", str(tmp_path), "--corpus", "pdnc", "--errors", "2", "--doc", "toy"]) == 0
    assert "MISSED   Toy" in capsys.readouterr().out


def test_find_eval_root_honours_the_environment(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("FICLENS_EVAL_DATA", str(tmp_path))
    assert find_eval_root() == tmp_path
    monkeypatch.setenv("FICLENS_EVAL_DATA", str(tmp_path / "missing"))
    assert find_eval_root() is None
    assert main(["--corpus", "pdnc"]) == 2


# ------------------------------------------------------------------------------- real data


@pytest.fixture(scope="module")
def eval_root() -> Path:
    root = find_eval_root()
    if root is None:
        pytest.skip("evaluation data not found: set FICLENS_EVAL_DATA or put it at ../shared/eval")
    return root


@pytest.fixture(scope="module")
def pdnc(eval_root: Path) -> list[EvalDoc]:
    return load_pdnc(eval_root)


@pytest.fixture(scope="module")
def litbank(eval_root: Path) -> list[EvalDoc]:
    return load_litbank(eval_root)


def _inside(doc: EvalDoc) -> bool:
    return all(0 <= q.start < q.end <= len(doc.text) for q in doc.quotes)


def test_pdnc_loads_fourteen_novels(pdnc: list[EvalDoc]) -> None:
    assert len(pdnc) == 14
    assert all(doc.corpus == "pdnc" and doc.quotes and doc.characters for doc in pdnc)
    assert all(_inside(doc) for doc in pdnc)
    assert sum(len(doc.quotes) for doc in pdnc) > 20_000
    speakers = {q.speaker for doc in pdnc for q in doc.quotes}
    assert None not in speakers


def test_pdnc_spans_mostly_equal_their_sub_quotations(pdnc: list[EvalDoc]) -> None:
    # PDNC spans hold the words without the marks; allow the documented ~2% drift
    docs = {d.name: d for d in pdnc}
    doc = docs["Persuasion"]
    starts_clean = sum(doc.text[q.start] not in "\"' \n" for q in doc.quotes)
    assert starts_clean / len(doc.quotes) > 0.95


def test_litbank_loads_one_hundred_excerpts(litbank: list[EvalDoc]) -> None:
    assert len(litbank) == 100
    assert all(doc.corpus == "litbank" for doc in litbank)
    assert all(_inside(doc) for doc in litbank)
    assert sum(len(doc.quotes) for doc in litbank) == 1765
    assert sum(len(doc.characters) for doc in litbank) > 500


def test_litbank_gold_spans_are_exactly_their_tokens(
    eval_root: Path, litbank: list[EvalDoc]
) -> None:
    ann_dir = eval_root / "litbank" / "quotations" / "tsv"
    checked = 0
    for doc in litbank:
        sentences = litbank_sentences(eval_root, doc.name)
        assert _check_offsets(sentences) == doc.text
        rows = [
            line.split("\t")
            for line in (ann_dir / f"{doc.name}_brat.ann").read_text(encoding="utf-8").splitlines()
            if line.startswith("QUOTE\t")
        ]
        spans = {q.quote_id: q for q in doc.quotes}
        for row in rows:
            s1, t1, s2, t2 = (int(x) for x in row[2:6])
            if s1 == s2:
                tokens = sentences[s1][t1 : t2 + 1]
            else:
                tokens = sentences[s1][t1:] + [t for s in sentences[s1 + 1 : s2] for t in s]
                tokens += sentences[s2][: t2 + 1]
            q = spans[row[1]]
            piece = doc.text[q.start : q.end]
            assert re.sub(r"\s+", "", piece) == "".join(tokens)
            assert piece.startswith(tokens[0]) and piece.endswith(tokens[-1])
            checked += 1
    assert checked == 1765


def test_gold_as_prediction_scores_one(pdnc: list[EvalDoc], litbank: list[EvalDoc]) -> None:
    docs = pdnc[:3] + litbank
    by_text = {id(d.text): d for d in docs}

    def oracle(text: str) -> list[tuple[int, int]]:
        return [(q.start, q.end) for q in by_text[id(text)].quotes]

    report = evaluate_quotes(docs, detect=oracle)
    for corpus in ("pdnc", "litbank"):
        assert report.total(corpus).f1 == 1.0
        assert report.total(corpus, exact=True).f1 == 1.0
