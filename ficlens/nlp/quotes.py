"""Find every quotation in the story's paragraphs.

The detector reads a paragraph at a time, left to right, keeping a small stack of open
quotations. What each mark means depends on its glyph (“ opens, ” closes), on what flanks
it (a straight " after a space and before a letter opens) and on the stack (inside a
double quotation the next " closes it). Single quotation marks double as apostrophes, so
a text's dialogue style is decided first: in a text whose dialogue is in double marks, a
single mark only opens a quotation nested in a double one.

Unbalanced marks never swallow the story: every quotation ends with its paragraph. A
quotation left open at a paragraph's end continues into the next paragraph only when that
paragraph opens with a quotation mark (a multi-paragraph speech) or closes one before
opening any (a speech whose paragraph break is not the author's).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ficlens.document import Document
from ficlens.model import Quote, QuoteStyle, Span
from ficlens.nlp.lexicon import SPEECH_VERBS

DOUBLE = frozenset('"“”„‟«»')
SINGLE = frozenset("'‘’‚‛")
_MARK = re.compile("[\"“”„‟«»'‘’‚‛]")
_OPENING_GLYPHS = frozenset("“„‟«‘‚‛")
_CLOSING_GLYPHS = frozenset("”»’")
_DASHES = "—―–"
_DASH_START = re.compile(r"(?:[—―–]|--)\s*(?=\S)")
# Inside em-dash dialogue, a dash that starts a narration tag: "—Angel —Crowley said" (a
# dash hung on the tag's first word), "—Hello, — said Merlin" (a spaced dash before a
# lower-case verb), "—Hello,—said Merlin".
_DASH_TAG = re.compile(
    r"\s(?:[—―–]|--)(?=[^\W\d_])|\s(?:[—―–]|--)\s+(?=[a-z])|(?<=[,.!?…])(?:[—―–]|--)\s*(?=[a-z])"
)
# ...and the dash that ends the tag and gives the floor back to the speaker: "room—. Have"
# (hung on the tag's last word) or "Merlin, — how are you?" (spaced, after punctuation).
_DASH_RESUME = re.compile(r"(?<=\S)(?:[—―–]|--)[.,;:]?(?=\s)|[,.;:]\s+(?:[—―–]|--)\s*(?=\S)")
# A sentence that is narration: "He turned abruptly", "Buck Mulligan attacked".
_NOT_A_NAME = (
    r"(?!(?:That|This|These|Those|There|Then|You|Your|It|Its|We|Our|What|Well|Oh|Yes|No|Now|"
    r"So|But|And|If|When|How|Why|Who|Where|Here|Just|Not|All|Nothing|Everything|Something|"
    r"Someone|Nobody|Everyone|One|Once|Maybe|Perhaps|Please|Sorry|Thank|Thanks)\b)"
)
_NARRATION_START = re.compile(
    rf"(?:He|She|They|His|Her|Their|{_NOT_A_NAME}[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s+"
    r"(?:\w+ly\s+)?(?:\w+ed|came|went|took|stood|sat|saw|put|held|gave|made|let|ran|began|shook|"
    r"threw|drew|felt|knew|found|left|got|brought|caught|kept|laid|led|lay|rose|struck|swept)\b"
)
_NARRATION_AFTER = re.compile(r"(?<=[.!?])\s+(?=" + _NARRATION_START.pattern + ")")
# Words that begin with an apostrophe: 'em, 'tis, 'cause, '90s. Not quotation openers.
_ELISION = re.compile(
    r"(?:em|tis|twas|twere|twill|twould|cause|cos|coz|til|till|bout|round|n|ere|ow|im|er|"
    r"e|ave|ello|eard|alf|ome|ead|orse|kay|sup|scuse|fraid|nother|less|fore|gainst|neath|"
    r"mongst|midst|spect|ppose|s|d|ll|ve|re|m|t|un|uns|ee|at|bye|night|morning|evening)\b"
    r"|\d\d?s?\b"
)
_VERBS = "|".join(sorted(SPEECH_VERBS - {"went", "goes", "called", "calls"}))
# A speech verb shortly before a quotation: he said "hello".
_SPEECH_VERB = re.compile(rf"\b(?:{_VERBS}|like)\b[^\"“”]{{0,25}}$", re.IGNORECASE)
# A narration tag inside unmarked (dash) dialogue: ", he said sternly." / "! said Buck."
_NAME = r"(?:[A-Z][a-z’']+(?:\s+[A-Z][a-z’']+){0,2})"
# Verbs that also tell of deeds ("I offered you boots") do not make an unmarked tag.
_TAG_VERBS = "|".join(
    sorted(
        SPEECH_VERBS
        - set(
            "offered offers began begins told tells thought thinks went goes noted notes "
            "ordered orders promised promises agreed agrees admitted admits confessed "
            "confesses prompted prompts corrected corrects declared declares wondered "
            "wonders reflected reflects urged urges warned warns argued argues teased teases "
            "observed observes called calls".split()
        )
    )
)
_INLINE_TAG = re.compile(
    rf"(?<=[,!?.…])\s+(?:(?:he|she|they|I|we|you|it|{_NAME})\s+(?:\w+ly\s+)?(?:{_TAG_VERBS})"
    rf"|(?:{_TAG_VERBS})\s+(?:he|she|they|I|we|{_NAME}))\b[^.!?:;]*[.!?:;,]?"
)
_UNSAID = re.compile(
    r"\b(?:meant|wanted|tried|failed|forgot|forgotten|going|needed|longed|wished|ought|"
    r"could(?:n['’]?t| not)?|would(?:n['’]?t| not)?|did(?:n['’]?t| not)|never|not)\s+(?:to\s+)?"
    r"(?:say|tell|ask|add|answer|speak|shout|whisper)\b[^\"“”]{0,15}$",
    re.IGNORECASE,
)
_NAMING = re.compile(
    r"\b(?:word|words|term|phrase|name|named|called|titled|entitled|dubbed|nicknamed|"
    r"watched|watching|watch|read|reading|film|movie|song|book|novel|poem|episode|show|sign|"
    r"label|labelled|labeled|marked|spelled|spelt|the|a|an|his|her|their|my|our|your|its|"
    r"so-called|of|as|about|into|in|on|with|by|for|from|at|to)\s*$",
    re.IGNORECASE,
)
_FINAL_PUNCT = frozenset(".!?…,;:—–-")


@dataclass
class _Open:
    family: str  # "double" or "single"
    start: int  # offset of the opening mark
    content: int  # offset just after it
    style: QuoteStyle
    continues: int | None = None


@dataclass
class _Found:
    start: int
    end: int
    content_start: int
    content_end: int
    style: QuoteStyle
    paragraph: int
    closed: bool
    continues_key: int | None = None  # index into the found list
    nested_in: int | None = None


def quotes_stage(doc: Document) -> None:
    """Pipeline stage: fill the analysis's quotes from the story paragraphs."""
    doc.analysis.quotes = find_quotes(doc.text, doc.analysis.paragraphs())


