"""Tell the author's voice from the story's: which paragraphs are notes, and of what kind.

Two kinds of evidence. A label ("A/N:", "Summary:", "Warnings:", "Disclaimer -", "Rated T",
"Beta'd by ...") names the kind outright. Without a label, a paragraph in front or end
matter is a note when it talks about the fic rather than telling it: "my first Merlin fic",
"let me know what you think", "thanks for reading", "I don't own ...". Each cue is weak on
its own, so an unlabelled paragraph needs several before it is taken out of the story.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ficlens.model import NoteKind

# Labels as written (lower-case, straight apostrophes) for each kind of note.
_PHRASES: dict[NoteKind, tuple[str, ...]] = {
    "author-note": (
        "a/n",
        "a.n.",
        "a/n's",
        "author's notes",
        "author's note",
        "authors notes",
        "authors note",
        "author notes",
        "author note",
        "notes",
        "note",
        "n.b.",
        "p.s.",
        "ps",
        "chapter notes",
        "chapter note",
        "word count",
        "wordcount",
        "words",
        "prompt",
        "status",
        "series",
        "written for",
    ),
    "summary": ("summary", "full summary", "blurb", "chapter summary"),
    "warning": (
        "warnings",
        "warning",
        "content warnings",
        "content warning",
        "cw",
        "tw",
        "trigger warnings",
        "trigger warning",
        "archive warnings",
        "archive warning",
    ),
    "disclaimer": ("disclaimers", "disclaimer"),
    "rating": ("rating", "rated"),
    "fandom": ("fandoms", "fandom"),
    "pairing": ("pairings", "pairing", "relationships", "relationship", "ships", "ship"),
    "characters": ("characters", "character"),
    "tags": ("additional tags", "tags", "genres", "genre", "categories", "category"),
    "beta": (
        "beta'd by",
        "beta’d by",
        "betaed by",
        "beta-ed by",
        "beta read by",
        "beta reader",
        "betas",
        "beta",
    ),
    "dedication": ("dedications", "dedication", "dedicated to"),
    "title": ("story title", "title"),
    "byline": ("written by", "authors", "author", "by"),
    "setting": ("setting", "timeline", "spoilers", "spoiler"),
}
_LABEL_KINDS = {phrase: kind for kind, phrases in _PHRASES.items() for phrase in phrases}
_LABEL_ALTERNATION = "|".join(
    re.escape(label) for label in sorted(_LABEL_KINDS, key=len, reverse=True)
)
# "Label: value", "Label - value", "**Label:** value", "(A/N: value)", "[A/N value]"
_LABELLED = re.compile(
    rf"^[\s(\[*_~]*(?P<label>{_LABEL_ALTERNATION})[*_]*\s*(?:[:=]|\s[-–—]|(?<=[\]])|$)[*_]*\s*"
    r"(?P<value>.*)",
    re.IGNORECASE | re.DOTALL,
)
# Labels that may stand without a colon: "A/N so this happened", "Beta'd by Sam",
# "Rated T for language", "Dedicated to my sister", "by Jane".
_LOOSE = re.compile(
    r"^[\s(\[*_~]*(?P<label>A/N|A\.N\.|Beta'?’?d by|Betaed by|Rated|Dedicated to|by)\s+"
    r"(?P<value>\S.*)",
    re.DOTALL,
)
# "AN" and "Author" need their colon (otherwise "An hour later" would be a note).
_NEEDS_COLON = {
    "an",
    "author",
    "authors",
    "words",
    "status",
    "series",
    "notes",
    "note",
    "set",
    "character",
    "characters",
    "ship",
    "ps",
    "by",
    "written by",
    "title",
    "prompt",
    "setting",
    "spoiler",
    "spoilers",
    "genre",
    "genres",
    "category",
    "categories",
    "tags",
    "rating",
    "fandom",
    "fandoms",
    "timeline",
    "beta",
    "betas",
    "relationship",
    "relationships",
    "summary",
    "blurb",
    "warning",
    "warnings",
    "cw",
    "tw",
    "disclaimer",
    "dedication",
    "pairing",
    "pairings",
}
_AN_COLON = re.compile(r"^[\s(\[*_~]*AN\s*[:\-–—]\s*(?P<value>.*)", re.DOTALL)

_IN_WHICH = re.compile(r"^[\s(\[*_~]*In which\b", re.IGNORECASE)
_SET_WHEN = re.compile(
    r"^\s*\(?\s*(?:set|takes place|taking place|occurs)\s+(?:after|before|during|in|at|"
    r"between|post|pre|sometime|some time|right|just|around|immediately|somewhere)\b"
    r"|^\s*\(\s*(?:post|pre|mid)[-\s]\w",
    re.IGNORECASE,
)
_DISCLAIMER = re.compile(
    r"\b(?:I|we)\s+(?:do\s*n[o']?t|don['’]?t|do not|did not|didn['’]?t|will never|never will)"
    r"\s+(?:\w+\s+)?own\b|\bown nothing\b|\bnothing is mine\b"
    r"|\b(?:are|is|['’]re|['’]s)\s+(?:\w+\s+)?not mine\b|\bno copyright"
    r"|\bno infringement\b|\bno profit\b|\bmaking no money\b|\bno money is being made\b"
    r"|\bnot making (?:any )?money\b|\bbelongs? to (?:the )?(?:BBC|ITV|CBS|CW|Marvel|DC|"
    r"Disney|Paramount|NBC|Fox|HBO|Netflix|Warner|J\.?\s?K\.?\s?Rowling|Tolkien|Moffat|Gatiss|"
    r"Doyle|Pratchett|Gaiman)|\brespective owners\b|\ball rights\b",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^\s*by\s+(?P<name>[^\s.,;:!?].{0,60})$", re.IGNORECASE)
_BY_ALONE = re.compile(r"^\s*by\s*$", re.IGNORECASE)

# Cues that a paragraph talks about the fic. Strong cues count 2, weak ones 1.
_STRONG_CUES = re.compile(
    r"\breviews\b|\breview(?:ing|ers?|ed)\b|\b(?:please|pls|do) review\b|\breview\s*(?:!|please)"
    r"|\bR\s*&\s*R\b|\blet me know\b|\bkudos\b|\bfan\s?fics?\b"
    r"|\bfanfiction\b|\bfics?\b|\bone-?shot\b|\bdrabbles?\b|\bthanks? (?:you )?(?:so much )?"
    r"for reading\b|\bbe gentle\b|\bconstructive criticism\b|\bconcrit\b|\bflames?\b(?= "
    r"(?:will|are|aren't))|\bbeta(?:'d|’d|ed)?\b|\bhope you (?:all |guys )?(?:enjoy|like|liked|"
    r"enjoyed)|\bwriter['’]s block\b|\bsorry for the (?:wait|delay|long wait)\b"
    r"|\b(?:next|this|last|previous|new) chapter\b|\bfollows?\b.{0,40}\bfav(?:ou?rite)?s\b"
    r"|\bcomments? (?:are|is) (?:love|welcome|appreciated)|\bplease comment\b|\bmy muse\b"
    r"|\b(?:this|my) fic\b|\bfandom\b|\bunbeta(?:'d|’d|ed)\b",
    re.IGNORECASE,
)
# Abbreviations that are cues only in capitals ("au revoir" is not an AU).
_STRONG_CASED = re.compile(r"\bOOC\b|\bAU\b|\bA/N\b|\bWIP\b|\bOTP\b|\bPWP\b")
_WEAK_CUES = re.compile(
    r"\benjoy\b|\bthanks?\b|\bthank you\b|\bstory\b|\bchapter\b|\bwrit(?:e|ing|ten)\b"
    r"|\breaders?\b|\bcanon\b|\bcharacters?\b|\bseries\b|\bseason\b|\bepisode\b|\binspired\b"
    r"|\bfeedback\b|\bcomments?\b|\bspoilers?\b|\bupdat(?:e|es|ed|ing)\b|\bprompt(?:ed)?\b"
    r"|\bwritten for\b|:\)|:D|;\)|<3|\bxx+\b|\blol\b",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I’m|I've|I’ve|my|me|we|our)\b")
_QUOTE_MARK = re.compile(r"[\"“”]")


@dataclass(frozen=True)
class NoteGuess:
    kind: NoteKind
    label: str | None  # the label as written, None for unlabelled notes
    value: str  # the paragraph without its label
    label_only: bool = False  # "Author's Note:" alone: the note's body is the next paragraph


def labelled_note(paragraph: str) -> NoteGuess | None:
    """The note a paragraph's label declares, or None when it has no label."""
    match = _LABELLED.match(paragraph)
    if match:
        label = match.group("label")
        key = _normal_label(label)
        kind = _LABEL_KINDS.get(key)
        separator = paragraph[match.end("label") : match.start("value")]
        has_colon = any(ch in separator for ch in ":=-–—]") or paragraph.lstrip()[:1] in "(["
        if kind and (has_colon or key not in _NEEDS_COLON):
            value = _strip_wrapping(match.group("value"))
            if kind == "byline" and not has_colon:
                kind = None  # "by" without a colon is handled by the byline rule
            elif kind == "rating" and key == "rated" and not value:
                kind = None
            if kind:
                return NoteGuess(kind, label, value, label_only=not value)
    if match := _AN_COLON.match(paragraph):
        value = _strip_wrapping(match.group("value"))
        return NoteGuess("author-note", "AN", value, label_only=not value)
    if match := _LOOSE.match(paragraph):
        label = match.group("label")
        key = _normal_label(label)
        if key == "by":
            return None
        kind = "author-note" if key in ("a/n", "a.n.") else _LABEL_KINDS.get(key)
        if key == "rated":
            kind = "rating"
        if kind:
            return NoteGuess(kind, label, _strip_wrapping(match.group("value")))
    return None


