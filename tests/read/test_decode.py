"""Encoding detection, binary rejection and repairs in ficlens.read.decode."""

from __future__ import annotations

import codecs
import random
import re

import charset_normalizer
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ficlens.read import decode
from ficlens.read.decode import DecodeError, decode_bytes, unicode_codec

SENTENCE = "Merlin said, “Don’t — please.” Arthur didn’t answer… He only nodded."


# --- Unicode encodings ------------------------------------------------------------------


def test_utf8() -> None:
    decoded = decode_bytes(SENTENCE.encode("utf-8"))
    assert decoded.text == SENTENCE
    assert decoded.encoding == "utf-8"
    assert decoded.repairs == []


def test_ascii_is_reported_as_utf8() -> None:
    assert decode_bytes(b"Plain ASCII.\n").encoding == "utf-8"


def test_utf8_bom_is_not_part_of_the_text() -> None:
    decoded = decode_bytes(codecs.BOM_UTF8 + SENTENCE.encode("utf-8"))
    assert decoded.encoding == "utf-8-sig"
    assert decoded.text == SENTENCE
    assert not decoded.text.startswith("\ufeff")


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF16_LE + SENTENCE.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + SENTENCE.encode("utf-16-be"), "utf-16"),
        (SENTENCE.encode("utf-16-le"), "utf-16-le"),
        (SENTENCE.encode("utf-16-be"), "utf-16-be"),
        (codecs.BOM_UTF32_LE + SENTENCE.encode("utf-32-le"), "utf-32"),
        (codecs.BOM_UTF32_BE + SENTENCE.encode("utf-32-be"), "utf-32"),
        (SENTENCE.encode("utf-32-le"), "utf-32-le"),
        (SENTENCE.encode("utf-32-be"), "utf-32-be"),
    ],
    ids=[
        "utf16le-bom",
        "utf16be-bom",
        "utf16le",
        "utf16be",
        "utf32le-bom",
        "utf32be-bom",
        "utf32le",
        "utf32be",
    ],
)
def test_utf16_and_utf32(data: bytes, encoding: str) -> None:
    decoded = decode_bytes(data)
    assert decoded.text == SENTENCE
    assert decoded.encoding == encoding
    # The reported codec reproduces the text from the raw bytes.
    assert data.decode(decoded.encoding) == decoded.text


def test_utf16_without_bom_with_non_ascii_text() -> None:
    text = "Гарри сказал: “Hello.”\n" * 3
    assert decode_bytes(text.encode("utf-16-le")).encoding == "utf-16-le"
    assert decode_bytes(text.encode("utf-16-le")).text == text


def test_truncated_utf16_is_a_decode_error() -> None:
    data = codecs.BOM_UTF16_LE + "Hello there".encode("utf-16-le") + b"H"
    with pytest.raises(DecodeError, match=r"^cannot decode: looks like UTF-16"):
        decode_bytes(data)


def test_nul_bytes_in_both_positions_are_not_utf16() -> None:
    assert unicode_codec(bytes([0, 0, 65, 0, 0, 66, 7, 0] * 8)) is None


# --- legacy 8-bit encodings -------------------------------------------------------------


def test_cp1252_smart_quotes_and_dashes() -> None:
    text = "Merlin said, “Don’t — please.” ‘Fine,’ said Arthur – and waited…\n"
    decoded = decode_bytes(text.encode("cp1252"))
    assert decoded.encoding == "cp1252"
    assert decoded.text == text
    assert decoded.repairs == []


def test_short_cp1252_sentence() -> None:
    decoded = decode_bytes("Merlin said, “Don’t — please.”".encode("cp1252"))
    assert (decoded.text, decoded.encoding) == ("Merlin said, “Don’t — please.”", "cp1252")


def test_western_accents_prefer_cp1252() -> None:
    text = "Le café était très bon, dit-il. Où est la gare? Ça va très bien, merci à vous.\n"
    decoded = decode_bytes(text.encode("latin-1"))
    # Latin-1 and cp1252 agree on every byte here; cp1252 is the one reported.
    assert decoded.encoding == "cp1252"
    assert decoded.text == text


