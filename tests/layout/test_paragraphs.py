from ficlens.layout.paragraphs import is_hard_wrapped, split_lines, split_paragraphs


def texts(text: str) -> list[str]:
    return [text[p.start : p.end] for p in split_paragraphs(text)]


def test_blank_lines_separate_paragraphs() -> None:
    text = "The tea was cold.\n\nNobody had noticed.\n\n\nNot even Gwen."
    assert texts(text) == ["The tea was cold.", "Nobody had noticed.", "Not even Gwen."]


def test_one_paragraph_per_line_without_blank_lines() -> None:
    text = "He ran.\nShe followed, slower, because her boots were new and pinched.\nThen rain."
    assert texts(text) == [
        "He ran.",
        "She followed, slower, because her boots were new and pinched.",
        "Then rain.",
    ]


WRAPPED = (
    "The corridor outside the library was the coldest place in the castle, and\n"
    "Hermione had learned to walk it quickly, with her arms full of books and her\n"
    "scarf pulled up to her nose so that only her eyes showed above the wool.\n"
    "\n"
    "Ron, who had never learned anything quickly in his life, was waiting at the\n"
    "far end of it with two mugs of cocoa and an expression of deep suspicion on\n"
    "his freckled face, as if the mugs might try something when he looked away.\n"
)


def test_hard_wrapped_lines_join_into_paragraphs() -> None:
    assert is_hard_wrapped(split_lines(WRAPPED))
    paragraphs = texts(WRAPPED)
    assert len(paragraphs) == 2
    assert paragraphs[0].startswith("The corridor") and paragraphs[0].endswith("the wool.")
    assert "\n" in paragraphs[1]  # the line breaks stay inside the span, untouched


def test_hard_wrapped_header_lines_stay_apart() -> None:
    text = "Title: Cocoa\nRating: G\n\n" + WRAPPED
    assert texts(text)[:2] == ["Title: Cocoa", "Rating: G"]


def test_indented_first_lines_start_paragraphs_in_wrapped_text() -> None:
    text = WRAPPED.replace("\n\nRon,", "\n    Ron,")
    assert len(texts(text)) == 2


def test_crlf_and_lone_cr_line_endings() -> None:
    for newline in ("\r\n", "\r"):
        text = newline.join(["First line.", "", "Second line.", "Third line."])
        assert texts(text) == ["First line.", "Second line.", "Third line."]


def test_spans_exclude_surrounding_whitespace() -> None:
    text = "   indented start.  \n\n\t tabbed.\t"
    assert texts(text) == ["indented start.", "tabbed."]


def test_empty_and_blank_text_has_no_paragraphs() -> None:
    assert split_paragraphs("") == []
    assert split_paragraphs(" \n\n \r\n") == []
