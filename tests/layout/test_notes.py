"""Front matter, notes between chapters and end notes, one rule at a time."""

import pytest

from ficlens.layout import build_work
from ficlens.model import Work

STORY = (
    'Gwen set the basket down on the table. "Bread, cheese, and no more excuses," she said.\n\n'
    "Arthur looked at the basket as if it had insulted his father."
)


def kinds(work: Work) -> list[str]:
    return [note.kind for note in work.notes]


def first_story_paragraph(text: str, work: Work) -> str:
    first = work.chapters[0].paragraphs[0]
    return text[first.start : first.end]


@pytest.mark.parametrize(
    "note",
    [
        "A/N: This is for the kink meme, sorry it's late.",
        "AN: Written at 3am, forgive the typos.",
        "Author's Note: I wanted to write something soft after the finale.",
        "(A/N: this one has been sitting in my drafts for a year)",
        "[A/N] Thanks to everyone who left kudos on part one!",
        "Note: unbeta'd, all mistakes are mine.",
    ],
)
def test_labelled_author_notes(note: str) -> None:
    text = f"{note}\n\n{STORY}"
    work = build_work(text)
    assert kinds(work) == ["author-note"]
    assert work.notes[0].text == note
    assert first_story_paragraph(text, work).startswith("Gwen set the basket")


def test_unlabelled_author_voice_paragraph() -> None:
    text = f"My first Merlin fic, be gentle with me... let me know what you think!\n\n{STORY}"
    work = build_work(text)
    assert kinds(work) == ["author-note"]
    assert work.declared.fandoms == ["Merlin"]
    assert first_story_paragraph(text, work).startswith("Gwen")


def test_label_alone_takes_the_next_paragraph_as_its_body() -> None:
    text = f"Author's Note:\n\nThis was written for my sister, who asked nicely.\n\n{STORY}"
    work = build_work(text)
    assert kinds(work) == ["author-note"]
    assert work.notes[0].text.endswith("asked nicely.")
    assert first_story_paragraph(text, work).startswith("Gwen")


def test_parenthesised_note_runs_to_its_closing_parenthesis() -> None:
    text = "(A/N: a long one, this.\n\nIt goes on for two paragraphs, as notes do.)\n\n" + STORY
    work = build_work(text)
    assert kinds(work) == ["author-note"]
    assert work.notes[0].text.endswith("as notes do.)")


def test_setting_summary_warning_disclaimer_lines() -> None:
    text = (
        "(Set after series 3)\n\n"
        "In which Arthur learns to carry his own basket.\n\n"
        "Warnings: swearing/angst\n\n"
        "I don't own Merlin, the BBC does.\n\n" + STORY
    )
    work = build_work(text)
    assert kinds(work) == ["setting", "summary", "warning", "disclaimer"]
    assert work.declared.setting == "Set after series 3"
    assert work.summary == "In which Arthur learns to carry his own basket."
    assert work.declared.tags == ["Swearing", "Angst"]
    assert work.declared.fandoms == ["Merlin"]


def test_header_block_declares_metadata() -> None:
    text = (
        "Title: The Basket\n"
        "Author: hazelnut_wizard\n"
        "Fandom: Merlin (BBC)\n"
        "Rating: K+\n"
        "Pairing: Merlin x Arthur, Gwen & Morgana\n"
        "Characters: Merlin, Arthur, Gwen\n"
        "Warnings: none\n"
        "Beta'd by the patient Sam\n"
        "Dedication: for Jo\n\n" + STORY
    )
    work = build_work(text)
    assert work.title == "The Basket"
    assert work.authors == ["hazelnut_wizard"]
    declared = work.declared
    assert declared.fandoms == ["Merlin (BBC)"]
    assert (declared.rating, declared.rating_as_written) == ("General Audiences", "K+")
    assert declared.relationships == ["Merlin/Arthur", "Gwen & Morgana"]
    assert declared.characters == ["Merlin", "Arthur", "Gwen"]
    assert declared.warnings == ["No Archive Warnings Apply"]
    assert kinds(work) == [
        "title",
        "byline",
        "fandom",
        "rating",
        "pairing",
        "characters",
        "warning",
        "beta",
        "dedication",
    ]
    assert first_story_paragraph(text, work).startswith("Gwen")


