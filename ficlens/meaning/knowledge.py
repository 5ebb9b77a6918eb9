"""The fandom knowledge base: AO3 fandoms, their characters and their distinctive terms.

The bundled base is a set of JSON files in ``ficlens/data/fandoms/``; users add their own
files in the same format (a parameter, ``FICLENS_KB`` with paths separated by
``os.pathsep``, or ``ficlens analyze --kb FILE``). A file is one object::

    {"fandoms": [{"name": "Sherlock (TV)", "aliases": ["BBC Sherlock"], "medium": "tv",
                  "characters": [{"name": "John Watson", "aliases": ["Johnny"]}],
                  "terms": ["221B", "Baker Street"]}]}

``name`` is the canonical AO3 fandom name; ``subfandoms`` are AO3 fandoms under it (kept
when a story declares them); ``ambiguous`` lists aliases that other fandoms may share
("ST": Star Trek or Stranger Things); ``name_order: "family-first"`` says character names
are written family name first ("Uzumaki Naruto"). A user fandom with the name of a bundled
one replaces it. This module only loads and indexes; ``fandoms.py`` reads stories.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal

import msgspec

from ficlens.errors import InputError
from ficlens.nlp.names import parse

KB_ENV = "FICLENS_KB"

Medium = Literal[
    "film",
    "tv",
    "books",
    "anime-manga",
    "games",
    "comics",
    "cartoons",
    "rpf",  # real-person fiction: bands, sports, streamers
    "web",
    "theatre",
    "multimedia",
]
NameOrder = Literal["given-first", "family-first"]


class CharacterEntry(msgspec.Struct, forbid_unknown_fields=True):
    name: str  # AO3 canonical: "John Watson", "Thor (Marvel)", "Kim Taehyung | V"
    aliases: list[str] = []


class SubfandomEntry(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    aliases: list[str] = []


class FandomEntry(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    medium: Medium
    aliases: list[str] = []
    ambiguous: list[str] = []  # aliases other fandoms may share
    subfandoms: list[SubfandomEntry] = []
    name_order: NameOrder = "given-first"
    characters: list[CharacterEntry] = []
    terms: list[str] = []


class KnowledgeFile(msgspec.Struct, forbid_unknown_fields=True):
    fandoms: list[FandomEntry]


@dataclass(frozen=True)
class KnownCharacter:
    """A fandom character with the names a story may call them by."""

    canonical: str
    full_names: tuple[str, ...]  # several words: "John Watson", "Watson John" never
    aliases: tuple[str, ...]  # written in the file: "Bones", "Potter", "the Doctor"
    given: str | None  # derived from the canonical name: "John"
    surname: str | None  # "Watson"
    # Lower-case given names and surnames of all the full names: a story's "Gabriel Oak"
    # is not "Samuel Oak", whatever their surname.
    givens: frozenset[str] = frozenset()
    surnames: frozenset[str] = frozenset()


@dataclass(frozen=True)
class KnownFandom:
    name: str
    medium: str
    aliases: tuple[str, ...]
    ambiguous: frozenset[str]  # normalised aliases that may name other fandoms too
    subfandoms: tuple[tuple[str, tuple[str, ...]], ...]
    characters: tuple[KnownCharacter, ...]
    terms: tuple[str, ...]
    rank: int  # order of loading: bundled files list the largest fandoms first
    origin: str  # the file it came from


@dataclass(eq=False)  # compared and hashed by identity: stages cache indexes per base
class KnowledgeBase:
    fandoms: list[KnownFandom]
    # normalised fandom name or alias -> (fandom index, the AO3 name it stands for)
    _names: dict[str, list[tuple[int, str]]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for index, fandom in enumerate(self.fandoms):
            self._add_name(fandom.name, index, fandom.name)
            for alias in fandom.aliases:
                self._add_name(alias, index, fandom.name)
            for sub_name, sub_aliases in fandom.subfandoms:
                for alias in (sub_name, *sub_aliases):
                    self._add_name(alias, index, sub_name)

    def _add_name(self, written: str, index: int, ao3_name: str) -> None:
        entries = self._names.setdefault(fandom_key(written), [])
        if (index, ao3_name) not in entries:
            entries.append((index, ao3_name))

    def lookup(self, written: str) -> list[tuple[int, str]]:
        """Fandoms (indexes) a declared name can stand for, with the AO3 name it maps to.

        "Sherlock (BBC)" gives Sherlock (TV); a name the base does not know exactly is
        tried again without its parenthesised qualifier ("Merlin (BBC series)" -> "Merlin").
        """
        key = fandom_key(written)
        entries = self._names.get(key)
        if not entries:
            bare = fandom_key(re.sub(r"\s*[(\[].*?[)\]]\s*$", "", written))
            entries = self._names.get(bare, []) if bare != key else []
        return list(entries)


def fandom_key(name: str) -> str:
    """One spelling per fandom name: case, accents, punctuation, "&"/"and", "the"."""
    name = unicodedata.normalize("NFKD", name)
    name = "".join(c for c in name if not unicodedata.combining(c)).lower()
    name = name.replace("&", " and ").replace("’", "'")
    name = re.sub(r"[^\w']+", " ", name)
    words = [w for w in name.split() if w not in ("the", "a")]
    return " ".join(words)


def _strip_canonical(name: str) -> list[str]:
    """The plain names in an AO3 character name: 'James "Bucky" Barnes' gives
    "James Barnes" and "Bucky"; "Kim Taehyung | V" gives both; "Thor (Marvel)" "Thor"."""
    name = re.sub(r"\s*\([^)]*\)\s*$", "", name).strip()
    found: list[str] = []
    for part in name.split("|"):
        part = part.strip()
        nick = re.search(r"[\"“]([^\"”]+)[\"”]", part)
        if nick:
            found.append(nick.group(1).strip())
            part = " ".join((part[: nick.start()] + part[nick.end() :]).split())
        if part:
            found.insert(0, part)
    return found


def _known_character(entry: CharacterEntry, order: NameOrder) -> KnownCharacter:
    plain = _strip_canonical(entry.name)
    full_names: list[str] = []
    aliases: list[str] = []
    given = surname = None
    for index, name in enumerate(plain):
        words = [w for w in name.split() if not re.fullmatch(r"[A-Z]\.?", w)]
        if len(words) >= 2:
            full_names.append(name)
            if order == "family-first":
                full_names.append(" ".join([*words[1:], words[0]]))  # "Naruto Uzumaki"
            if index == 0:
                if order == "family-first":
                    given, surname = words[-1], words[0]
                else:  # "Professor Oak" has a title, not a given name
                    parts = parse(name)
                    given, surname = parts.given, parts.surname
        elif words:
            aliases.append(words[0])
    for alias in entry.aliases:
        alias = alias.strip()
        if alias and len(alias.split()) >= 2 and not alias.lower().startswith("the "):
            full_names.append(alias)
        elif alias:
            aliases.append(alias)
    givens: set[str] = set()
    surnames: set[str] = set()
    for full in full_names:
        parts = parse(full)
        if parts.given and parts.surname:
            givens.add(parts.given.lower())
            surnames.add(parts.surname.lower())
    return KnownCharacter(
        canonical=entry.name,
        full_names=tuple(dict.fromkeys(full_names)),
        aliases=tuple(dict.fromkeys(aliases)),
        given=given,
        surname=surname,
        givens=frozenset(givens),
        surnames=frozenset(surnames),
    )


def _problem(fandom: FandomEntry, where: str) -> str | None:
    if not fandom.name.strip():
        return f"{where}: a fandom with an empty name"
    for character in fandom.characters:
        if not character.name.strip():
            return f"{where} ({fandom.name}): a character with an empty name"
    if any(not t.strip() for t in fandom.terms):
        return f"{where} ({fandom.name}): an empty term"
    return None


def read_file(path: str | Path, *, rank_start: int = 0) -> list[KnownFandom]:
    """The fandoms of one knowledge-base file; ``InputError`` names the file and the fault."""
    label = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise InputError(label, f"cannot read knowledge base: {error.strerror or error}") from None
    return _parse(data, label, rank_start)


def _parse(data: bytes, label: str, rank_start: int) -> list[KnownFandom]:
    try:
        parsed = msgspec.json.decode(data, type=KnowledgeFile)
    except msgspec.ValidationError as error:
        raise InputError(label, f"not a ficlens knowledge base: {error}") from None
    except msgspec.DecodeError as error:
        raise InputError(label, f"knowledge base is not valid JSON: {error}") from None
    fandoms: list[KnownFandom] = []
    for i, entry in enumerate(parsed.fandoms):
        problem = _problem(entry, f"$.fandoms[{i}]")
        if problem:
            raise InputError(label, problem)
        fandoms.append(
            KnownFandom(
                name=entry.name.strip(),
                medium=entry.medium,
                aliases=tuple(a for a in entry.aliases if a.strip()),
                ambiguous=frozenset(fandom_key(a) for a in entry.ambiguous),
                subfandoms=tuple((s.name, tuple(s.aliases)) for s in entry.subfandoms),
                characters=tuple(_known_character(c, entry.name_order) for c in entry.characters),
                terms=tuple(t.strip() for t in entry.terms),
                rank=rank_start + i,
                origin=label,
            )
        )
    return fandoms


@functools.cache
def _bundled() -> tuple[KnownFandom, ...]:
    folder = resources.files("ficlens.data").joinpath("fandoms")
    fandoms: list[KnownFandom] = []
    for item in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if item.name.endswith(".json"):
            label = f"ficlens/data/fandoms/{item.name}"
            fandoms.extend(_parse(item.read_bytes(), label, len(fandoms)))
    return tuple(fandoms)


def env_paths() -> list[str]:
    """The user's knowledge-base files named in ``FICLENS_KB``."""
    return [p for p in os.environ.get(KB_ENV, "").split(os.pathsep) if p.strip()]


