-- Command ids become time-ordered (src/store/command-ids.ts): id = millisecond slot * 16 + k, so
-- "newest first" is "id descending" and search walks its indexes newest first, stopping after one
-- page. Commands are derived data: rather than renumber them in SQL (and rebuild three FTS indexes
-- keyed by the old ids), every session that has commands is queued for extraction again, which the
-- next `import` or `ingest` poll does with the new ids.
INSERT INTO extract_queue (session_id) SELECT DISTINCT session_id FROM commands WHERE true ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- Empty the indexes in one step each instead of through the per-row delete triggers.
DROP TRIGGER `commands_fts_ad`;
--> statement-breakpoint
DROP TRIGGER `commands_fts_grams_ad`;
--> statement-breakpoint
DELETE FROM commands;
--> statement-breakpoint
INSERT INTO commands_fts(commands_fts) VALUES ('delete-all');
--> statement-breakpoint
INSERT INTO commands_words(commands_words) VALUES ('delete-all');
--> statement-breakpoint
INSERT INTO commands_fts_grams(commands_fts_grams) VALUES ('delete-all');
--> statement-breakpoint
CREATE TRIGGER `commands_fts_ad` AFTER DELETE ON `commands` BEGIN
  INSERT INTO commands_fts(commands_fts, rowid, text) VALUES ('delete', old.id, old.text);
  INSERT INTO commands_words(commands_words, rowid, text) VALUES ('delete', old.id, old.text);
END;
--> statement-breakpoint
CREATE TRIGGER `commands_fts_grams_ad` AFTER DELETE ON `commands` BEGIN
  DELETE FROM commands_fts_grams WHERE rowid = old.id;
END;
