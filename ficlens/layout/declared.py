"""Turn what a story's notes declare into AO3-shaped metadata.

"Rating: K+" becomes General Audiences, "Warnings: swearing/angst" the tags Swearing and
Angst, "Pairing: Sherlock x John" the relationship "Sherlock/John", and "my first Merlin
fic" or "I don't own Merlin" the fandom Merlin.
"""

from __future__ import annotations

import re

from ficlens.model import Declared, Rating

# FFN (K, K+, T, M, MA), film (G, PG, PG-13, R, NC-17) and AO3's own names and letters.
_RATINGS: dict[str, Rating] = {
    "k": "General Audiences",
    "k+": "General Audiences",
    "g": "General Audiences",
    "u": "General Audiences",
    "pg": "General Audiences",
    "general": "General Audiences",
    "general audiences": "General Audiences",
    "gen": "General Audiences",
    "all ages": "General Audiences",
    "t": "Teen And Up Audiences",
    "teen": "Teen And Up Audiences",
    "teen and up": "Teen And Up Audiences",
    "teen and up audiences": "Teen And Up Audiences",
    "teens": "Teen And Up Audiences",
    "pg-13": "Teen And Up Audiences",
    "pg13": "Teen And Up Audiences",
    "12": "Teen And Up Audiences",
    "12a": "Teen And Up Audiences",
    "15": "Teen And Up Audiences",
    "m": "Mature",
    "mature": "Mature",
    "r": "Mature",
    "ma": "Explicit",
    "e": "Explicit",
    "explicit": "Explicit",
    "nc-17": "Explicit",
    "nc17": "Explicit",
    "x": "Explicit",
    "18": "Explicit",
    "18+": "Explicit",
    "adult": "Explicit",
    "not rated": "Not Rated",
    "unrated": "Not Rated",
}
_RATING_TOKEN = re.compile(
    r"^\s*(?P<rating>nc-?17|pg-?13|k\+|ma|18\+|12a|general audiences|teen and up audiences|"
    r"teen and up|not rated|all ages|[a-z]+|\d+)(?=$|[\s,.;:(!/-])",
    re.IGNORECASE,
)

# Phrases in a warnings line that name an AO3 archive warning.
_ARCHIVE_WARNINGS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"major character death|(?<!minor )character death|\bmcd\b|\bdeath\b", re.IGNORECASE
        ),
        "Major Character Death",
    ),
    (
        re.compile(r"graphic (?:depictions? of )?violence|\bgore\b", re.IGNORECASE),
        "Graphic Depictions Of Violence",
    ),
    (re.compile(r"\brape\b|non-?con|\bnoncon", re.IGNORECASE), "Rape/Non-Con"),
    (re.compile(r"underage", re.IGNORECASE), "Underage Sex"),
    (
        re.compile(r"^(?:none|no warnings?|no archive warnings apply|n/a|nothing)$", re.IGNORECASE),
        "No Archive Warnings Apply",
    ),
    (
        re.compile(r"chose not to use|choose not to warn", re.IGNORECASE),
        "Creator Chose Not To Use Archive Warnings",
    ),
]
_NO_WARNING = re.compile(r"^(?:none|no warnings?|n/a|nothing)\.?$", re.IGNORECASE)