def _normal_label(label: str) -> str:
    return re.sub(r"\s+", " ", label.lower().replace("’", "'")).strip()


def _strip_wrapping(value: str) -> str:
    """Drop the closing bracket of "(A/N: ...)" and the emphasis of "**Summary:** ..."."""
    value = value.strip()
    if value.endswith((")", "]")) and value.count("(") < value.count(")") + (
        1 if value.endswith("]") else 0
    ):
        value = value[:-1].rstrip()
    return value.strip("*_ ").strip()


def author_voice_score(paragraph: str) -> int:
    """How strongly an unlabelled paragraph sounds like its author talking about the fic.

    Only fan-fiction talk counts as strong evidence ("reviews", "this chapter", "R&R",
    "be gentle"); words such as "story" or "thanks" merely add to it. Without strong
    evidence a paragraph is story, however personal it sounds.
    """
    # Words inside quotation marks belong to characters, not to the author.
    narration = _outside_quotes(paragraph)
    strong = len(_STRONG_CUES.findall(narration)) + len(_STRONG_CASED.findall(narration))
    if not strong:
        return 0
    score = 2 * strong + len(_WEAK_CUES.findall(narration))
    if _FIRST_PERSON.search(narration) or re.search(
        r"\b(?:enjoy|please)\b", narration, re.IGNORECASE
    ):
        score += 1
    else:
        score -= 1
    if _QUOTE_MARK.search(paragraph):
        score -= 2  # a paragraph with dialogue is far more likely story than note
    words = len(paragraph.split())
    if words > 120:
        score -= 2 + words // 150  # notes are short; long paragraphs need much more evidence
    return score


