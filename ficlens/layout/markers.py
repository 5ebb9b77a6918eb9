"""Recognise the two structural markers of a story: chapter headings and scene breaks."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_NUMBER_WORDS = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
    "thirtieth",
    "last",
    "final",
]
_WORD_NUMBER = r"(?:{})(?:[\s-](?:{}))?".format("|".join(_NUMBER_WORDS), "|".join(_NUMBER_WORDS))
_ROMAN = r"[IVXLCDM]{1,8}"
_NUMBER = rf"(?:\d{{1,4}}|{_ROMAN}|{_WORD_NUMBER})"

# Decoration around headings: "~Chapter 3~", "**Chapter 1**", "# Part II", "=== 4 ===".
_DECOR_LEFT = r"[\s~*=#_<>\[\](){}|•·-]*"
_DECOR_RIGHT = r"[\s~*=#_<>\[\](){}|•·-]*"
_TITLE_SEP = r"\s*(?:[:.\-–—~|]+\s*|\s+(?=[\"“'‘(A-Za-z]))"

_NUMBERED = re.compile(
    rf"^{_DECOR_LEFT}(?P<label>chapter|chap\.?|ch\.?|part|book|volume|vol\.?|act|section)"
    rf"\s*(?P<number>{_NUMBER})\b\.?(?:{_TITLE_SEP}(?P<title>.+?))?{_DECOR_RIGHT}$",
    re.IGNORECASE,
)
_NAMED = re.compile(
    rf"^{_DECOR_LEFT}(?P<label>prologue|epilogue|interlude|coda|afterword|foreword)\b\.?"
    rf"(?:{_TITLE_SEP}(?P<title>.+?))?{_DECOR_RIGHT}$",
    re.IGNORECASE,
)
# "1.", "II", "12: The Long Night", "# Homecoming"
_BARE_NUMBER = re.compile(
    rf"^{_DECOR_LEFT}(?P<number>\d{{1,3}}|{_ROMAN})[.:)]?"
    rf"(?:(?<=[.:)])\s+(?P<title>[A-Z\"“'‘].{{0,60}}?)"
    rf"|\s*[\-–—]\s*(?P<title2>[A-Z\"“'‘].{{0,60}}?))?{_DECOR_RIGHT}$"
)
_MARKDOWN = re.compile(r"^#{1,6}\s+(?P<title>\S.*?)\s*#*\s*$")

_SCENE_WORDS = re.compile(
    r"^[\W_]*(?:scene\s*break|line\s*break|page\s*break|break|time\s*skip|pov\s*change|"
    r"flashback|end\s*flashback)[\W_]*$",
    re.IGNORECASE,
)
_XO_MIXED = re.compile(r"xX|Xx|oO|Oo")
_ONLY_PUNCTUATION = re.compile(r"[.?!…\"'“”‘’]+")


@dataclass(frozen=True)
class Heading:
    title: str | None  # the heading as a reader would name it: "Chapter Two: The Long Night"
    label: str  # "chapter", "part", "prologue", "number", "markdown"


def is_scene_break(line: str) -> bool:
    """True for a paragraph that only separates scenes.

    Recognises lines of symbols ("* * *", "~~~", "---", "~*~*~", "°º¤ø,¸¸,ø¤º°"), the x/o
    families ("-x-x-", "oOoOo", "xXx", "xxx") and spelled-out breaks ("[scene break]").
    """
    line = line.strip()
    if not line or len(line) > 60 or "\n" in line or "\r" in line:
        return False
    if _SCENE_WORDS.match(line):
        return True
    compact = "".join(line.split())
    symbols = sum(1 for ch in compact if unicodedata.category(ch)[0] in "PS")
    letters = [ch for ch in compact if ch.isalnum()]
    if not letters:
        # "..." or "?!" alone are beats of dialogue or narration, not breaks.
        return symbols >= 3 and not _ONLY_PUNCTUATION.fullmatch(compact)
    if all(ch in "xXoO0" for ch in letters):
        if symbols and len(letters) >= 2:
            return True
        return len(letters) >= 3 and (
            bool(_XO_MIXED.search(compact)) or len(set(letters)) == 1 or "0" in letters
        )
    # Decorative runs with a few letter-like glyphs ("°º¤ø,¸¸,ø¤º°") but no real word.
    ascii_alnum = any(ch.isascii() for ch in letters)
    return not ascii_alnum and symbols >= 3 and symbols >= len(compact) / 2


def parse_heading(line: str) -> Heading | None:
    """A Heading when the paragraph is a chapter heading, else None."""
    line = line.strip()
    if not line or len(line) > 90 or "\n" in line or "\r" in line:
        return None
    if match := _NUMBERED.match(line):
        title = match.group("title")
        if title and _looks_like_sentence(title):
            return None
        label = match.group("label").lower().rstrip(".")
        return Heading(
            _clean(line), {"chap": "chapter", "ch": "chapter", "vol": "volume"}.get(label, label)
        )
    if match := _NAMED.match(line):
        title = match.group("title")
        if title and _looks_like_sentence(title):
            return None
        return Heading(_clean(line), match.group("label").lower())
    if match := _MARKDOWN.match(line):
        return Heading(_clean(match.group("title")), "markdown")
    if match := _BARE_NUMBER.match(line):
        title = match.group("title") or match.group("title2")
        if title and (_looks_like_sentence(title) or len(title.split()) > 8):
            return None
        if not title and match.group("number") == "I" and line.strip() == "I":
            return None  # the pronoun, alone on a line ("I" as a one-word paragraph)
        return Heading(_clean(line), "number")
    return None


def _looks_like_sentence(title: str) -> bool:
    """A heading's title is a phrase; narration that starts with "Chapter" is a sentence."""
    words = title.split()
    return len(words) > 12 or (len(words) > 5 and title.rstrip()[-1:] in ".,;")


def _clean(line: str) -> str:
    """Drop decoration around a heading: "~*Chapter 3*~" -> "Chapter 3"."""
    stripped = re.sub(r"^[\s~*=#_<>\[\]{}|•·-]+|[\s~*=#_<>\[\]{}|•·-]+$", "", line)
    return stripped or line.strip()