# Slash-joined terms that are one tag, not two ("Hurt/Comfort").
_SLASH_TERMS = re.compile(
    r"hurt\s*/\s*comfort|h\s*/\s*c|rape\s*/\s*non-?con|f/[fm]|m/m", re.IGNORECASE
)
_FANDOM_IN_VOICE = re.compile(
    r"\b(?i:my|a|this|another|the|our)\s+(?i:(?:very\s+)?(?:first|second|third|new|latest|"
    r"little|short|quick|attempt at an?)\s+)*"
    r"(?P<fandom>[A-Z][\w'’:.&-]*(?:\s+(?:[A-Z0-9][\w'’:.&-]*|of|the|and|&)){0,5})\s+(?:fan\s?fic(?:tion)?|fics?|stor(?:y|ies)|one-?shot|drabble|ficlet|"
    r"AU|crossover)\b"
)
_NOT_A_FANDOM = {
    "first",
    "new",
    "fan",
    "long",
    "short",
    "little",
    "quick",
    "christmas",
    "holiday",
    "birthday",
    "halloween",
    "valentine's",
    "valentines",
    "secret",
    "santa",
    "big",
    "bang",
    "smut",
    "crack",
    "angst",
    "fluff",
    "i",
    "this",
    "my",
    "the",
    "a",
    "an",
    "ever",
    "multi-chapter",
    "multichapter",
    "chaptered",
    "au",
    "modern",
    "canon",
    "ff",
    "ffn",
}
_DISCLAIMED = re.compile(
    r"\b(?:do\s*n[o']?t|don['’]?t|do not|never)\s+(?:\w+\s+)?own\s+(?:any(?:thing)?\s+(?:of|from)"
    r"\s+)?(?P<what>[A-Z][\w'’:.&-]*(?:\s+(?:[A-Z0-9][\w'’:.&-]*|of|the|and|&)){0,5})"
    r"|(?P<subject>[A-Z][\w'’:.&-]*(?:\s+(?:[A-Z0-9][\w'’:.&-]*|of|the|and|&)){0,5})\s+"
    r"(?:and\s+(?:all\s+)?(?:its|their)\s+characters\s+)?(?:belongs?|is the property) (?:to|of)\b"
)
_NOT_OWNED = {
    "i",
    "it",
    "they",
    "everything",
    "all",
    "anything",
    "nothing",
    "the",
    "any",
    "none",
    "characters",
    "these",
    "this",
    "them",
}


def rating(value: str) -> tuple[Rating | None, str | None]:
    """AO3 rating and the rating as written, from "T", "Rated M for language", "PG-13"."""
    match = _RATING_TOKEN.match(value)
    if not match:
        return None, None
    written = match.group("rating")
    return _RATINGS.get(written.lower()), written


def split_list(value: str, *, slashes: bool = False, titles: bool = False) -> list[str]:
    """Items of a list written by hand: "a, b; c and d" (and "a/b" when ``slashes``).

    ``titles``: the items are titles, which may hold "and", "&" and "|" themselves
    ("Pride and Prejudice", "Law & Order", "Boku no Hero Academia | My Hero Academia")."""
    value = value.strip().rstrip(".")
    protected: dict[str, str] = {}

    def protect(match: re.Match[str]) -> str:
        key = f"\x00{len(protected)}\x00"
        protected[key] = match.group(0)
        return key

    value = _SLASH_TERMS.sub(protect, value)
    if titles:
        separators = r"\s*(?:[,;•]|\+%s)\s*" % ("|/" if slashes else "")
    else:
        separators = r"\s*(?:[,;|•]|\band\b|\s&\s|\+%s)\s*" % ("|/" if slashes else "")
    items = []
    for item in re.split(separators, value):
        for key, original in protected.items():
            item = item.replace(key, original)
        item = item.strip(" *_-–—")
        if item.endswith(".") and not re.search(r"(?:^|\s)[A-Z]\.$", item):
            item = item[:-1]  # a full stop, not an initial ("Hermione G.")
        if item:
            items.append(item)
    return items


def tag_name(item: str) -> str:
    """A hand-written tag in AO3's capitalisation: "swearing" -> "Swearing"."""
    item = re.sub(r"\s+", " ", item.strip())
    if item.islower():
        return " ".join(
            part if part in ("of", "and", "the", "a", "in", "to") and i else part.capitalize()
            for i, part in enumerate(item.split(" "))
        ).replace("Hurt/comfort", "Hurt/Comfort")
    return item


def relationship(item: str) -> str:
    """AO3 notation: "Sherlock x John" -> "Sherlock/John"; "Ron and Hermione" stays platonic."""
    item = re.sub(r"\s*/\s*", "/", item.strip())
    item = re.sub(r"\s+[xX×]\s+", "/", item)
    item = re.sub(r"\s*&\s*", " & ", item)
    return item