def _outside_quotes(paragraph: str) -> str:
    return re.sub(r"[\"“][^\"“”]*(?:[\"”]|$)", " ", paragraph)


def unlabelled_note(paragraph: str, *, front: bool, threshold: int = 3) -> NoteGuess | None:
    """A note without a label: a disclaimer, summary, setting line or the author's voice.

    ``front`` is True in front matter (before the story), where summaries and settings
    are written; everywhere else only disclaimers and the author's voice count.
    """
    text = paragraph.strip()
    words = len(text.split())
    if text[:1] in "\"“'‘—–«":
        return None  # a paragraph that opens with dialogue is story
    if _DISCLAIMER.search(text) and words <= 80:
        return NoteGuess("disclaimer", None, text)
    if front and _IN_WHICH.match(text) and words <= 80:
        return NoteGuess("summary", None, text)
    if front and _SET_WHEN.match(text) and words <= 30:
        return NoteGuess("setting", None, _strip_wrapping(text.lstrip("(")))
    if front and text.startswith("(") and text.endswith(")") and words <= 30:
        return NoteGuess("author-note", None, text[1:-1].strip())
    if author_voice_score(text) >= threshold:
        return NoteGuess("author-note", None, text)
    return None


def byline(paragraph: str) -> str | None:
    """The author named by a "by Jane" line, or None."""
    match = _BYLINE.match(paragraph.strip())
    if not match:
        return None
    name = match.group("name").strip()
    words = name.split()
    # "by Jane Doe" or a user name ("by quietlyconsulting"), not "by the time he came".
    if len(words) > 6 or (name[:1].islower() and len(words) > 1) or name.lower() in _MINOR:
        return None
    return name


def is_bare_by(paragraph: str) -> bool:
    return bool(_BY_ALONE.match(paragraph))


_TITLE_WORD = re.compile(r"^[\"“'‘(]?[A-Z0-9]")
_MINOR = {
    "a",
    "an",
    "and",
    "as",
    "at",
    "but",
    "by",
    "for",
    "from",
    "in",
    "into",
    "of",
    "on",
    "or",
    "the",
    "to",
    "with",
    "vs",
    "vs.",
    "nor",
    "so",
    "yet",
    "is",
    "are",
    "be",
}


def looks_like_title(paragraph: str) -> bool:
    """A short Title Case line with no sentence punctuation: "The Long Way Home"."""
    text = paragraph.strip()
    if not text or "\n" in text or "\r" in text or len(text) > 80:
        return False
    if text[-1] in ".,;:" and not text.endswith("..."):
        return False
    if _QUOTE_MARK.search(text[1:-1]):
        return False
    words = text.split()
    if len(words) > 12:
        return False
    capitalised = sum(
        1
        for i, word in enumerate(words)
        if _TITLE_WORD.match(word) or (i and word.lower() in _MINOR)
    )
    return capitalised == len(words)
