"""Alias-clustering evaluation (B-cubed) on hand-made predictions and on PDNC.

Tests using the ``eval_root`` fixture read the real evaluation data and skip when it is
absent (set FICLENS_EVAL_DATA or place it at ../shared/eval).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ficlens.cli import main as cli_main
from ficlens.eval.characters import (
    CharacterReport,
    b_cubed,
    evaluate_characters,
    evaluate_prediction,
    gold_items,
    main,
    occurs,
    predicted_clusters,
)
from ficlens.eval.data import EvalDoc, GoldCharacter, find_eval_root, load_pdnc
from ficlens.model import Analysis, Character, Source

TEXT = (
    "Miss Smith came in. Ann sat down; Ann Smith was tired. Tom looked up. "
    "Mr. Brown nodded, and Tom Brown smiled. Tomorrow, said the vicar, "
    "would be fine. Nobody had seen Jane."
)

GOLD = [
    GoldCharacter("0", "Ann Smith", ["Ann Smith", "Ann", "Miss Smith", "Annie"], category="major"),
    GoldCharacter("1", "Tom Brown", ["Tom Brown", "Tom", "Mr. Brown", "Tommy"], category="minor"),
    GoldCharacter("2", "The Vicar", ["The Vicar"], category="minor"),  # only "the vicar"
    GoldCharacter("3", "Jane", ["Jane", "Miss Smith"], category="minor"),  # shares a name
]


def _doc(text: str = TEXT, name: str = "toy") -> EvalDoc:
    return EvalDoc(corpus="pdnc", name=name, text=text, characters=GOLD)


def _score(characters: list[Character], doc: EvalDoc | None = None):
    return evaluate_prediction(doc or _doc(), characters)


def test_occurs_is_case_sensitive_and_whole_word() -> None:
    assert occurs(TEXT, "Tom")
    assert not occurs("Tomorrow never comes", "Tom")
    assert not occurs(TEXT, "The Vicar")
    assert occurs("Mr. Brown.", "Mr. Brown")


def test_items_are_unambiguous_names_found_in_the_text() -> None:
    items = gold_items(TEXT, GOLD)
    # "miss smith" belongs to two gold characters; "annie", "tommy", "the vicar" are absent
    assert items == {
        "ann smith": "0",
        "ann": "0",
        "tom brown": "1",
        "tom": "1",
        "mr brown": "1",
        "jane": "3",
    }


def test_perfect_prediction_scores_one() -> None:
    predicted = [
        Character(id="a", name="Ann Smith", aliases=["Ann", "Miss Smith"]),
        Character(id="t", name="Tom Brown", aliases=["Tom", "Mr Brown"]),
        Character(id="j", name="Jane"),
    ]
    r = _score(predicted)
    assert (r.precision, r.recall, r.f1) == (1.0, 1.0, 1.0)
    assert r.covered == 6


def test_merged_cluster_lowers_precision_only() -> None:
    predicted = [
        Character(id="x", name="Ann Smith", aliases=["Ann", "Tom", "Tom Brown", "Mr. Brown"]),
        Character(id="j", name="Jane"),
    ]
    r = _score(predicted)
    assert r.recall == 1.0
    # five items in one predicted cluster: Ann's two see 2/5, Tom's three see 3/5, Jane 1
    assert r.precision == pytest.approx((2 * 2 / 5 + 3 * 3 / 5 + 1) / 6)
    assert r.f1 < 1.0
    merged = [("Ann Smith", ["ann", "ann smith"]), ("Tom Brown", ["mr brown", "tom", "tom brown"])]
    assert r.merged() == [("Ann Smith", merged)]


def test_split_cluster_lowers_recall_only() -> None:
    predicted = [
        Character(id="a", name="Ann Smith", aliases=["Ann"]),
        Character(id="t1", name="Tom Brown", aliases=["Mr. Brown"]),
        Character(id="t2", name="Tom"),
        Character(id="j", name="Jane"),
    ]
    r = _score(predicted)
    assert r.precision == 1.0
    assert r.recall == pytest.approx((1 + 1 + 2 / 3 + 2 / 3 + 1 / 3 + 1) / 6)
    assert r.split() == [("Tom Brown", [["mr brown", "tom brown"], ["tom"]])]


def test_no_prediction_gives_singletons() -> None:
    r = _score([])
    assert r.precision == 1.0
    assert r.recall == pytest.approx((1 / 2 + 1 / 2 + 1 / 3 + 1 / 3 + 1 / 3 + 1) / 6)
    assert r.covered == 0


def test_names_that_are_not_items_do_not_count() -> None:
    # "Annie" (not in the text) and "Margaret" (nobody's) are in the cluster but not items
    predicted = [Character(id="a", name="Ann", aliases=["Annie", "Margaret", "Ann Smith"])]
    clusters = predicted_clusters(gold_items(TEXT, GOLD), predicted)
    assert clusters["ann"][0] == "a"
    assert clusters["tom"] == (None, frozenset({"tom"}))
    r = _score(predicted)
    assert r.precisions[:2] == [1.0, 1.0]


def test_an_item_held_by_two_predicted_characters_goes_to_the_most_mentioned() -> None:
    predicted = [
        Character(id="a", name="Ann", mentions=2),
        Character(id="b", name="Ann Smith", aliases=["Ann"], mentions=9),
    ]
    assert predicted_clusters(["ann"], predicted)["ann"][0] == "b"


def test_b_cubed_textbook_case() -> None:
    gold = {"a": "1", "b": "1", "c": "2"}
    pred = {k: frozenset({"a", "b", "c"}) for k in gold}
    p, r = b_cubed(gold, pred)
    assert p == pytest.approx([2 / 3, 2 / 3, 1 / 3])
    assert r == [1.0, 1.0, 1.0]


def test_micro_pools_items_and_macro_averages_novels() -> None:
    small = _doc("Tom and Tom Brown.", name="small")  # items: tom, tom brown
    big = _doc()
    predicted = [Character(id="t", name="Tom")]  # splits Tom Brown everywhere
    report = CharacterReport([evaluate_prediction(d, predicted) for d in (small, big)])
    r_small, r_big = (d.recall for d in report.docs)
    assert r_small == pytest.approx(0.5)
    micro_p, micro_r, _ = report.micro()
    macro_p, macro_r, macro_f = report.macro()
    assert micro_p == macro_p == 1.0
    assert micro_r == pytest.approx((2 * 0.5 + 6 * r_big) / 8)
    assert macro_r == pytest.approx((0.5 + r_big) / 2)
    assert macro_f == pytest.approx((report.docs[0].f1 + report.docs[1].f1) / 2)
    data = report.to_dict()
    json.dumps(data)
    assert data["items"] == 8
    assert "micro" in report.format_table()


def _analysis(characters: list[Character]):
    def analyse(text: str) -> Analysis:
        return Analysis(
            source=Source(path=None, format="text", encoding="utf-8"),
            text_length=len(text),
            text=text,
            characters=characters,
        )

    return analyse


def test_evaluate_characters_with_progress_and_errors() -> None:
    lines: list[str] = []
    predicted = [Character(id="x", name="Ann", aliases=["Tom"])]
    report = evaluate_characters([_doc()], _analysis(predicted), progress=lines.append)
    assert len(lines) == 1 and "pdnc/toy" in lines[0]
    errors = report.errors("toy", limit=5)
    assert any(e.startswith("MERGED  toy: Ann: ") for e in errors)
    assert any(e.startswith("SPLIT   toy: Tom Brown: ") for e in errors)


# ------------------------------------------------------------------------- command and CLI


def _fake_pdnc(root: Path) -> None:
    novel = root / "pdnc" / "data" / "Toy"
    novel.mkdir(parents=True)
    (novel / "novel_text.txt").write_text(TEXT, encoding="utf-8")
    (novel / "quotation_info.csv").write_text(
        "quoteID,quoteText,subQuotationList,quoteByteSpans,speaker,addressees,quoteType\n",
        encoding="utf-8",
    )
    (novel / "character_info.csv").write_text(
        "Character ID,Main Name,Aliases,Gender,Category\n"
        "0,Ann Smith,\"{'Ann Smith', 'Ann', 'Miss Smith'}\",F,major\n"
        "1,Tom Brown,\"{'Tom Brown', 'Tom', 'Mr. Brown'}\",M,minor\n",
        encoding="utf-8",
    )


def test_main_and_cli_on_a_made_up_folder(tmp_path: Path, capsys) -> None:
    _fake_pdnc(tmp_path)
    assert main(["--data", str(tmp_path), "--json", "--doc", "toy"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["documents"] == 1 and data["items"] == 6
    assert "[1/1] pdnc/Toy" in captured.err
    assert main(["--data", str(tmp_path), "--doc", "nothing"]) == 2
    result = CliRunner().invoke(
        cli_main, ["eval", "characters", "--data", str(tmp_path), "--errors", "3"]
    )
    assert result.exit_code == 0, result.output
    assert "pdnc/Toy" in result.output


# ------------------------------------------------------------------------------- real data


@pytest.fixture(scope="module")
def pdnc() -> list[EvalDoc]:
    root = find_eval_root()
    if root is None:
        pytest.skip("evaluation data not found: set FICLENS_EVAL_DATA or put it at ../shared/eval")
    return load_pdnc(root)


def test_gold_alias_sets_fed_back_score_one(pdnc: list[EvalDoc]) -> None:
    by_text = {id(d.text): d for d in pdnc}

    def oracle(text: str) -> Analysis:
        gold = by_text[id(text)].characters
        characters = [Character(id=c.id, name=c.name, aliases=list(c.aliases)) for c in gold]
        return _analysis(characters)(text)

    report = evaluate_characters(pdnc, oracle)
    assert report.micro() == report.macro() == (1.0, 1.0, 1.0)
    assert sum(d.items for d in report.docs) > 500


def test_no_characters_on_pdnc_is_the_singleton_floor(pdnc: list[EvalDoc]) -> None:
    report = evaluate_characters(pdnc[:3], _analysis([]))
    p, r, f = report.micro()
    assert p == 1.0 and 0.3 < r < 0.9 and f < 1.0