@pytest.mark.parametrize(
    ("written", "rating"),
    [
        ("K", "General Audiences"),
        ("T", "Teen And Up Audiences"),
        ("M", "Mature"),
        ("MA", "Explicit"),
        ("PG-13", "Teen And Up Audiences"),
        ("R", "Mature"),
        ("NC-17", "Explicit"),
        ("Teen And Up Audiences", "Teen And Up Audiences"),
    ],
)
def test_ratings_map_to_ao3(written: str, rating: str) -> None:
    work = build_work(f"Rating: {written}\n\n{STORY}")
    assert work.declared.rating == rating


def test_rated_without_colon() -> None:
    work = build_work(f"Rated T for language.\n\n{STORY}")
    assert work.declared.rating == "Teen And Up Audiences"


def test_archive_warning_in_warnings_line() -> None:
    work = build_work(f"Warnings: major character death, hurt/comfort\n\n{STORY}")
    assert work.declared.warnings == ["Major Character Death"]
    assert "Hurt/Comfort" in work.declared.tags


def test_title_and_byline_without_labels() -> None:
    text = f"The Basket\nby hazelnut_wizard\n\n{STORY}"
    work = build_work(text)
    assert work.title == "The Basket"
    assert work.authors == ["hazelnut_wizard"]


def test_story_opening_with_a_short_line_is_not_a_title() -> None:
    text = "Silence.\n\n" + STORY
    work = build_work(text)
    assert work.title is None
    assert work.notes == []
    assert first_story_paragraph(text, work) == "Silence."


def test_notes_between_chapters_and_at_the_end() -> None:
    text = (
        "Chapter 1\n\n"
        "A/N: short chapter, sorry!\n\n" + STORY + "\n\n"
        "A/N: next chapter soon, reviews make me write faster.\n\n"
        "Chapter 2\n\n" + STORY + "\n\n"
        "Thanks for reading! Let me know what you think.\n"
    )
    work = build_work(text)
    assert [(n.kind, n.chapter) for n in work.notes] == [
        ("author-note", 0),
        ("end-note", 0),
        ("end-note", 1),
    ]
    for chapter in work.chapters:
        paragraphs = [text[p.start : p.end] for p in chapter.paragraphs]
        assert paragraphs[0].startswith("Gwen")
        assert paragraphs[-1].startswith("Arthur looked")


def test_notes_never_swallow_story_text() -> None:
    # First-person narration that mentions a story is still story.
    text = (
        "A/N: first person, present tense, wish me luck.\n\n"
        "I tell him the story of the dragon, and he laughs at all the wrong places.\n\n"
        "It is the last thing I remember before the snow."
    )
    work = build_work(text)
    assert kinds(work) == ["author-note"]
    story = [text[p.start : p.end] for p in work.chapters[0].paragraphs]
    assert story[0].startswith("I tell him the story")
    assert len(story) == 2


def test_dialogue_mentioning_reviews_is_story() -> None:
    text = STORY + '\n\n"Let me know what you think of the review," said the king.'
    work = build_work(text)
    assert work.notes == []
    assert len(work.chapters[0].paragraphs) == 3


@pytest.mark.parametrize(
    ("line", "fandoms"),
    [
        ("Fandom: Pride and Prejudice", ["Pride and Prejudice"]),
        ("Fandom: Law & Order: SVU", ["Law & Order: SVU"]),
        (
            "Fandom: Boku no Hero Academia | My Hero Academia",
            ["Boku no Hero Academia | My Hero Academia"],
        ),
        ("Fandoms: Sherlock (TV), Doctor Who", ["Sherlock (TV)", "Doctor Who"]),
        ("Fandom: Harry Potter / Doctor Who crossover", ["Harry Potter", "Doctor Who"]),
    ],
)
def test_fandom_titles_keep_their_and_but_crossovers_split(line: str, fandoms: list[str]) -> None:
    assert build_work(f"{line}\n\n{STORY}").declared.fandoms == fandoms
