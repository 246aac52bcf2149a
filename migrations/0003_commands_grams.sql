-- Gram index for search terms of one or two characters (`w`, `id`, `dd`, `本番`, `qz`), which the
-- trigram index cannot answer. Each command is indexed as its ASCII-lowercased text with U+0001
-- between and around its characters, so every character c becomes the trigram "\1c\1" and every
-- adjacent pair ab the trigram "a\1b": a one- or two-character term is then one trigram token, and
-- its posting list is exactly the set of commands containing it (see src/store/search/grams.ts).
-- detail=none keeps only rowids (~47 MB per million commands). lower() folds ASCII only, the same
-- as LIKE, so the index is exact for every term LIKE is exact for.
-- Texts longer than 4096 characters (never produced by extraction, which keeps one under 64 KiB,
-- but possible) get the sentinel trigram "\2\2\2" instead: substr() is linear in the position, so
-- indexing them would be quadratic; search treats sentinel rows as candidates and checks them.
CREATE TABLE `commands_fts_grams_positions` (`i` integer PRIMARY KEY NOT NULL);
--> statement-breakpoint
INSERT INTO `commands_fts_grams_positions` (`i`)
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4096) SELECT i FROM n;
--> statement-breakpoint
CREATE VIRTUAL TABLE `commands_fts_grams` USING fts5(`grams`, content='', contentless_delete=1, detail=none, tokenize='trigram case_sensitive 1');
--> statement-breakpoint
CREATE TRIGGER `commands_fts_grams_ai` AFTER INSERT ON `commands` BEGIN
  INSERT INTO commands_fts_grams(rowid, grams)
    SELECT new.id, CASE WHEN length(new.text) > 4096 THEN char(2, 2, 2)
      ELSE char(1) || coalesce(group_concat(lower(substr(new.text, i, 1)), char(1) ORDER BY i), '') || char(1) END
    FROM commands_fts_grams_positions WHERE i <= min(length(new.text), 4096);
END;
--> statement-breakpoint
CREATE TRIGGER `commands_fts_grams_ad` AFTER DELETE ON `commands` BEGIN
  DELETE FROM commands_fts_grams WHERE rowid = old.id;
END;
--> statement-breakpoint
CREATE TRIGGER `commands_fts_grams_au` AFTER UPDATE OF `text` ON `commands` BEGIN
  DELETE FROM commands_fts_grams WHERE rowid = old.id;
  INSERT INTO commands_fts_grams(rowid, grams)
    SELECT new.id, CASE WHEN length(new.text) > 4096 THEN char(2, 2, 2)
      ELSE char(1) || coalesce(group_concat(lower(substr(new.text, i, 1)), char(1) ORDER BY i), '') || char(1) END
    FROM commands_fts_grams_positions WHERE i <= min(length(new.text), 4096);
END;
--> statement-breakpoint
-- Commands stored before this migration.
INSERT INTO commands_fts_grams(rowid, grams)
  SELECT c.id, CASE WHEN length(c.text) > 4096 THEN char(2, 2, 2)
    ELSE char(1) || coalesce((SELECT group_concat(lower(substr(c.text, i, 1)), char(1) ORDER BY i)
      FROM commands_fts_grams_positions WHERE i <= length(c.text)), '') || char(1) END
  FROM commands c;
--> statement-breakpoint
-- (at, text) replaces 0002's (text, at): short rare terms now come from the gram index, and this
-- order serves both full reads (same size) and newest-first walks that test the text on the index
-- before reading the row (src/store/search/plan.ts, `timeline`).
DROP INDEX IF EXISTS `commands_text_at`;
--> statement-breakpoint
CREATE INDEX `commands_at_text` ON `commands` (`at`, `text`);
