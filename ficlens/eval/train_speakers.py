"""Train the speaker ranker (``ficlens.nlp.ranker``) on the annotated novels, and say how
well it generalises.

    ficlens eval train-speakers                 # PDNC and LitBank: held out, then train on all
    ficlens eval train-speakers --corpus pdnc   # the PDNC novels alone
    ficlens eval train-speakers --no-cv --out /tmp/ranker.json

Every document is analysed up to coreference once; the hand rules then attribute its
quotations, and every quotation matched to a gold quotation whose speaker is known gives one
training example: its candidates, their features, and which of them is the gold speaker
(through the same character mapping ``ficlens eval speakers`` uses). The model is a
LightGBM lambdarank ensemble (each quotation's candidates one group), about twenty seconds
on two cores; it is written as flat trees that the ranker walks in NumPy.

Held out: each PDNC novel in turn, and the LitBank excerpts in five groups, is attributed
by a model trained on all the rest, exactly as the pipeline would (the ranker re-decides
every turn in reading order); the figures are those of ``ficlens eval speakers``, summed
over the documents. Only then is the shipped model
trained on everything, and written with those figures beside its trees.
"""

from __future__ import annotations

import argparse
import copy
import json
import pickle
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ficlens.document import Document
from ficlens.eval.data import EvalDoc
from ficlens.eval.speakers import (
    GoldIndex,
    SpeakerCounts,
    evaluate_prediction,
    gold_characters,
    gold_quotations,
    load_docs,
    map_characters,
    match_quotations,
)
from ficlens.model import Analysis, Source
from ficlens.nlp import speakers
from ficlens.nlp.ranker import (
    FEATURES,
    MODEL_FILE,
    SpeakerRanker,
    choices,
    flatten_lightgbm,
    model_data,
)

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "data" / MODEL_FILE


@dataclass
class Prepared:
    """One document analysed up to coreference, with its training examples."""

    eval_doc: EvalDoc
    document: Document
    examples: list[tuple[np.ndarray, np.ndarray]]  # (candidate features, 0/1 gold)


def analyse_to_speakers(eval_doc: EvalDoc, stages: Sequence) -> Document:
    analysis = Analysis(
        source=Source(path=None, format="text", encoding="utf-8"),
        text_length=len(eval_doc.text),
        text=eval_doc.text,
    )
    document = Document(text=eval_doc.text, analysis=analysis)
    for stage in stages:
        stage(document)
    return document


def gold_speakers(eval_doc: EvalDoc, document: Document) -> dict[int, str | None]:
    """Predicted quote id -> the gold character id of the gold quotation it matches."""
    index = GoldIndex(eval_doc.corpus, gold_characters(eval_doc))
    quotes = [q for q in document.analysis.quotes if q.speech]
    quotations = gold_quotations(eval_doc.quotes)
    out: dict[int, str | None] = {}
    for g, owners in match_quotations(eval_doc.text, quotes, quotations).items():
        for qi in owners:
            out.setdefault(quotes[qi].id, index.resolve(quotations[g].speaker))
    return out


def examples_of(eval_doc: EvalDoc, document: Document) -> list[tuple[np.ndarray, np.ndarray]]:
    turns = speakers.attribute_by_rules(document)  # first: it adds described speakers
    mapping = map_characters(document.analysis.characters, gold_characters(eval_doc))
    gold = gold_speakers(eval_doc, document)
    out = []
    for choice in choices(document, turns):
        speaker = gold.get(choice.quote_id)
        if speaker is None:
            continue
        labels = np.array([mapping.get(c) == speaker for c in choice.candidates], dtype=float)
        if labels.any():  # a quotation whose speaker is no candidate teaches nothing
            out.append((np.asarray(choice.vectors, dtype=float), labels))
    return out


