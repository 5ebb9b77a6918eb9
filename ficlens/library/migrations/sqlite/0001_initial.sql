-- The library schema, version 1 (SQLite). Keep in step with ../postgresql/0001_initial.sql:
-- the same tables and columns; only identity columns and full-text search differ.
CREATE TABLE schema_version (
    version INTEGER PRIMARY KEY,
    applied_at TEXT NOT NULL
);

CREATE TABLE works (
    id INTEGER PRIMARY KEY,
    path TEXT,
    sha256 TEXT NOT NULL UNIQUE,
    format TEXT NOT NULL,
    title TEXT,
    title_sort TEXT NOT NULL,
    authors TEXT NOT NULL,
    summary TEXT,
    notes TEXT NOT NULL,
    rating TEXT,
    rating_rank INTEGER,
    words INTEGER NOT NULL,
    chapters INTEGER NOT NULL,
    complete INTEGER,
    published TEXT,
    updated TEXT,
    sort_date TEXT NOT NULL,
    language TEXT,
    url TEXT,
    ficlens_version TEXT NOT NULL,
    added_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX works_path ON works (path);
CREATE INDEX works_words ON works (words);
CREATE INDEX works_sort_date ON works (sort_date);
CREATE INDEX works_title_sort ON works (title_sort);
CREATE INDEX works_rating_rank ON works (rating_rank);

-- The analysis (JSON, without the text) and the text, apart from works: search scans works
-- rows, which stay small this way.
CREATE TABLE work_texts (
    work_id INTEGER PRIMARY KEY REFERENCES works (id) ON DELETE CASCADE,
    analysis TEXT NOT NULL,
    text TEXT NOT NULL
);

CREATE TABLE authors (
    work_id INTEGER NOT NULL REFERENCES works (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    name_norm TEXT NOT NULL,
    PRIMARY KEY (work_id, position)
);
CREATE INDEX authors_name ON authors (name_norm);

CREATE TABLE chapters (
    work_id INTEGER NOT NULL REFERENCES works (id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    title TEXT,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    words INTEGER NOT NULL,
    PRIMARY KEY (work_id, idx)
);

CREATE TABLE characters (
    work_id INTEGER NOT NULL REFERENCES works (id) ON DELETE CASCADE,
    char_key TEXT NOT NULL,
    name TEXT NOT NULL,
    canonical TEXT,
    gender TEXT,
    role TEXT,
    mentions INTEGER NOT NULL,
    quotes INTEGER NOT NULL,
    words_spoken INTEGER NOT NULL,
    source TEXT NOT NULL,
    facet INTEGER NOT NULL,
    PRIMARY KEY (work_id, char_key)
);

CREATE TABLE character_names (
    work_id INTEGER NOT NULL,
    char_key TEXT NOT NULL,
    name_norm TEXT NOT NULL,
    PRIMARY KEY (work_id, char_key, name_norm),
    FOREIGN KEY (work_id, char_key) REFERENCES characters (work_id, char_key) ON DELETE CASCADE
);
CREATE INDEX character_names_name ON character_names (name_norm, work_id);

CREATE TABLE quotes (
    work_id INTEGER NOT NULL REFERENCES works (id) ON DELETE CASCADE,
    quote_id INTEGER NOT NULL,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    text TEXT NOT NULL,
    speech INTEGER NOT NULL,
    speaker TEXT,
    addressees TEXT NOT NULL,
    confidence REAL,
    PRIMARY KEY (work_id, quote_id)
);

CREATE TABLE relationships (
    id INTEGER PRIMARY KEY,
    work_id INTEGER NOT NULL REFERENCES works (id) ON DELETE CASCADE,
    notation TEXT NOT NULL,
    notation_norm TEXT NOT NULL,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    on_page INTEGER NOT NULL,
    score REAL NOT NULL,
    evidence TEXT NOT NULL
);
CREATE INDEX relationships_work ON relationships (work_id);

CREATE TABLE relationship_names (
    relationship_id INTEGER NOT NULL REFERENCES relationships (id) ON DELETE CASCADE,
    member INTEGER NOT NULL,
    name_norm TEXT NOT NULL,
    PRIMARY KEY (relationship_id, member, name_norm)
);
CREATE INDEX relationship_names_name ON relationship_names (name_norm);

CREATE TABLE fandoms (
    work_id INTEGER NOT NULL REFERENCES works (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    name_norm TEXT NOT NULL,
    source TEXT NOT NULL,
    confidence REAL NOT NULL,
    evidence TEXT NOT NULL,
    PRIMARY KEY (work_id, name_norm, source)
);
CREATE INDEX fandoms_name ON fandoms (name_norm);

CREATE TABLE tags (
    work_id INTEGER NOT NULL REFERENCES works (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    name_norm TEXT NOT NULL,
    type TEXT NOT NULL,
    source TEXT NOT NULL,
    confidence REAL NOT NULL,
    evidence TEXT NOT NULL,
    PRIMARY KEY (work_id, type, name_norm, source)
);
CREATE INDEX tags_name ON tags (name_norm, work_id);
CREATE INDEX tags_type ON tags (type, work_id);

-- Facet values (one row per distinct fandom, character, relationship, tag, rating,
-- warning, category), how many works carry each, and which works do: facet counts over a
-- result set read integers only, and the whole library's counts are kept, not counted.
CREATE TABLE facet_values (
    id INTEGER PRIMARY KEY,
    facet TEXT NOT NULL,
    value_norm TEXT NOT NULL,
    value TEXT NOT NULL,
    works INTEGER NOT NULL,
    UNIQUE (facet, value_norm)
);

CREATE TABLE work_facets (
    work_id INTEGER NOT NULL REFERENCES works (id) ON DELETE CASCADE,
    value_id INTEGER NOT NULL REFERENCES facet_values (id),
    declared INTEGER NOT NULL,
    inferred INTEGER NOT NULL,
    PRIMARY KEY (work_id, value_id)
);
CREATE INDEX work_facets_value ON work_facets (value_id, work_id);

-- What similar-works ranking compares: one row per (work, feature) with its term weight.
CREATE TABLE features (
    work_id INTEGER NOT NULL REFERENCES works (id) ON DELETE CASCADE,
    feature TEXT NOT NULL,
    label TEXT NOT NULL,
    weight REAL NOT NULL,
    PRIMARY KEY (work_id, feature)
);
CREATE INDEX features_feature ON features (feature);

-- Full text: a contentless FTS5 index (the text is stored once, in work_texts). store.py
-- adds a work's row and removes it with FTS5's 'delete' command and the indexed values.
CREATE VIRTUAL TABLE works_fts USING fts5(
    title, summary, notes, text,
    content = '',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
