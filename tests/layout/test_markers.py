import pytest

from ficlens.layout.markers import is_scene_break, parse_heading


@pytest.mark.parametrize(
    "line",
    [
        "* * *",
        "***",
        "~~~",
        "-x-x-",
        "oOoOo",
        "xXx",
        "---",
        "~*~*~*~",
        "=====",
        "- - -",
        "°º¤ø,¸¸,ø¤º°",
        "[scene break]",
        "~ Line Break ~",
        "  ***  ",
    ],
)
def test_scene_breaks(line: str) -> None:
    assert is_scene_break(line)


@pytest.mark.parametrize(
    "line",
    ["...", "!!!", "Oh.", "x", "--", "He left.", "XOXO", "?!", "I"],
)
def test_not_scene_breaks(line: str) -> None:
    assert not is_scene_break(line)


@pytest.mark.parametrize(
    ("line", "title", "label"),
    [
        ("Chapter 3", "Chapter 3", "chapter"),
        ("Chapter Three: The Long Night", "Chapter Three: The Long Night", "chapter"),
        ("CHAPTER XII.", "CHAPTER XII.", "chapter"),
        ("~Chapter 3~", "Chapter 3", "chapter"),
        ("**Chapter 4 - Rain**", "Chapter 4 - Rain", "chapter"),
        ("Chapter Twenty-One", "Chapter Twenty-One", "chapter"),
        ("Ch. 5", "Ch. 5", "chapter"),
        ("Part II", "Part II", "part"),
        ("Prologue", "Prologue", "prologue"),
        ("Epilogue: Spring", "Epilogue: Spring", "epilogue"),
        ("1.", "1.", "number"),
        ("II", "II", "number"),
        ("12: Homecoming", "12: Homecoming", "number"),
        ("# Homecoming", "Homecoming", "markdown"),
    ],
)
def test_headings(line: str, title: str, label: str) -> None:
    heading = parse_heading(line)
    assert heading is not None
    assert (heading.title, heading.label) == (title, label)


@pytest.mark.parametrize(
    "line",
    [
        "Chapter one of his life was over, and he was glad of it, truly glad.",
        "I Love You.",
        "I",
        "Part of him wanted to stay.",
        "Prologues are for people with patience, he decided.",
        "3 o'clock came and went.",
    ],
)
def test_narration_is_not_a_heading(line: str) -> None:
    assert parse_heading(line) is None
