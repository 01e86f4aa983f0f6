-- Search (issue 28): one trigram index per table over the searched text, instead of one per column. A search
-- then costs one bitmap scan, not three (a BitmapOr of three scans of common trigrams took ~30 ms over a million
-- rows), and an insert updates one GIN index instead of three. The columns are joined by a newline, which a
-- search text cannot contain (single-line text only), so a match never spans two columns.
-- Built before the old indexes are dropped (a DROP INDEX blocks reads until the migration commits).
CREATE INDEX api_keys_search_trgm ON api_keys USING gin ((name || E'\n' || description || E'\n' || hint) gin_trgm_ops);
CREATE INDEX agents_search_trgm ON agents USING gin ((name || E'\n' || description || E'\n' || id) gin_trgm_ops);

DROP INDEX api_keys_name_trgm;
DROP INDEX api_keys_description_trgm;
DROP INDEX api_keys_hint_trgm;
DROP INDEX agents_name_trgm;
DROP INDEX agents_description_trgm;
DROP INDEX agents_id_trgm;
