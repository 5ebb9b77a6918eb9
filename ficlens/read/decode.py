"""Bytes to text: detect the encoding, then repair the damage old fic files commonly carry.

Detection runs in a fixed order and never guesses blindly: byte-order marks, then
BOM-less UTF-16/32 (recognised by where the NUL bytes fall), then strict UTF-8, and only
then the legacy 8-bit codecs, ranked by charset-normalizer with a strong preference for
cp1252, the codec most old English-language fics were saved in.

The returned text is exactly what the bytes say apart from the listed repairs: line endings,
whitespace and Unicode normalisation are left alone, because every offset ficlens reports
refers to this text.
"""

from __future__ import annotations

import codecs
import html
import re
from dataclasses import dataclass, field
from html.entities import html5
from typing import TYPE_CHECKING

import ftfy
from ftfy.badness import is_bad

if TYPE_CHECKING:
    from charset_normalizer import CharsetMatch


@dataclass
class Decoded:
    """Decoded text, the Python codec that produced it, and the repairs applied after."""

    text: str
    encoding: str
    repairs: list[str] = field(default_factory=list)


class DecodeError(ValueError):
    """The bytes cannot be read as text; ``str(error)`` is a short reason for the user."""


def decode_bytes(data: bytes) -> Decoded:
    """Decode ``data`` (see the module docstring), reject binary data, apply repairs."""
    text, encoding = _decode(data)
    _reject_binary(text)
    repairs: list[str] = []
    text, changed = repair_mojibake(text)
    if changed:
        repairs.append("mojibake")
    text, changed = repair_entities(text)
    if changed:
        repairs.append("html-entities")
    return Decoded(text=text, encoding=encoding, repairs=repairs)


# --- Unicode encodings: BOMs and BOM-less UTF-16/32 ------------------------------------

# UTF-32 first: its little-endian BOM begins with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_PROBE = 4096  # bytes examined for the NUL pattern; a multiple of 4