def find_quotes(text: str, paragraphs: list[Span]) -> list[Quote]:
    """Every quotation in ``paragraphs`` (spans of ``text``), in reading order."""
    marks = [(m.start(), m.group()) for m in _MARK.finditer(text)]
    positions = [pos for pos, _ in marks]
    style = _dialogue_style(text, paragraphs, marks)
    found: list[_Found] = []
    carry: _Open | None = None  # a quotation left open at the end of the previous paragraph
    for index, para in enumerate(paragraphs):
        lo = bisect.bisect_left(positions, para.start)
        hi = bisect.bisect_left(positions, para.end)
        para_marks = marks[lo:hi]
        dash = _DASH_START.match(text, para.start, para.end) if style.dashes else None
        # Speech after a dialogue dash starts with a capital ("—Angel"); "—and then" is
        # narration picking up a broken-off sentence.
        if dash and text[dash.end()] not in DOUBLE | SINGLE and not text[dash.end()].islower():
            found.extend(_dash_quotes(text, para, index))
            carry = None
            continue
        next_para = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
        carry = _scan_paragraph(text, para, index, para_marks, style, found, carry, next_para)
    return _to_quotes(text, found)


@dataclass(frozen=True)
class _Style:
    single_dialogue: bool  # dialogue in single marks ('British'); doubles then nest
    dashes: bool  # em-dash dialogue