# LightGBM's lambdarank over each quotation's candidates. Fixed seeds: the same data gives
# the same trees. Chosen on PDNC leave-one-novel-out from a few settings (7, 15 or 31
# leaves; 20, 50 or 100 quotations a leaf; 150, 300 or 600 rounds): small trees that
# each need fifty quotations generalise best to an unseen novel.
PARAMETERS: dict[str, Any] = {
    "objective": "lambdarank",
    "learning_rate": 0.05,
    "num_leaves": 15,
    "max_depth": 8,
    "min_data_in_leaf": 50,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambdarank_truncation_level": 3,
    "seed": 7,
    "deterministic": True,
    "num_threads": 2,
    "verbose": -1,
}
ROUNDS = 300
# Clues whose direction is certain: more of them never makes a candidate less (or more)
# likely, whatever the trees learned from rare combinations ("she said" is no man's line).
MONOTONE = {
    "rule_explicit": 1,
    "rule_any": 1,
    "gender_match": 1,
    "only_candidate_of_gender": 1,
    "pronoun_participant": 1,
    "gender_mismatch": -1,
    "vocative": -1,
}


def fit(
    examples: Sequence[tuple[np.ndarray, np.ndarray]], *, rounds: int = ROUNDS
) -> list[dict[str, list[float]]]:
    """Boosted trees that rank each example's gold candidate first (flat, for the ranker)."""
    try:
        import lightgbm
    except ImportError as error:  # only training needs it
        raise SystemExit(
            "ficlens eval train-speakers: LightGBM is not installed (pip install 'ficlens[train]')"
        ) from error
    x = np.vstack([features for features, _ in examples])
    y = np.concatenate([labels for _, labels in examples])
    data = lightgbm.Dataset(x, y, group=[len(labels) for _, labels in examples])
    parameters = {
        **PARAMETERS,
        "monotone_constraints": [MONOTONE.get(name, 0) for name in FEATURES],
        "monotone_constraints_method": "advanced",
    }
    booster = lightgbm.train(parameters, data, num_boost_round=rounds)
    return flatten_lightgbm(booster.dump_model())


def attribute(prepared: Prepared, ranker: SpeakerRanker | None) -> SpeakerCounts:
    """Attribute the document as the pipeline would (with or without the ranker); score it."""
    # On a copy: attribution drops the described people who never speak, and the next
    # fold must find them all again.
    document = copy.deepcopy(prepared.document)
    for quote in document.analysis.quotes:
        quote.speaker, quote.addressees, quote.confidence = None, [], None
    turns = speakers.attribute_by_rules(document)
    if ranker is not None:
        speakers.rank_turns(document, turns, ranker)
    speakers.apply_turns(document, turns)
    return evaluate_prediction(prepared.eval_doc, document.analysis).counts


def prepare(eval_docs: Sequence[EvalDoc], cache: Path | None, progress: bool) -> list[Prepared]:
    from ficlens.pipeline import stages_before

    stages = [stage.build() for stage in stages_before("speakers")]
    out = []
    for eval_doc in eval_docs:
        start = time.perf_counter()
        path = cache / f"{eval_doc.corpus}-{eval_doc.name}.pickle" if cache else None
        if path is not None and path.exists():
            with path.open("rb") as file:
                document = pickle.load(file)
        else:
            document = analyse_to_speakers(eval_doc, stages)
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                with path.open("wb") as file:
                    pickle.dump(document, file)
        out.append(Prepared(eval_doc, document, examples_of(eval_doc, document)))
        if progress:
            seconds = time.perf_counter() - start
            print(f"  prepared {eval_doc.name} ({seconds:.1f} s)", file=sys.stderr)
    return out


def _figures(counts: SpeakerCounts) -> dict[str, float | None]:
    return {
        "accuracy": round(counts.accuracy, 4),
        **{
            kind.lower(): round(value, 4)
            for kind in ("Explicit", "Anaphoric", "Implicit")
            if (value := counts.type_accuracy(kind)) is not None
        },
        "addressees_any": round(counts.addressee_any, 4),
    }


