"""Similar works: ranked by shared fandoms, characters, relationships, tags and words."""

from __future__ import annotations

import pytest
from library_works import SPECS, build

from ficlens.library import Library


@pytest.fixture
def ids(library: Library) -> dict[str, int]:
    return {key: library.add(*build(spec)).work_id for key, spec in SPECS.items()}


def test_the_closest_work_shares_fandom_characters_and_tags(
    library: Library, ids: dict[str, int]
) -> None:
    found = library.similar(ids["lanterns"], limit=10)
    assert ids["lanterns"] not in [work.id for work in found]
    assert found[0].id == ids["vulcan"]
    reasons = found[0].reasons
    assert "same fandom Star Trek: The Original Series" in reasons
    assert "2 characters in common" in reasons
    assert "shares tag Hurt/Comfort" in reasons  # "h/c" in the other work: one tag
    scores = [work.score for work in found]
    assert all(score is not None and 0 < score <= 1 for score in scores)
    assert scores == sorted(scores, reverse=True)


def test_a_shared_pairing_is_a_reason(library: Library, ids: dict[str, int]) -> None:
    loaded, analysis = build(SPECS["lanterns"], path="/fics/lanterns-sequel.txt")
    loaded.text += "\nA sequel.\n"
    analysis.text = loaded.text
    analysis.source.sha256 = "0" * 64
    sequel = library.add(loaded, analysis).work_id
    (top,) = library.similar(sequel, limit=1)
    assert top.id == ids["lanterns"]
    assert "shares pairing James T. Kirk/Spock" in top.reasons
    assert top.score == pytest.approx(1.0, abs=0.05)


def test_limits_and_unknown_works(library: Library, ids: dict[str, int]) -> None:
    assert len(library.similar(ids["lanterns"], limit=2)) == 2
    assert library.similar(ids["lanterns"], limit=0) == []
    assert library.similar(12345) == []