def _dialogue_style(text: str, paragraphs: list[Span], marks: list[tuple[int, str]]) -> _Style:
    doubles = sum(1 for _, glyph in marks if glyph in DOUBLE)
    single_openers = 0
    for pos, glyph in marks:
        if glyph in SINGLE and _single_opens(text, pos, glyph, 0, len(text)):
            single_openers += 1
    dash_paras = sum(1 for p in paragraphs if _DASH_START.match(text, p.start, p.end))
    quote_paras = sum(1 for p in paragraphs if text[p.start : p.start + 1] in DOUBLE | SINGLE)
    return _Style(
        single_dialogue=single_openers >= 3 and single_openers > doubles,
        dashes=dash_paras >= 2 and dash_paras >= 0.5 * quote_paras,
    )


def _flanks(text: str, pos: int, lo: int, hi: int) -> tuple[bool, bool]:
    """(space or opening punctuation on the left, space or end on the right)."""
    before = text[pos - 1] if pos > lo else " "
    after = text[pos + 1] if pos + 1 < hi else " "
    left_open = before.isspace() or before in "([{<—–-/_*" or pos == lo
    right_open = after.isspace() or pos + 1 >= hi
    return left_open, right_open


def _orientation(text: str, pos: int, lo: int, hi: int) -> str:
    """ "open", "close" or "either" for a straight mark, from what flanks it."""
    left_space, right_space = _flanks(text, pos, lo, hi)
    if left_space and not right_space:
        return "open"
    if right_space and not left_space:
        return "close"
    if not left_space and not right_space:
        # Squeezed between characters: 'you?"She' closes, 'said,"Hello' opens.
        before, after = text[pos - 1], text[pos + 1]
        if before in ".!?…" or (before.isalnum() and not after.isalnum()):
            return "close"
        if before in ",:;" and after.isalnum():
            return "open"
    return "either"


def _single_opens(text: str, pos: int, glyph: str, lo: int, hi: int) -> bool:
    """Is this single mark an opening quotation mark rather than an apostrophe?"""
    if glyph in "‚‛":
        return True
    after = text[pos + 1] if pos + 1 < hi else " "
    before = text[pos - 1] if pos > lo else " "
    if after.isspace() or (before.isalnum() and glyph != "‘"):
        return False
    if not (before.isspace() or before in '([{<—–-/_*"“' or pos == lo):
        return glyph == "‘" and not before.isalnum()
    return not _ELISION.match(text, pos + 1, min(hi, pos + 12)) or after.isupper()


def _single_closes(text: str, pos: int, lo: int, hi: int) -> int:
    """0: an apostrophe; 1: may close (after a letter, like a possessive); 2: surely closes."""
    before = text[pos - 1] if pos > lo else " "
    after = text[pos + 1] if pos + 1 < hi else " "
    if before.isspace() and not after.isspace() and pos + 1 < hi:
        return 0
    if before.isalnum() and after.isalnum():
        return 0  # don't, o'clock
    if after in ",.!?;:" and pos + 2 < hi and text[pos + 2] in "'’":
        return 0  # thinkin',' or the boys'?' : the next mark closes
    if before in '.,!?;:…—–-"”' or pos + 1 >= hi or after in ',.!?;:—–-)"”':
        return 2
    return 1


def _style_of(glyph: str) -> QuoteStyle:
    if glyph == '"':
        return "double"
    if glyph == "'":
        return "single"
    if glyph in "«»":
        return "guillemet"
    return "curly-double" if glyph in DOUBLE else "curly-single"


