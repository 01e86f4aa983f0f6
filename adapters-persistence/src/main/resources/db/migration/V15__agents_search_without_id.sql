-- Agent creation (issue 28): the agents' search index no longer covers the id. A generated id is 22 random
-- characters whose trigrams land in as many posting lists of the GIN index on every insert; agent creation (bench
-- s5) measured 4,866 req/s with them and 5,695 without. A search finds an agent by its exact id through the primary key.
-- Built before the old index is dropped (a DROP INDEX blocks reads until the migration commits).
CREATE INDEX agents_search_name_description_trgm ON agents USING gin ((name || E'\n' || description) gin_trgm_ops);
DROP INDEX agents_search_trgm;
