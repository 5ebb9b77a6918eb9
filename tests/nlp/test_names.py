"""Names taken apart: titles, given names, surnames, nicknames (``ficlens.nlp.names``).

Pure functions, no spaCy: each case is what a careful reader of English fiction takes a
name to be made of.
"""

from __future__ import annotations

import pytest

from ficlens.nlp.names import normalise, parse, same_given

# --- parse: titles ----------------------------------------------------------------------


def test_mr_with_a_full_stop_is_a_title_before_a_surname() -> None:
    parts = parse("Mr. Elliot")
    assert parts.title == "mr"
    assert parts.surface == "Mr Elliot"
    # In "Mr. Elliot" the name after a courtesy title is the family name, even though
    # Elliot is also used as a given name.
    assert parts.surname == "Elliot"
    assert parts.given is None
    assert parts.words == ("Elliot",)


def test_captain_given_initial_and_surname() -> None:
    parts = parse("Captain James T. Kirk")
    assert parts.title == "captain"
    assert parts.given == "James"
    assert parts.surname == "Kirk"
    assert parts.words == ("James", "T.", "Kirk")
    assert not parts.title_only


@pytest.mark.parametrize(
    ("surface", "title", "given"),
    [
        ("Sir Walter", "sir", "Walter"),
        ("Lady Catherine", "lady", "Catherine"),
        ("Aunt Petunia", "aunt", "Petunia"),
        ("Miss Marianne", "miss", "Marianne"),
        ("Master Harry", "master", "Harry"),
    ],
)
def test_title_before_a_given_name(surface: str, title: str, given: str) -> None:
    parts = parse(surface)
    assert (parts.title, parts.given, parts.surname) == (title, given, None)


@pytest.mark.parametrize(
    ("surface", "title", "surname"),
    [
        ("Mrs Hudson", "mrs", "Hudson"),
        ("Mrs. Hudson", "mrs", "Hudson"),
        ("Miss Dashwood", "miss", "Dashwood"),
        ("Captain Wentworth", "captain", "Wentworth"),
        ("Professor McGonagall", "professor", "McGonagall"),
        ("Dr. Watson", "doctor", "Watson"),  # abbreviations take their full form
        ("Lieutenant Uhura", "lieutenant", "Uhura"),
    ],
)
def test_title_before_a_surname(surface: str, title: str, surname: str) -> None:
    parts = parse(surface)
    assert (parts.title, parts.given, parts.surname) == (title, None, surname)


@pytest.mark.parametrize("surface", ["Professor", "the Professor", "The Professor"])
def test_a_title_alone_is_title_only(surface: str) -> None:
    parts = parse(surface)
    assert parts.title == "professor"
    assert parts.surface == "Professor"
    assert parts.words == ()
    assert parts.title_only


def test_full_name_without_a_title() -> None:
    parts = parse("Anne Elliot")
    assert (parts.title, parts.given, parts.surname) == (None, "Anne", "Elliot")
    assert not parts.title_only


def test_surname_particle_stays_with_the_surname() -> None:
    parts = parse("Ludwig van Beethoven")
    assert parts.given == "Ludwig"
    assert parts.surname == "van Beethoven"


# --- parse: gender ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("surface", "gender"),
    [
        ("Mrs Hudson", "F"),
        ("Miss Dashwood", "F"),
        ("Lady Russell", "F"),
        ("Aunt Petunia", "F"),
        ("Mr. Elliot", "M"),
        ("Sir Walter", "M"),
        ("Lord Voldemort", "M"),
        ("Mister Spock", "M"),
    ],
)
def test_gender_from_the_title(surface: str, gender: str) -> None:
    assert parse(surface).gender == gender


@pytest.mark.parametrize(
    ("surface", "gender"),
    [
        ("Anne Elliot", "F"),
        ("Charles Musgrove", "M"),
        ("Hermione Granger", "F"),
        # A title that says nothing about gender leaves it to the given name.
        ("Captain James T. Kirk", "M"),
        ("Doctor Elizabeth Shaw", "F"),
    ],
)
def test_gender_from_a_common_given_name(surface: str, gender: str) -> None:
    assert parse(surface).gender == gender


@pytest.mark.parametrize(
    "surface",
    ["Captain Wentworth", "Dr Watson", "Professor", "Zorvan Tal", "Elliot"],
)
def test_no_gender_without_evidence(surface: str) -> None:
    # A neutral title, an unknown given name, or a bare name that may be a surname.
    assert parse(surface).gender is None


# --- normalise --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("surface", "expected"),
    [
        ("Arthur's", "Arthur"),
        ("Arthur’s", "Arthur"),
        ("Holmes's", "Holmes"),
        ("Dr. Watson's", "Dr Watson"),
        ("Mr. Elliot", "Mr Elliot"),
        ("Mrs. Hudson", "Mrs Hudson"),
        ("O’Brien", "O'Brien"),
        ("the Professor", "Professor"),
        ("The Doctor", "Doctor"),
        ("O Mouse", "Mouse"),
        ("Oh Arthur", "Arthur"),
        ("  Anne \n  Elliot ", "Anne Elliot"),
        ("Sherlock,", "Sherlock"),
        ("Merlin!", "Merlin"),
    ],
)
def test_normalise(surface: str, expected: str) -> None:
    assert normalise(surface) == expected


@pytest.mark.parametrize(
    ("surface", "expected"),
    [("James'", "James"), ("Holmes'", "Holmes"), ("Charles’", "Charles")],
)
def test_normalise_possessive_of_a_name_ending_in_s(surface: str, expected: str) -> None:
    # "James' coat": the apostrophe goes, the s of the name stays.
    assert normalise(surface) == expected


@pytest.mark.parametrize("surface", ["Anne Elliot", "Mr Elliot", "Captain James T. Kirk", "Gwen"])
def test_normalise_is_idempotent(surface: str) -> None:
    once = normalise(surface)
    assert normalise(once) == once == surface


# --- same_given: nickname -> formal name, never the other way ---------------------------


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("Jim", "James"),
        ("Tom", "Thomas"),
        ("Bess", "Elizabeth"),
        ("Lizzy", "Elizabeth"),
        ("Gwen", "Guinevere"),
        ("Prof", "Professor"),
        ("Anne", "Anne"),
        ("anne", "Anne"),
    ],
)
def test_a_nickname_stands_for_its_formal_name(short: str, full: str) -> None:
    assert same_given(short, full)


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("James", "Jim"),
        ("Thomas", "Tom"),
        ("Professor", "Prof"),
        ("Elizabeth", "Bess"),
        ("Jim", "John"),
        ("Anne", "Anna"),
        ("Tom", "Tim"),
    ],
)
def test_a_formal_name_does_not_stand_for_a_nickname_or_another_name(short: str, full: str) -> None:
    assert not same_given(short, full)


def test_a_wife_called_by_her_husbands_name_does_not_take_his_given_name() -> None:
    assert parse("Mrs John Dashwood").given is None
    assert parse("Mrs John Dashwood").surname == "Dashwood"
    assert parse("Mrs Anne Elliot").given == "Anne"