def _scan_paragraph(
    text: str,
    para: Span,
    index: int,
    marks: list[tuple[int, str]],
    style: _Style,
    found: list[_Found],
    carry: _Open | None,
    next_para: Span | None,
) -> _Open | None:
    lo, hi = para.start, para.end
    outer_family = "single" if style.single_dialogue else "double"
    inner_family = "double" if style.single_dialogue else "single"
    stack: list[_Open] = []

    if carry is not None:
        first = marks[0] if marks else None
        if (
            first
            and _family(first[1]) == carry.family
            and first[0] == lo
            and _can_open(text, first, carry.family, lo, hi)
        ):
            pass  # a multi-paragraph speech: the new paragraph re-opens, handled below
        elif first and _family(first[1]) == carry.family and _closes_carry(text, first, lo, hi):
            # The paragraph break fell inside the quotation: it runs on to this close.
            stack.append(_Open(carry.family, lo, lo, carry.style, carry.continues))
    pending_continuation = carry.continues if carry is not None else None

    i = 0
    while i < len(marks):
        pos, glyph = marks[i]
        family = _family(glyph)
        top = stack[-1] if stack else None
        if top is None:
            if family == outer_family and _can_open(text, (pos, glyph), family, lo, hi):
                stack.append(_Open(family, pos, pos + 1, _style_of(glyph)))
                if pending_continuation is not None and pos == _first_visible(text, lo, hi):
                    stack[-1].continues = pending_continuation
                pending_continuation = None
            elif family == "single" and glyph == "‘" and _pairs_soon(text, marks, i, hi):
                stack.append(_Open(family, pos, pos + 1, "curly-single"))  # a ‘phrase’
            elif (
                family == "double"
                and outer_family == "single"
                and _can_open(text, (pos, glyph), family, lo, hi)
                and _pairs_soon(text, marks, i, hi, family="double")
            ):
                stack.append(_Open(family, pos, pos + 1, _style_of(glyph)))
            i += 1
            continue
        if family == top.family:
            if _closes(text, marks, i, top, lo, hi):
                _close(found, stack, pos, pos + 1, index, closed=True)
            elif family == "double" and glyph in _OPENING_GLYPHS:
                before = text[_trim_end(text, top.content, pos) - 1]
                if (
                    len(stack) == 1
                    and before.isalnum()
                    and _pairs_soon(text, marks, i, hi, family="double")
                ):
                    # “... read nothing but the “Spectator,” and ...”: a title nested
                    # in the same marks, opened mid-sentence and closed soon after.
                    stack.append(_Open(family, pos, pos + 1, _style_of(glyph)))
                else:
                    # “ inside “: the first was never closed. End it before this one.
                    end = _trim_end(text, top.content, pos)
                    _close(found, stack, end, pos, index, closed=False)
                    stack.append(_Open(family, pos, pos + 1, _style_of(glyph)))
            i += 1
            continue
        # A mark of the other family inside a quotation: a nested quotation.
        if family == inner_family or (len(stack) > 1 and family == stack[-2].family):
            if (
                len(stack) >= 2
                and stack[-2].family == family
                and _closes(text, marks, i, stack[-2], lo, hi)
            ):
                stack.pop()  # the nested one was an apostrophe after all; close the outer
                _close(found, stack, pos, pos + 1, index, closed=True)
            elif (family == "single" and _single_opens(text, pos, glyph, lo, hi)) or (
                family == "double" and _can_open(text, (pos, glyph), family, lo, hi)
            ):
                stack.append(_Open(family, pos, pos + 1, _style_of(glyph)))
        i += 1

    # Quotations still open at the paragraph's end.
    while len(stack) > 1:
        stack.pop()  # an unclosed nested mark was an apostrophe
    if not stack:
        return None
    top = stack[0]
    end = _trim_end(text, top.content, hi)
    key = _close(found, stack, end, end, index, closed=False)
    if next_para is not None and _continues_into(text, top.family, next_para):
        root = found[key].continues_key
        return _Open(top.family, 0, 0, top.style, root if root is not None else key)
    return None


def _family(glyph: str) -> str:
    return "double" if glyph in DOUBLE else "single"


def _can_open(text: str, mark: tuple[int, str], family: str, lo: int, hi: int) -> bool:
    pos, glyph = mark
    if family == "single":
        return _single_opens(text, pos, glyph, lo, hi)
    if glyph in _OPENING_GLYPHS:
        return True
    orientation = _orientation(text, pos, lo, hi)
    if glyph in _CLOSING_GLYPHS:
        return orientation == "open"  # ” typed the wrong way round, before a word
    return orientation != "close"


def _closes_carry(text: str, mark: tuple[int, str], lo: int, hi: int) -> bool:
    pos, glyph = mark
    if glyph in _OPENING_GLYPHS:
        return False
    if glyph in _CLOSING_GLYPHS:
        return True
    if _family(glyph) == "single":
        return _single_closes(text, pos, lo, hi) == 2
    return _orientation(text, pos, lo, hi) == "close"