def load_knowledge_base(paths: Iterable[str | Path] = (), *, use_env: bool = True) -> KnowledgeBase:
    """The bundled base plus the user's files (``paths``, then ``FICLENS_KB``).

    A user fandom with the name of one already loaded replaces it.
    """
    extra = [str(p) for p in paths] + (env_paths() if use_env else [])
    return _load(tuple(extra), tuple(_mtime(p) for p in extra))


def _mtime(path: str) -> float | None:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return None


def use_knowledge_files(paths: Iterable[str | Path] = ()) -> Callable[[], None]:
    """Add ``paths`` to FICLENS_KB for this process (``ficlens analyze --kb``), after
    checking every user file named there; returns the function that undoes it."""
    before = os.environ.get(KB_ENV)
    extra = [str(p) for p in paths]
    load_knowledge_base(extra)  # raises InputError naming a bad file, before any change
    if extra:
        os.environ[KB_ENV] = os.pathsep.join([*extra, *env_paths()])

    def restore() -> None:
        if before is None:
            os.environ.pop(KB_ENV, None)
        else:
            os.environ[KB_ENV] = before

    return restore


@functools.lru_cache(maxsize=16)
def _load(paths: Sequence[str], _mtimes: Sequence[float | None]) -> KnowledgeBase:
    fandoms = list(_bundled())
    for path in paths:
        for fandom in read_file(path, rank_start=len(fandoms)):
            fandoms = [f for f in fandoms if f.name != fandom.name]
            fandoms.append(fandom)
    return KnowledgeBase(fandoms)
