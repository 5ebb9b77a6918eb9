"""The corpus tables: stable Arrow schemas, one per table, versioned as ``CORPUS_SCHEMA``.

A run writes ``DIR/<table>/part-NNNNN.parquet`` for every table below; all parts of a table
share its schema, so pandas, polars, DuckDB and Spark read ``DIR/<table>/`` as one table.
Every table has ``work_id`` (the work's id in the corpus: its path relative to the input
folder, or the ``id`` of a JSONL/Parquet record) and joins on it. Offsets are character
offsets into the work's analysed text, as in the JSON format. Columns are only ever
added, never renamed or retyped, within one ``CORPUS_SCHEMA`` version.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from ficlens.corpus.rows import Row

CORPUS_SCHEMA = "ficlens/corpus/1"

_str = pa.string()
_strs = pa.list_(pa.string())
_i32 = pa.int32()
_i64 = pa.int64()
_f64 = pa.float64()


def _schema(name: str, *columns: tuple[str, pa.DataType, bool, str]) -> pa.Schema:
    fields = [
        pa.field(column, kind, nullable=nullable, metadata={"description": doc})
        for column, kind, nullable, doc in columns
    ]
    return pa.schema(fields, metadata={"ficlens.table": name, "ficlens.schema": CORPUS_SCHEMA})


WORKS = _schema(
    "works",
    ("work_id", _str, False, "the work's id in the corpus"),
    ("path", _str, True, "the file it was read from (None for JSONL/Parquet records)"),
    ("format", _str, False, "the source format: text, html, ao3-html, epub"),
    ("encoding", _str, False, "the codec its bytes were decoded with"),
    ("repairs", _strs, False, "repairs made while decoding (mojibake, html-entities)"),
    ("size_bytes", _i64, False, "bytes read"),
    ("sha256", _str, True, "SHA-256 of the bytes read"),
    ("text_length", _i64, False, "characters in the analysed text"),
    ("title", _str, True, "the title"),
    ("authors", _strs, False, "the authors"),
    ("summary", _str, True, "the summary"),
    ("word_count", _i64, False, "words of story text (notes excluded)"),
    ("chapters", _i32, False, "chapters"),
    ("paragraphs", _i32, False, "story paragraphs"),
    ("notes", _i32, False, "author's notes and other notes around the story"),
    ("quotes", _i32, False, "quotations (rows in the quotes table)"),
    ("speech_quotes", _i32, False, "quotations that are speech"),
    ("dialogue_words", _i64, False, "words inside speech quotations"),
    ("attributed_quotes", _i32, False, "speech quotations with a speaker"),
    ("characters", _i32, False, "characters (rows in the characters table)"),
    ("fandoms", _strs, False, "fandoms, declared or inferred, the likeliest first"),
    ("rating", _str, True, "AO3 rating: inferred, else declared"),
    ("warnings", _strs, False, "AO3 archive warnings (from the tags)"),
    ("categories", _strs, False, "AO3 categories (F/M, M/M, Gen, ...) from the tags"),
    ("main_pairing", _str, True, "the leading romantic relationship, AO3 notation"),
    ("declared_fandoms", _strs, False, "fandoms the work declares"),
    ("declared_rating", _str, True, "the rating the work declares (AO3 scale)"),
    ("declared_relationships", _strs, False, "relationships the work declares"),
    ("declared_characters", _strs, False, "characters the work declares"),
    ("declared_tags", _strs, False, "freeform tags the work declares"),
    ("language", _str, True, "the declared language"),
    ("url", _str, True, "where the work was published"),
    ("published", _str, True, "ISO date"),
    ("updated", _str, True, "ISO date"),
    ("complete", pa.bool_(), True, "whether the work is complete"),
    ("arc_shape", _str, True, "the shape of the emotional arc"),
    ("arc_ending", _str, True, "how the arc ends"),
    ("arc", pa.list_(_f64), False, "the emotional arc, one value a segment"),
    ("ficlens_version", _str, False, "the ficlens that analysed it"),
    ("seconds", _f64, False, "wall time of reading and analysing it (not stable between runs)"),
)

CHARACTERS = _schema(
    "characters",
    ("work_id", _str, False, "the work"),
    ("character_id", _str, False, "the character's id within the work"),
    ("name", _str, False, "the fullest name the text uses"),
    ("canonical", _str, True, "the canon name, when the fandom is known"),
    ("aliases", _strs, False, "the other names the text uses"),
    ("gender", _str, True, "from the pronouns that refer to them"),
    ("role", _str, True, "main, secondary or mentioned"),
    ("mentions", _i32, False, "mentions by name"),
    ("quotes", _i32, False, "quotations they speak"),
    ("words_spoken", _i64, False, "words they speak"),
    ("described", pa.bool_(), False, "a speaker the text describes but never names"),
)

QUOTES = _schema(
    "quotes",
    ("work_id", _str, False, "the work"),
    ("quote_id", _i32, False, "the quotation's id within the work"),
    ("start", _i64, False, "offset of the opening mark"),
    ("end", _i64, False, "offset after the closing mark"),
    ("text_start", _i64, False, "offset of the first character inside the marks"),
    ("text_end", _i64, False, "offset after the last character inside the marks"),
    ("paragraph", _i32, False, "index into the work's story paragraphs"),
    ("chapter", _i32, True, "index of the chapter it is in"),
    ("style", _str, False, "double, single, curly-double, curly-single, guillemet, dash"),
    ("speech", pa.bool_(), False, "false for titles, scare quotes and mentioned words"),
    ("continues", _i32, True, "the quote_id this one continues"),
    ("nested_in", _i32, True, "the quote_id this one is quoted inside"),
    ("speaker", _str, True, "character_id of the speaker"),
    ("speaker_name", _str, True, "the speaker's name"),
    ("addressees", _strs, False, "character_ids spoken to"),
    ("confidence", _f64, True, "of the speaker attribution"),
    ("words", _i32, False, "words inside the marks"),
    ("text", _str, False, "the words inside the marks"),
)

RELATIONSHIPS = _schema(
    "relationships",
    ("work_id", _str, False, "the work"),
    ("characters", _strs, False, "character_ids"),
    ("names", _strs, False, "their names"),
    ("kind", _str, False, "romantic, platonic, family or antagonistic"),
    ("notation", _str, False, "AO3 notation: A/B, A & B"),
    ("on_page", pa.bool_(), False, "whether it happens in the story (not only declared)"),
    ("score", _f64, False, "strength of the evidence"),
    ("evidence", _i32, False, "passages supporting it"),
)

TAGS = _schema(
    "tags",
    ("work_id", _str, False, "the work"),
    ("name", _str, False, "the tag"),
    ("type", _str, False, "rating, warning, category or freeform"),
    ("source", _str, False, "declared or inferred"),
    ("confidence", _f64, False, "of an inferred tag (1.0 when declared)"),
)

FAILURES = _schema(
    "failures",
    ("work_id", _str, False, "the work (for an unreadable record: FILE:LINE or FILE:ROW)"),
    ("path", _str, True, "the file it was read from (FILE:LINE for a record)"),
    ("kind", _str, False, "input (unreadable or not a story) or error (the analysis failed)"),
    ("error", _str, False, "what went wrong, one line"),
)

SCHEMAS: dict[str, pa.Schema] = {
    "works": WORKS,
    "characters": CHARACTERS,
    "quotes": QUOTES,
    "relationships": RELATIONSHIPS,
    "tags": TAGS,
    "failures": FAILURES,
}
TABLES: tuple[str, ...] = tuple(SCHEMAS)


def to_table(name: str, rows: list[Row]) -> pa.Table:
    """``rows`` as an Arrow table of the table ``name``'s schema (extra keys are an error)."""
    schema = SCHEMAS[name]
    return pa.Table.from_pylist(rows, schema=schema)


def check_table(name: str, rows: list[Row]) -> None:
    """Raise ``ValueError`` (or Arrow's error) if ``rows`` would not write as table ``name``:
    a value of the wrong type, or no value where the schema says there always is one."""
    table = to_table(name, rows)
    for field in table.schema:
        if not field.nullable and table.column(field.name).null_count:
            raise ValueError(f"{name}.{field.name} has no value")


def describe() -> dict[str, list[dict[str, Any]]]:
    """Every table's columns: name, Arrow type, nullable, description (for the docs)."""
    return {
        name: [
            {
                "name": field.name,
                "type": str(field.type),
                "nullable": field.nullable,
                "description": (field.metadata or {}).get(b"description", b"").decode(),
            }
            for field in schema
        ]
        for name, schema in SCHEMAS.items()
    }
