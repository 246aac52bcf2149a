-- `executed` becomes nullable: a command whose execution the extractor cannot tell is stored with
-- executed NULL and fidelity 'uncertain' (never as aborted). SQLite cannot drop NOT NULL in place,
-- so drizzle-kit rebuilds the table; ids and text are copied unchanged, so the FTS5 indexes (keyed
-- by id, content='commands') stay valid, but DROP TABLE took the index triggers with it: they are
-- created again at the end, exactly as 0001/0003/0005 made them, and so are the indexes of 0002/0003.
-- Sessions gain the extractor version that produced their commands and why they are incomplete.
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_commands` (
	`id` integer PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`seq` integer NOT NULL,
	`text` text NOT NULL,
	`user` text,
	`executed` integer,
	`at` integer,
	`at_precision` text,
	`cwd` text,
	`exit_code` integer,
	`fidelity` text DEFAULT 'exact' NOT NULL,
	`output` text
);
--> statement-breakpoint
INSERT INTO `__new_commands`("id", "session_id", "seq", "text", "user", "executed", "at", "at_precision", "cwd", "exit_code", "fidelity", "output") SELECT "id", "session_id", "seq", "text", "user", "executed", "at", "at_precision", "cwd", "exit_code", "fidelity", "output" FROM `commands`;--> statement-breakpoint
DROP TABLE `commands`;--> statement-breakpoint
ALTER TABLE `__new_commands` RENAME TO `commands`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `commands_session_seq` ON `commands` (`session_id`,`seq`);--> statement-breakpoint
CREATE INDEX `commands_at` ON `commands` (`at`);--> statement-breakpoint
CREATE INDEX `commands_session_text` ON `commands` (`session_id`,`text`);--> statement-breakpoint
-- The search planner's covering indexes from the custom migrations 0002 and 0003 (dropped with the table).
CREATE INDEX `commands_text_at` ON `commands` (`text`, `at`);--> statement-breakpoint
CREATE INDEX `commands_at_text` ON `commands` (`at`, `text`);--> statement-breakpoint
ALTER TABLE `sessions` ADD `extractor_version` integer;--> statement-breakpoint
ALTER TABLE `sessions` ADD `commands_incomplete` text;--> statement-breakpoint
CREATE TRIGGER `commands_fts_ai` AFTER INSERT ON `commands` BEGIN
  INSERT INTO commands_fts(rowid, text) VALUES (new.id, new.text);
  INSERT INTO commands_words(rowid, text) VALUES (new.id, new.text);
END;
--> statement-breakpoint
CREATE TRIGGER `commands_fts_ad` AFTER DELETE ON `commands` BEGIN
  INSERT INTO commands_fts(commands_fts, rowid, text) VALUES ('delete', old.id, old.text);
  INSERT INTO commands_words(commands_words, rowid, text) VALUES ('delete', old.id, old.text);
END;
--> statement-breakpoint
CREATE TRIGGER `commands_fts_au` AFTER UPDATE OF `text` ON `commands` BEGIN
  INSERT INTO commands_fts(commands_fts, rowid, text) VALUES ('delete', old.id, old.text);
  INSERT INTO commands_words(commands_words, rowid, text) VALUES ('delete', old.id, old.text);
  INSERT INTO commands_fts(rowid, text) VALUES (new.id, new.text);
  INSERT INTO commands_words(rowid, text) VALUES (new.id, new.text);
END;
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
