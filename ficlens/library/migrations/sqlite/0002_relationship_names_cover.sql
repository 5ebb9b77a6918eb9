-- pair:"A/B" and rel:"A & B" look relationship members up by name; covering the lookup
-- lets the index alone answer it (about 32 ms -> 10 ms at 100,000 works).
CREATE INDEX relationship_names_cover ON relationship_names (name_norm, relationship_id, member);