def apply_note(declared: Declared, kind: str, value: str) -> None:
    """Record what one labelled note declares."""
    value = value.strip()
    if not value:
        return
    if kind == "rating":
        declared.rating, declared.rating_as_written = rating(value)
    elif kind == "warning":
        _apply_warnings(declared, value)
    elif kind == "fandom":
        for item in split_list(value, slashes=True, titles=True):
            add_fandom(declared, re.sub(r"\s+crossover$", "", item, flags=re.IGNORECASE))
    elif kind == "pairing":
        # "none (gen)", "n/a": no pairing; commas inside "(friendship, not romance)" stay.
        for item in re.split(r"\s*[,;]\s*(?![^()]*\))|\s+and\s+(?=\S+\s*[/x&])", value.rstrip(".")):
            if re.match(r"^\s*(?:none|n/?a|no pairings?|gen)\b", item, re.IGNORECASE):
                item = re.sub(r"^\s*(?:none|n/?a|no pairings?)\s*", "", item, flags=re.I)
                if re.fullmatch(r"\(?\s*gen\s*\)?", item, re.IGNORECASE):
                    _add(declared.tags, "Gen")
                continue
            # "Merlin/Arthur (pre-slash)": the qualifier is a tag of its own.
            qualifier = re.search(r"\(([^()]+)\)\s*$", item)
            if qualifier:
                item = item[: qualifier.start()]
                _add(declared.tags, tag_name(qualifier.group(1)))
            if item.strip():
                _add(declared.relationships, relationship(item))
    elif kind == "characters":
        for item in split_list(value):
            _add(declared.characters, item)
    elif kind == "tags":
        for item in split_list(value, slashes=True):
            _add(declared.tags, tag_name(item))
    elif kind == "setting":
        declared.setting = value


def add_fandom(declared: Declared, name: str) -> None:
    """Add a fandom unless it is already there, perhaps more fully ("Merlin (BBC)")."""
    base = re.sub(r"\s*\(.*?\)\s*$", "", name).strip().lower()
    for i, existing in enumerate(declared.fandoms):
        existing_base = re.sub(r"\s*\(.*?\)\s*$", "", existing).strip().lower()
        if existing_base == base:
            if len(name) > len(existing):
                declared.fandoms[i] = name
            return
    declared.fandoms.append(name)


def _apply_warnings(declared: Declared, value: str) -> None:
    if _NO_WARNING.match(value.strip()):
        _add(declared.warnings, "No Archive Warnings Apply")
        return
    for item in split_list(value, slashes=True):
        for pattern, warning in _ARCHIVE_WARNINGS:
            if pattern.search(item):
                _add(declared.warnings, warning)
                break
        _add(declared.tags, tag_name(item))


def fandoms_in_voice(text: str) -> list[str]:
    """Fandoms an author's note names in passing: "my first Merlin fic", "I don't own Merlin"."""
    found: list[str] = []
    for match in _FANDOM_IN_VOICE.finditer(text):
        name = _trim_fandom(match.group("fandom"))
        if name:
            _add(found, name)
    for match in _DISCLAIMED.finditer(text):
        name = _trim_fandom(match.group("what") or match.group("subject") or "")
        if name:
            _add(found, name)
    return found


def _trim_fandom(name: str) -> str | None:
    words = name.split()
    while words and words[0].lower() in _NOT_A_FANDOM | _NOT_OWNED:
        words.pop(0)
    while words and words[-1].lower() in {"of", "the", "and", "&"}:
        words.pop()
    if not words:
        return None
    name = " ".join(words).rstrip(".,:;'’")
    if name.lower() in _NOT_A_FANDOM or name.lower() in _NOT_OWNED or len(name) < 2:
        return None
    return name


def _add(items: list[str], item: str) -> None:
    if item and item.lower() not in (existing.lower() for existing in items):
        items.append(item)
