"""What a name is made of: honorifics, given names, surnames, nicknames.

"Captain James T. Kirk" is the title Captain, the given name James, the initial T. and
the surname Kirk; "Jim" is a nickname of James; "Mrs Hudson" is a woman called Hudson.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources

# Honorifics and titles that stand before a name, with the gender they imply (None: any).
TITLES: dict[str, str | None] = {
    "mr": "M",
    "mister": "M",
    "sir": "M",
    "lord": "M",
    "master": "M",
    "king": "M",
    "prince": "M",
    "duke": "M",
    "earl": "M",
    "count": "M",
    "baron": "M",
    "monsieur": "M",
    "herr": "M",
    "signor": "M",
    "señor": "M",
    "father": "M",
    "brother": "M",
    "uncle": "M",
    "grandpa": "M",
    "emperor": "M",
    "sheikh": "M",
    "mrs": "F",
    "miss": "F",
    "ms": "F",
    "madam": "F",
    "madame": "F",
    "mme": "F",
    "mademoiselle": "F",
    "mlle": "F",
    "lady": "F",
    "dame": "F",
    "queen": "F",
    "princess": "F",
    "duchess": "F",
    "countess": "F",
    "baroness": "F",
    "frau": "F",
    "fräulein": "F",
    "signora": "F",
    "señora": "F",
    "mother": "F",
    "sister": "F",
    "aunt": "F",
    "auntie": "F",
    "grandma": "F",
    "empress": "F",
    "mx": None,
    "dr": None,
    "doctor": None,
    "professor": None,
    "prof": None,
    "captain": None,
    "capt": None,
    "colonel": None,
    "col": None,
    "major": None,
    "general": None,
    "admiral": None,
    "commander": None,
    "lieutenant": None,
    "lt": None,
    "sergeant": None,
    "sgt": None,
    "corporal": None,
    "private": None,
    "inspector": None,
    "detective": None,
    "di": None,
    "ds": None,
    "agent": None,
    "officer": None,
    "constable": None,
    "judge": None,
    "reverend": None,
    "rev": None,
    "bishop": None,
    "cardinal": None,
    "saint": None,
    "st": None,
    "governor": None,
    "senator": None,
    "president": None,
    "chancellor": None,
    "minister": None,
    "headmaster": None,
    "headmistress": "F",
    "nurse": None,
    "coach": None,
    "ensign": None,
    "chief": None,
    "mistress": "F",
    # Dialect spellings, as dialogue writes them: "Mistah Oakley", "Missus Jones".
    "mistah": "M",
    "mista": "M",
    "marse": "M",
    "massa": "M",
    "missus": "F",
    "missis": "F",
}
# Words that look like names at the start of a sentence or a quote but are not people.
NOT_NAMES = frozenset(
    """
    god lord heaven heavens christ jesus oh ah aha eh hey hi hello ha yes no yeah yep nope
    well okay ok alright please thanks thank sorry bye goodbye good morning evening night
    mr mrs miss ms dr sir madam lady the a an and but or so then now here there what why
    how who when where which this that these those i you he she it we they me him her us
    them my your his its our their mine yours hers ours theirs monday tuesday wednesday
    thursday friday saturday sunday january february march april may june july august
    september october november december christmas easter chapter part prologue epilogue
    english french german italian spanish british american irish scottish welsh london
    paris england france america europe heaven hell earth sunday damn bloody hell shit fuck
    dear darling love sweetheart honey mate boss nay aye alas
    indeed pray hush hark hullo hallo bah pooh pshaw ugh whoa wow gosh golly blimey crikey
    nobody somebody everybody anybody someone everyone anyone nothing something everything
    hmm hm mm um uh er erm huh ooh oops ouch jeez geez gee yikes
    """.split()
)
# Greetings said to someone: "Morning, Jude", "Goodnight, Wren". A word of these is never
# a name, and one run into a name is not part of it ("Hey Jude" is Jude).
GREETINGS = frozenset(
    """
    hey hi hiya hello hullo hallo howdy heya yo oi morning mornin afternoon evening night
    nite goodnight g'night goodbye bye farewell cheers welcome congratulations congrats
    greetings
    """.split()
)
# What a family calls its members ("Mum", "Gran", "Hyung"): a word a speaker says to or
# of a relative, not the relative's name. Inside dialogue alone it names nobody in
# particular; the narration calling someone so ("said Gran") makes it that person's name.
KINSHIP = frozenset(
    """
    mum mom mam ma mummy mommy mama mamma momma mother mater dad daddy pa papa pop pops
    father pater gran granny grandma grandmother nan nana nanna gramps grandpa grandad
    granddad grandfather gramma grampa uncle aunt auntie aunty sis sissy bro brother sister
    cousin son hyung noona nuna oppa unnie eonni appa eomma umma halmeoni harabeoji
    aniki onii-chan onii-san nii-san niisan oneesan onee-chan nee-san okaasan otousan
    abuela abuelo nonna nonno oma opa babushka
    """.split()
)

# Titles of rank belong to the full name ("Sir John Middleton"): "Sir John" is not the
# untitled "John Willoughby". Courtesy titles go with any name of the person.
RANK_TITLES = frozenset(
    "sir lady lord dame king queen prince princess duke duchess earl count countess "
    "baron baroness emperor empress".split()
)
_COURTESY = frozenset(
    "mr mrs miss ms mx mister madam madame monsieur herr frau signor signora mme mlle "
    "mademoiselle".split()
)
_NAME_TOKEN = re.compile(r"[A-Z][\w'’.-]*|[a-z]{1,3}|[A-Z]\.")  # "de", "van", "T."
_PARTICLES = frozenset({"de", "van", "von", "der", "den", "la", "le", "du", "da", "di", "o'"})


@dataclass(frozen=True)
class NameParts:
    """A personal name taken apart."""

    surface: str  # normalised: "Mr Elliot", "Anne Elliot"
    title: str | None  # lower-case title key ("mr"), None without one
    given: str | None  # "Anne"
    surname: str | None  # "Elliot"
    words: tuple[str, ...]  # the name without its title

    @property
    def gender(self) -> str | None:
        """From the title ("Mrs"), or from the given name of a full name ("Charles Smith").

        A bare single name says nothing: "Elliot" may be a given name or a surname.
        """
        if self.title and TITLES.get(self.title):
            return TITLES[self.title]
        if self.given and (self.surname or self.title):
            return given_name_gender(self.given)
        return None

    @property
    def title_only(self) -> bool:
        return self.title is not None and not self.words


def normalise(surface: str) -> str:
    """One spelling per name: curly apostrophes straight, "Mr." as "Mr", single spaces."""
    surface = surface.replace("’", "'").replace("‘", "'")
    surface = re.sub(r"'s$|(?<=s)'$", "", surface.strip())  # a possessive ending
    surface = re.sub(r"\b(Mr|Mrs|Ms|Dr|St|Mx|Prof|Capt|Col|Lt|Sgt|Rev|Mme|Mlle)\.", r"\1", surface)
    surface = re.sub(r"^(?:the|The)\s+", "", surface)
    # An interjection run into the name: "O Mouse", "Oh Arthur", "Dear Jane".
    surface = re.sub(
        r"^(?:O|Oh|Ah|My|Dear|Dearest|Poor|Good|Old|Young|Little)\s+(?=[A-Z])", "", surface
    )
    # A greeting run into the name: "Hey Jude", "Morning Jude", "Goodnight Wren".
    first, _, rest = surface.partition(" ")
    if rest[:1].isupper() and first.lower().rstrip(",!") in GREETINGS:
        surface = rest
    return " ".join(surface.split()).strip(" ,.;:!?-—")


# Abbreviated titles and their full forms: "Prof" is "Professor".
_TITLE_FORMS = {
    "prof": "professor",
    "dr": "doctor",
    "capt": "captain",
    "col": "colonel",
    "lt": "lieutenant",
    "sgt": "sergeant",
    "rev": "reverend",
    "st": "saint",
    "mister": "mr",
    "mistah": "mr",
    "mista": "mr",
    "marse": "master",
    "massa": "master",
    "missus": "mrs",
    "missis": "mrs",
    "mme": "madame",
    "mlle": "mademoiselle",
}


def parse(surface: str) -> NameParts:
    surface = normalise(surface)
    words = surface.split()
    title = None
    while words and words[0].lower().rstrip(".") in TITLES and (len(words) > 1 or not title):
        title = title or _TITLE_FORMS.get(
            words[0].lower().rstrip("."), words[0].lower().rstrip(".")
        )
        words = words[1:]
        if title and words and words[0].lower().rstrip(".") in TITLES:
            continue
        break
    given = surname = None
    names = [w for w in words if not re.fullmatch(r"[A-Z]\.?", w)]  # drop initials
    if len(names) == 1:
        if title in ("miss", "master", "mademoiselle", "mlle") and given_name_gender(names[0]):
            given = names[0]  # "Miss Marianne", "Mr Edward"
        elif title in _COURTESY:
            surname = names[0]  # "Mr Elliot"
        elif title in (
            "sir",
            "lady",
            "dame",
            "lord",
            "king",
            "queen",
            "prince",
            "princess",
            "father",
            "brother",
            "sister",
            "uncle",
            "aunt",
            "saint",
            "st",
        ):
            given = names[0]  # "Sir Walter", "Aunt Petunia"
        elif title:
            surname = names[0]  # "Captain Wentworth", "Professor McGonagall"
        else:
            given = names[0]  # a bare name: decided by clustering
    elif len(names) >= 2:
        given = names[0]
        surname = names[-1]
        if len(names) >= 3 and names[-2].lower() in _PARTICLES:
            surname = f"{names[-2]} {names[-1]}"
        if title == "mrs" and given_name_gender(given) == "M":
            given = None  # "Mrs John Dashwood": John is her husband
    return NameParts(surface, title, given, surname, tuple(words))


@functools.cache
def nicknames() -> dict[str, frozenset[str]]:
    """Nickname -> the formal names it can stand for (package data, lower-case)."""
    raw = json.loads(
        resources.files("ficlens.data").joinpath("nicknames.json").read_text(encoding="utf-8")
    )
    table: dict[str, set[str]] = {}
    for formal, nicks in raw.items():
        for nick in nicks:
            table.setdefault(nick.lower(), set()).add(formal.lower())
    return {nick: frozenset(formals) for nick, formals in table.items()}


def same_given(short: str, full: str) -> bool:
    """Can the given name ``short`` stand for ``full`` ("Jim" for "James")?

    Only a nickname stands for its formal name, not the other way round: in a text with
    "Sir Thomas" and "Tom Bertram", the father is not the son.
    """
    short, full = short.lower(), full.lower()
    return short == full or full in nicknames().get(short, ())


@functools.cache
def _given_names() -> dict[str, str]:
    raw = json.loads(
        resources.files("ficlens.data").joinpath("given_names.json").read_text(encoding="utf-8")
    )
    return {name.lower(): gender for gender, names in raw.items() for name in names}


def given_name_gender(name: str) -> str | None:
    """ "M" or "F" for a common given name (package data), else None."""
    return _given_names().get(name.lower())