def _closes(text: str, marks: list[tuple[int, str]], i: int, top: _Open, lo: int, hi: int) -> bool:
    """Does mark i close the open quotation ``top`` (of the same family)?"""
    pos, glyph = marks[i]
    if top.family == "double":
        if glyph in _OPENING_GLYPHS:
            return pos > top.content and _orientation(text, pos, lo, hi) == "close"
        # '""': an empty pair is rare, a doubled mark more so.
        return not (glyph == '"' and pos == top.content)
    strength = _single_closes(text, pos, lo, hi)
    if glyph in _OPENING_GLYPHS and strength < 2:
        return False
    if strength == 0:
        return False
    if strength == 2:
        return True
    # A mark after a letter may be a possessive (the dogs' bowls) or a dropped g
    # (somethin'): prefer a later mark that surely closes, unless a new quotation opens first.
    for later_pos, later_glyph in marks[i + 1 :]:
        if _family(later_glyph) != "single":
            continue
        if _single_closes(text, later_pos, lo, hi) == 2:
            return False
        if _single_opens(text, later_pos, later_glyph, lo, hi):
            break
    return True


def _pairs_soon(
    text: str,
    marks: list[tuple[int, str]],
    i: int,
    hi: int,
    family: str = "single",
    limit: int = 80,
) -> bool:
    """A phrase in marks of the non-dialogue family closes within a few words."""
    pos = marks[i][0]
    for later_pos, later_glyph in marks[i + 1 :]:
        if later_pos - pos > limit:
            return False
        if _family(later_glyph) == family:
            if family == "single":
                return _single_closes(text, later_pos, pos, hi) > 0
            return True
    return False


def _continues_into(text: str, family: str, para: Span) -> bool:
    """Does the next paragraph carry on a quotation left open at this one's end?"""
    first = _first_visible(text, para.start, para.end)
    glyph = text[first] if first < para.end else ""
    if glyph and _family(glyph) == family and glyph in (DOUBLE | SINGLE):
        if family == "single":
            return _single_opens(text, first, glyph, para.start, para.end)
        return glyph not in _CLOSING_GLYPHS
    # Or the paragraph closes a quotation before it opens any.
    for match in _MARK.finditer(text, para.start, min(para.end, para.start + 600)):
        if _family(match.group()) != family:
            continue
        return _closes_carry(text, (match.start(), match.group()), para.start, para.end)
    return False


def _first_visible(text: str, lo: int, hi: int) -> int:
    while lo < hi and text[lo].isspace():
        lo += 1
    return lo


def _trim_end(text: str, lo: int, hi: int) -> int:
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    return hi


def _close(
    found: list[_Found], stack: list[_Open], content_end: int, end: int, index: int, *, closed: bool
) -> int:
    opened = stack.pop()
    parent = None
    if stack:
        parent = _open_parent(found, stack)
    found.append(
        _Found(
            opened.start,
            end,
            opened.content,
            content_end,
            opened.style,
            index,
            closed,
            opened.continues,
            parent,
        )
    )
    return len(found) - 1


def _open_parent(found: list[_Found], stack: list[_Open]) -> int:
    """Nested quotations are found before their parent closes; link them by position."""
    return -1 - stack[-1].start  # resolved to the parent's id in _to_quotes


def _dash_quotes(text: str, para: Span, index: int) -> Iterator[_Found]:
    """Em-dash dialogue: "—Angel —Crowley said—. Look outside." has two spoken parts.

    Unmarked speech ends where narration takes over: at a tag set off by dashes, at an
    inline tag ("..., he cried briskly."), at a sentence of past-tense narration ("He
    turned away."), or at a last sentence that hands over to the next speaker ("Then
    Roche said:").
    """
    match = _DASH_START.match(text, para.start, para.end)
    assert match is not None
    start, content = para.start, match.end()
    parts = 0
    while content < para.end:
        tag = _DASH_TAG.search(text, content, para.end)
        limit = tag.start() if tag else para.end
        inline = _INLINE_TAG.search(text, content, limit)
        narration = _NARRATION_AFTER.search(text, content, inline.start() if inline else limit)
        if narration is not None:
            end = _trim_end(text, content, narration.start())
        elif inline is not None:
            end = _trim_end(text, content, inline.start())
        else:
            end = _trim_end(text, content, limit)
            if tag is None:
                end = _drop_lead_in(text, content, end)
        if end > content:
            yield _Found(start, end, content, end, "dash", index, True, -1 if parts else None)
            parts += 1
        if narration is not None:
            return
        if inline is not None:
            start = content = _first_visible(text, inline.end(), para.end)
            if inline.group().rstrip()[-1:] in ".!?" and _NARRATION_START.match(text, content):
                return  # "..., Buck Mulligan said. He turned away." The narration goes on.
            continue
        if tag is None:
            return
        resume = _DASH_RESUME.search(text, tag.end(), para.end)
        if resume is None:
            return
        start = content = _first_visible(text, resume.end(), para.end)