def test_latin1_only_when_cp1252_cannot_decode() -> None:
    # 0x8D is undefined in cp1252, so only latin-1 decodes these bytes.
    data = "Le café est fermé.".encode("latin-1") + b"\x8d\n"
    decoded = decode_bytes(data)
    assert decoded.encoding == "latin-1"
    assert decoded.text == "Le café est fermé.\x8d\n"


def test_cp1252_quotes_read_as_latin1_are_repaired() -> None:
    # A stray 0x81 forces latin-1, which reads the quote bytes as C1 controls; the
    # mojibake repair turns them back into the quotes they were.
    decoded = decode_bytes(b"He said \x93hi\x94 in the caf\xe9.\x81\n")
    assert decoded.encoding == "latin-1"
    assert decoded.text == "He said “hi” in the café.\x81\n"
    assert decoded.repairs == ["mojibake"]


def test_cyrillic_cp1251() -> None:
    text = "Гарри посмотрел на Драко и улыбнулся. «Не надо», — сказал он тихо.\n"
    decoded = decode_bytes(text.encode("cp1251"))
    assert decoded.encoding == "cp1251"
    assert decoded.text == text


def test_shift_jis() -> None:
    text = "ハリーはドラコを見て微笑んだ。「やめてくれ」と彼は言った。\n"
    decoded = decode_bytes(text.encode("shift_jis"))
    assert decoded.encoding in {"shift_jis", "cp932"}
    assert decoded.text == text