def folds(prepared: Sequence[Prepared], litbank_folds: int = 5) -> list[list[int]]:
    """Held-out groups: each PDNC novel alone; the short LitBank excerpts dealt round into
    ``litbank_folds`` groups (a hundred folds would take an hour, and an excerpt of two
    thousand words teaches little on its own)."""
    out: list[list[int]] = []
    excerpts = [k for k, p in enumerate(prepared) if p.eval_doc.corpus == "litbank"]
    out += [[k] for k, p in enumerate(prepared) if p.eval_doc.corpus != "litbank"]
    groups = max(1, min(litbank_folds, len(excerpts)))
    out += [g for g in (excerpts[i::groups] for i in range(groups)) if g]
    return out


def cross_validate(prepared: Sequence[Prepared], litbank_folds: int = 5) -> dict[str, dict]:
    """Hold each fold out in turn: rules alone and rules + a ranker trained on the other
    folds, summed per corpus."""
    totals: dict[str, dict[str, SpeakerCounts]] = {}
    for fold in folds(prepared, litbank_folds):
        training = [e for j, p in enumerate(prepared) if j not in fold for e in p.examples]
        ranker = SpeakerRanker(fit(training))
        for k in fold:
            held_out = prepared[k]
            rules = attribute(held_out, None)
            ranked = attribute(held_out, ranker)
            corpus = totals.setdefault(
                held_out.eval_doc.corpus, {"rules": SpeakerCounts(), "ranker": SpeakerCounts()}
            )
            corpus["rules"] += rules
            corpus["ranker"] += ranked
            if len(fold) == 1:
                print(
                    f"{held_out.eval_doc.corpus:8s} {held_out.eval_doc.name:34s} "
                    f"rules {rules.accuracy:.3f}  ranker {ranked.accuracy:.3f}",
                    flush=True,
                )
        if len(fold) > 1:
            print(f"fold of {len(fold)} excerpts done", flush=True)
    return {
        corpus: {name: _figures(counts) for name, counts in pair.items()}
        for corpus, pair in totals.items()
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ficlens eval train-speakers", description=__doc__)
    parser.add_argument("--data", help="evaluation folder (default: ../shared/eval)")
    # Both corpora: PDNC names every speaker, LitBank links an unnamed one ("the convict") to
    # its descriptions; trained on PDNC alone the ranker learns to pass over the people the
    # narration describes but never names, and loses three points on LitBank.
    parser.add_argument("--corpus", choices=("pdnc", "litbank", "all"), default="all")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="model file to write")
    parser.add_argument("--no-cv", action="store_true", help="skip leave-one-out figures")
    parser.add_argument("--cache", type=Path, help="keep analysed documents here between runs")
    parser.add_argument(
        "--litbank-folds",
        type=int,
        default=5,
        help="held-out groups of LitBank excerpts (each PDNC novel is a fold of its own)",
    )
    args = parser.parse_args(argv)
    try:
        eval_docs = load_docs(args.data, args.corpus)
    except (FileNotFoundError, KeyError) as error:
        print(f"ficlens eval train-speakers: {error}", file=sys.stderr)
        return 1
    prepared = prepare(eval_docs, args.cache, progress=True)
    examples = [e for p in prepared for e in p.examples]
    about: dict = {
        "trained_on": sorted({d.corpus for d in eval_docs}),
        "documents": len(eval_docs),
        "examples": len(examples),
    }
    if not args.no_cv:
        about["held_out"] = cross_validate(prepared, args.litbank_folds)
        about["held_out_folds"] = (
            f"each PDNC novel; LitBank excerpts in {args.litbank_folds} groups"
        )
        print(json.dumps(about["held_out"], indent=2))
    trees = fit(examples)
    args.out.write_text(json.dumps(model_data(trees, **about), separators=(",", ":")) + "\n")
    size = f"{len(examples)} examples, {len(trees)} trees over {len(FEATURES)} features"
    print(f"wrote {args.out} ({size})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