def _drop_lead_in(text: str, start: int, end: int) -> int:
    """Unmarked speech that ends "... Then Roche said:" hands over to the next paragraph's
    speaker; that last sentence is narration."""
    if text[end - 1 : end] != ":":
        return end
    boundary = max(
        text.rfind(". ", start, end), text.rfind("! ", start, end), text.rfind("? ", start, end)
    )
    return _trim_end(text, start, boundary + 1) if boundary > start else end


def _to_quotes(text: str, found: list[_Found]) -> list[Quote]:
    # An opening mark with nothing after it before the paragraph ends is no quotation.
    kept = [k for k, f in enumerate(found) if f.content_end > f.content_start or f.closed]
    order = sorted(kept, key=lambda k: (found[k].start, -found[k].end))
    new_id = {old: new for new, old in enumerate(order)}
    by_start = {found[k].start: new_id[k] for k in order}
    quotes: list[Quote] = []
    for new, old in enumerate(order):
        item = found[old]
        content_start = _first_visible(text, item.content_start, item.content_end)
        content_end = _trim_end(text, content_start, item.content_end)
        continues: int | None = None
        if item.continues_key == -1:  # dash dialogue: continues the paragraph's first part
            continues = next(
                q.id
                for q in reversed(quotes)
                if q.paragraph == item.paragraph and q.continues is None
            )
        elif item.continues_key is not None:
            continues = new_id.get(item.continues_key)
        nested_in = by_start.get(-1 - item.nested_in) if item.nested_in is not None else None
        quotes.append(
            Quote(
                id=new,
                start=item.start,
                end=item.end,
                text=text[content_start:content_end],
                text_start=content_start,
                text_end=content_end,
                speech=nested_in is None,
                paragraph=item.paragraph,
                style=item.style,
                continues=continues,
                nested_in=nested_in,
            )
        )
    for quote in quotes:
        if quote.speech and quote.continues is None and not _spoken(text, quote):
            quote.speech = False
    _link_split_quotes(text, quotes)
    for quote in quotes:  # every later part names the first part of its utterance
        if quote.continues is not None and quotes[quote.continues].continues is not None:
            quote.continues = quotes[quote.continues].continues
    return quotes


def _link_split_quotes(text: str, quotes: list[Quote]) -> None:
    """ "I think," he said, "we should go." is one utterance in two parts."""
    previous: Quote | None = None
    for quote in quotes:
        if not quote.speech:
            continue
        if (
            previous is not None
            and quote.continues is None
            and previous.paragraph == quote.paragraph
            and previous.style == quote.style
        ):
            between = text[previous.end : quote.start]
            ends_open = previous.text[-1:] in ",—–-…" or previous.text.endswith("--")
            beat = between.strip()
            # The beat between the parts is a short tag or action, set off by punctuation.
            if (
                len(beat.split()) <= 30
                and beat[-1:] in ",.;:—–-"
                and (ends_open or quote.text[:1].islower())
            ):
                quote.continues = (
                    previous.continues if previous.continues is not None else previous.id
                )
        previous = quote


def _spoken(text: str, quote: Quote) -> bool:
    """Is this quotation said aloud, or a title, scare quote or word being mentioned?"""
    words = quote.text.split()
    if quote.style == "dash":
        return True
    sentence_start = max(text.rfind("\n", 0, quote.start), 0)
    before = text[max(sentence_start, quote.start - 60) : quote.start]
    stripped = before.rstrip()
    mid_sentence = bool(stripped) and stripped[-1].isalnum()
    if mid_sentence and quote.text[:1].islower() and not _SPEECH_VERB.search(stripped):
        # Words quoted into a sentence of narration: an army "numerous as the leaves".
        return False
    if len(words) > 5:
        return True
    if not stripped or stripped[-1] in '.!?…:;"”’)' or stripped.endswith(","):
        return True  # begins a sentence or follows "he said," / a colon: dialogue
    if _UNSAID.search(stripped):
        return False  # the word he "meant to say"
    if _SPEECH_VERB.search(stripped):
        return True
    if not stripped[-1].isalnum():
        return True
    # Mid-sentence, after an ordinary word: "they watched "Casablanca"", "his "plan"".
    return bool(quote.text[-1:] in "!?" and len(words) > 2 and not _NAMING.search(stripped))