def test_charset_normalizer_is_not_run_on_utf8(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("charset-normalizer called on UTF-8")

    monkeypatch.setattr(charset_normalizer, "from_bytes", fail)
    assert decode_bytes(("Ünïcödé “text”\n" * 1000).encode("utf-8")).encoding == "utf-8"


def test_legacy_detection_samples_but_checks_the_whole_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[int] = []
    real = charset_normalizer.from_bytes

    def spy(data: bytes, *args: object, **kwargs: object) -> object:
        seen.append(len(data))
        return real(data, *args, **kwargs)

    monkeypatch.setattr(charset_normalizer, "from_bytes", spy)
    line = "“Don’t,” he said — café au lait.\n".encode("cp1252")
    body = line * (2 * decode._SAMPLE // len(line))
    # The only byte cp1252 cannot decode lies beyond the sample.
    decoded = decode_bytes(body + b"\x90\n")
    assert seen and max(seen) <= decode._SAMPLE
    assert decoded.encoding == "latin-1"


# --- binary data ------------------------------------------------------------------------


def test_nul_bytes_are_binary() -> None:
    with pytest.raises(DecodeError, match=r"^binary file"):
        decode_bytes(b"Chapter one\x00\x00\x00\x01\x02")


def test_control_characters_are_binary() -> None:
    with pytest.raises(DecodeError, match=r"^binary file \(contains control characters\)"):
        decode_bytes(bytes(range(1, 9)) * 20 + b"some text")


def test_random_bytes_are_rejected() -> None:
    data = random.Random(7).randbytes(4096)
    with pytest.raises(DecodeError):
        decode_bytes(data)


def test_one_stray_control_character_is_text() -> None:
    assert decode_bytes(b"The end.\r\n\x1a").text == "The end.\r\n\x1a"


# --- repairs ----------------------------------------------------------------------------


def test_mojibake_is_repaired() -> None:
    broken = "â€œDonâ€™t,â€\x9d he said. The cafÃ© was closed.\n"
    decoded = decode_bytes(broken.encode("utf-8"))
    assert decoded.text == "“Don’t,” he said. The café was closed.\n"
    assert decoded.repairs == ["mojibake"]
    assert decoded.encoding == "utf-8"


def test_mojibake_repair_keeps_curly_quotes_and_line_breaks() -> None:
    # ftfy.fix_text would straighten these quotes and turn CRLF into LF.
    text = "“Fine,” she said.\r\nThe cafÃ© was closed.\rIt’s late.\n"
    decoded = decode_bytes(text.encode("utf-8"))
    assert decoded.text == "“Fine,” she said.\r\nThe café was closed.\rIt’s late.\n"


def test_clean_text_with_accents_next_to_punctuation_is_not_repaired() -> None:
    text = "The café—closed. José’s naïve «déjà\u00a0»!\n"
    decoded = decode_bytes(text.encode("utf-8"))
    assert decoded.text == text
    assert decoded.repairs == []


def test_html_entities_are_unescaped() -> None:
    data = b"&ldquo;Don&rsquo;t,&rdquo; he said &amp; left. &#8220;Fine.&#x201D;\n"
    decoded = decode_bytes(data)
    assert decoded.text == "“Don’t,” he said & left. “Fine.”\n"
    assert decoded.repairs == ["html-entities"]


def test_single_entity_is_left_alone() -> None:
    decoded = decode_bytes(b"Tom &amp; Jerry\n")
    assert decoded.text == "Tom &amp; Jerry\n"
    assert decoded.repairs == []


def test_entities_without_semicolon_are_left_alone() -> None:
    decoded = decode_bytes(b"&quot;Take notice&quot;, he said: R&D &notice &copy2020.\n")
    assert decoded.text == '"Take notice", he said: R&D &notice &copy2020.\n'


def test_entities_in_html_markup_are_left_alone() -> None:
    data = b"<p>&quot;Hi&quot;</p>\n<p>&amp; bye</p>\n"
    decoded = decode_bytes(data)
    assert decoded.text == data.decode()
    assert decoded.repairs == []


def test_both_repairs() -> None:
    decoded = decode_bytes("donâ€™t &quot;go&quot;".encode())
    assert decoded.text == 'don’t "go"'
    assert decoded.repairs == ["mojibake", "html-entities"]


def test_line_endings_and_whitespace_are_kept_exactly() -> None:
    text = "  Chapter 1\r\n\r\n\tShe said “hi.”\rHe left.\n\n  \u00a0"
    decoded = decode_bytes(text.encode("utf-8"))
    assert decoded.text == text
    assert decoded.text.count("\r\n") == 2
    assert decoded.text.count("\r") == 3


def test_no_unicode_normalisation() -> None:
    text = "Cafe\u0301 and caf\u00e9.\n"  # decomposed and composed é
    assert decode_bytes(text.encode("utf-8")).text == text


# --- properties -------------------------------------------------------------------------


@given(st.binary(max_size=2048))
def test_any_bytes_decode_or_raise_decode_error(data: bytes) -> None:
    try:
        decoded = decode_bytes(data)
    except DecodeError:
        return
    assert isinstance(decoded.text, str)
    assert isinstance(decoded.encoding, str)


# UTF-8 read as cp1252 looks like a Latin-1 letter followed by characters that cp1252 puts
# in 0x80-0xBF: curly quotes, dashes, guillemets, no-break space ("Ã©", "é»“"). Text with
# that shape is ftfy's to judge, so the round trip leaves it out.
_CP1252_CONTINUATION = bytes(range(0x80, 0xC0)).decode("cp1252", errors="ignore")
_MOJIBAKE_SHAPE = re.compile(f"[\u00c0-\u00ff][{_CP1252_CONTINUATION}]")

# Letters from any script but Latin-1's and cp1252's own, common accented letters,
# punctuation with curly quotes and dashes, and whitespace including CR. No "&" (entities),
# "<" (HTML) or control characters.
_TEXT = st.text(
    st.one_of(
        st.characters(
            categories=["Lu", "Ll", "Lo"],
            exclude_characters=[chr(c) for c in range(0x80, 0x100)] + list("ŒœŠšŽžŸƒ"),
        ),
        st.sampled_from("éèêàâçñüöäïßøåæœÉÇ"),
        st.sampled_from(".,;:!?'\"-()[]*/#“”‘’«»—–…"),
        st.sampled_from(" \t\n\r\f\u00a0"),
    ),
    max_size=300,
).filter(lambda text: not _MOJIBAKE_SHAPE.search(text))


@given(_TEXT)
def test_utf8_text_round_trips(text: str) -> None:
    decoded = decode_bytes(text.encode("utf-8"))
    assert decoded.text == text
    assert decoded.encoding == "utf-8"
    assert decoded.repairs == []