def unicode_codec(data: bytes) -> str | None:
    """The Unicode codec the bytes announce (BOM) or plainly show (NUL pattern), if any.

    The name is one for which ``data.decode(name)`` gives the text without the BOM:
    "utf-8-sig", "utf-16", "utf-32" with a BOM; "utf-16-le" etc. without. Only the
    pattern is checked here; the caller still has to decode strictly.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    sample = data[:_PROBE]
    if b"\x00" not in sample:
        return None
    # UTF-32: the top byte of every unit is 0 and the next one at most 0x10, since code
    # points stop at U+10FFFF. All-zero data is not text, so some low byte must be set.
    if len(data) % 4 == 0:
        if _all_zero(sample[3::4]) and max(sample[2::4]) <= 0x10 and not _all_zero(sample[0::4]):
            return "utf-32-le"
        if _all_zero(sample[0::4]) and max(sample[1::4]) <= 0x10 and not _all_zero(sample[3::4]):
            return "utf-32-be"
    if len(data) % 2 == 0:
        # Mostly-ASCII UTF-16 has its NULs on one side only (the high byte of each unit);
        # binary data has them on both. Allow a few on the other side for characters such
        # as U+4E00 whose low byte is 0.
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if odd > 10 * even:
            return "utf-16-le"
        if even > 10 * odd:
            return "utf-16-be"
    return None


def _all_zero(chunk: bytes) -> bool:
    return chunk.count(0) == len(chunk)


# --- the decoder ------------------------------------------------------------------------


def _decode(data: bytes) -> tuple[str, str]:
    codec = unicode_codec(data)
    if codec == "utf-8-sig":
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            # A BOM on a file that is not all UTF-8: usually UTF-8 with pasted cp1252.
            # Decode the rest as legacy text; the mojibake repair mends the UTF-8 parts.
            return _decode_legacy(data[len(codecs.BOM_UTF8) :])
    if codec is not None:
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            name = codec.upper().removesuffix("-LE").removesuffix("-BE")
            raise DecodeError(f"cannot decode: looks like {name} but is not valid {name}") from None
    if b"\x00" in data:
        raise DecodeError("binary file (contains NUL bytes)")
    try:
        # Most files end here, so charset-normalizer is never run on UTF-8.
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return _decode_legacy(data)


# The five bytes cp1252 leaves undefined; a file with any of them cannot be cp1252.
_CP1252_HOLES = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")

# Codecs that read the letters of Western European text the way cp1252 does. When
# charset-normalizer picks one of these (or says cp1252 would do as well), cp1252 wins.
_WESTERN = frozenset(
    codecs.lookup(name).name for name in ("cp1252", "latin-1", "iso8859-15", "ascii", "utf-8")
)

# charset-normalizer is given at most this much, cut at a newline so that no multi-byte
# character is split (0x0A is never part of one in the legacy CJK codecs). The chosen
# codec is then checked against the whole file.
_SAMPLE = 256 * 1024

_HIGH_BYTES = bytes(range(0x80, 0x100))
_MOSTLY_HIGH = 0.3  # share of non-ASCII bytes beyond any Western language's accents
# Double-byte CJK codecs (charset-normalizer's names for them).
_DOUBLE_BYTE = frozenset(
    codecs.lookup(name).name
    for name in [
        "big5",
        "big5hkscs",
        "cp932",
        "cp949",
        "cp950",
        "euc_jis_2004",
        "euc_jisx0213",
        "euc_jp",
        "euc_kr",
        "gb18030",
        "gb2312",
        "gbk",
        "hz",
        "johab",
        "shift_jis",
        "shift_jis_2004",
        "shift_jisx0213",
    ]
)


def _decode_legacy(data: bytes) -> tuple[str, str]:
    """Decode bytes that are not UTF-8: cp1252 unless the text is clearly something else."""
    has_holes = any(hole in data for hole in _CP1252_HOLES)
    western = "latin-1" if has_holes else "cp1252"
    sample = _sample(data)
    for codec in _other_candidates(sample, sample.decode(western, errors="replace")):
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            continue
    if has_holes and not _looks_western(sample.decode("latin-1")):
        raise DecodeError("cannot decode: not UTF-8, and no known encoding fits")
    return data.decode(western), western


def _sample(data: bytes) -> bytes:
    if len(data) <= _SAMPLE:
        return data
    cut = data.rfind(b"\n", 0, _SAMPLE)
    return data[: cut + 1] if cut > _SAMPLE // 2 else data[:_SAMPLE]


def _other_candidates(sample: bytes, western_view: str) -> list[str]:
    """Non-Western codecs charset-normalizer is convinced of, best first; [] means Western.

    ``western_view`` is the sample read as cp1252 (or latin-1), the reading we fall back to.
    """
    from charset_normalizer import from_bytes  # deferred: only legacy files pay for it

    try:
        matches = list(from_bytes(sample))
    except Exception:  # a heuristics library failing must not fail the read; use cp1252
        return []
    if not matches:
        return []
    best = matches[0]
    if _is_western(best):
        return []
    # charset-normalizer ranks by tiny differences in "chaos"; a Western reading that is as
    # clean as its favourite keeps the cp1252 prior.
    if any(_is_western(m) and m.chaos <= best.chaos for m in matches):
        return []
    # Accept the other codec when most bytes are non-ASCII (Western text has a few accents
    # and quotes; Cyrillic, Greek and CJK text is mostly high bytes), when the Western
    # reading shows words made only of accented letters ("Ïðèâåò"), or when
    # charset-normalizer recognised a language and rejected every Western reading outright
    # (e.g. Polish in cp1250).
    high_share = 1 - len(sample.translate(None, _HIGH_BYTES)) / len(sample)
    convinced = (
        high_share > _MOSTLY_HIGH
        or not _looks_western(western_view)
        or (best.coherence >= 0.2 and not any(_is_western(m) for m in matches))
    )
    if not convinced:
        return []
    candidates = [_codec_name(m.encoding) for m in matches if not _is_western(m)]
    if high_share <= _MOSTLY_HIGH:
        # CJK text is mostly high bytes; in mostly-ASCII text the double-byte codecs match
        # by accident (charset-normalizer reads "«Привет»" in cp1251 as Korean).
        candidates = [c for c in candidates if c not in _DOUBLE_BYTE]
    return candidates


def _is_western(match: CharsetMatch) -> bool:
    # could_be_from_charset lists every codec that gives the same text as the match.
    names = match.could_be_from_charset or [match.encoding]
    return any(_codec_name(name) in _WESTERN for name in names)


def _codec_name(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name


_LETTERS = re.compile(r"[^\W\d_]+")


def _looks_western(text: str) -> bool:
    """Whether the non-ASCII letters sit inside ASCII words, as accents do ("café").

    Text in another script read through a Western codec turns into words made only of
    accented letters ("Ïðèâåò"); a single letter such as French "à" proves nothing.
    """
    inside = alone = 0
    for word in _LETTERS.findall(text):
        if word.isascii():
            continue
        non_ascii = sum(1 for c in word if not c.isascii())
        if non_ascii < len(word):
            inside += non_ascii
        elif len(word) > 1:
            alone += non_ascii
    return alone <= inside


# --- binary data ------------------------------------------------------------------------

# Control characters that have no place in text. Tab, CR, LF and form feed do; C1 controls
# (U+0080-U+009F) are left to the mojibake repair, since cp1252 text read as latin-1 or
# double-encoded UTF-8 is full of them.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _reject_binary(text: str) -> None:
    if "\x00" in text:
        raise DecodeError("binary file (contains NUL bytes)")
    # A stray control character (a DOS end-of-file mark, Word's vertical tab) is fine.
    if len(_CONTROLS.findall(text)) > max(1, len(text) // 100):
        raise DecodeError("binary file (contains control characters)")


# --- repairs ----------------------------------------------------------------------------

# UTF-8 read as cp1252 or latin-1 turns each multi-byte character into its lead byte (Â..ß,
# à..ï or ð..ô for 2, 3 or 4 bytes) followed by 1, 2 or 3 continuation bytes, which read as
# U+0080-U+00BF or cp1252's punctuation ("â€™"); a lost no-break space leaves "Ã ", and
# cp1252 text read as latin-1 leaves bare C1 controls. Only lines with one of these are
# given to ftfy, whose badness check is too slow for a whole large file, and the exact
# shapes keep ordinary "café—" or "José’s" from triggering it.
_CP1252_HIGH = bytes(range(0x80, 0xA0)).decode("cp1252", errors="ignore")
_CONT = f"[\u0080-\u00bf{_CP1252_HIGH}]"
_LINE_BREAK = re.compile("[\r\n]")
# Written to start with one character class so that the regex engine can skip ahead
# quickly over the ASCII that most text is made of; the lookbehinds then pick the shape.
_MOJIBAKE_HINT = re.compile(
    f"[\u0080-\u009f\u00c2-\u00f4](?:"
    f"(?<=[\u00c2-\u00df]){_CONT}"
    f"|(?<=[\u00e0-\u00ef]){_CONT}{{2}}"
    f"|(?<=[\u00f0-\u00f4]){_CONT}{{3}}"
    f"|(?<=\u00c3) "
    f"|(?<=[\u0080-\u009f]))"
)


def repair_mojibake(text: str) -> tuple[str, bool]:
    """Undo UTF-8 mis-decoded as cp1252/latin-1 ("donâ€™t" -> "don’t"), line by line.

    Uses ``ftfy.fix_encoding`` only, and only on lines ftfy's badness check calls bad: the
    rest of ftfy (``fix_text``) would straighten quotes and rewrite line breaks. Lines are
    cut at CR and LF, which never occur inside mojibake, so line endings are untouched.
    """
    pieces: list[str] = []
    done = 0  # text[:done] is already in pieces
    skip_until = 0  # end of the last line examined
    for match in _MOJIBAKE_HINT.finditer(text):
        if match.start() < skip_until:
            continue
        # The line starts after skip_until, so bounding the backward search keeps the
        # whole loop linear in the length of the text.
        start = 1 + max(
            text.rfind("\n", skip_until, match.start()), text.rfind("\r", skip_until, match.start())
        )
        if start == 0:
            start = skip_until
        line_break = _LINE_BREAK.search(text, match.end())
        end = line_break.start() if line_break else len(text)
        skip_until = end
        line = text[start:end]
        if not is_bad(line):
            continue
        fixed = ftfy.fix_encoding(line)
        if fixed != line:
            pieces += [text[done:start], fixed]
            done = end
    if not pieces:
        return text, False
    pieces.append(text[done:])
    return "".join(pieces), True


# Entities with their semicolon only: html.unescape on the whole text would also expand
# legacy forms without one ("&notice" -> "¬ice"), which plain text is full of.
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_MIN_ENTITIES = 2  # one "&amp;" may be meant literally; several mean the text was escaped
_HTML_DOCUMENT = re.compile(r"<(?:!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE)
_HTML_BLOCK_TAG = re.compile(r"</?(?:p|br|div)\b[^<>]*>", re.IGNORECASE)


def repair_entities(text: str) -> tuple[str, bool]:
    """Unescape HTML entities (``&quot;``, ``&#8220;``) left in a plain-text file.

    Only when there are several and the text is not HTML itself, where the entities are
    markup and the HTML reader's business.
    """
    found = [m for m in _ENTITY.finditer(text) if _is_entity(m.group())]
    if len(found) < _MIN_ENTITIES or looks_like_html(text):
        return text, False
    return _ENTITY.sub(
        lambda m: html.unescape(m.group()) if _is_entity(m.group()) else m.group(), text
    ), True


def _is_entity(ref: str) -> bool:
    return ref[1] == "#" or ref[1:] in html5


def looks_like_html(text: str) -> bool:
    """Whether plain text is really HTML: document tags, or paragraph/line-break tags."""
    return bool(_HTML_DOCUMENT.search(text)) or len(_HTML_BLOCK_TAG.findall(text)) >= 2
