CREATE TABLE `command_texts` (
	`id` integer PRIMARY KEY NOT NULL,
	`text` text NOT NULL,
	`commands` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `command_texts_text` ON `command_texts` (`text`);--> statement-breakpoint
CREATE INDEX `sessions_actor_folded` ON `sessions` (lower("actor"),`started_at`);
--> statement-breakpoint
-- Its trigram index, tokenized like commands_fts: a candidate filter, every candidate is checked
-- against the exact match rule (store/fold.ts) before its commands are counted.
CREATE VIRTUAL TABLE `command_texts_fts` USING fts5(`text`, content='command_texts', content_rowid='id', tokenize='trigram case_sensitive 0');
--> statement-breakpoint
CREATE TRIGGER `command_texts_fts_ai` AFTER INSERT ON `command_texts` BEGIN
  INSERT INTO command_texts_fts(rowid, text) VALUES (new.id, new.text);
END;
--> statement-breakpoint
CREATE TRIGGER `command_texts_fts_ad` AFTER DELETE ON `command_texts` BEGIN
  INSERT INTO command_texts_fts(command_texts_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
--> statement-breakpoint
-- The counts follow every insert, delete and text change of a command; a text no command has any
-- more is removed (with its index entry).
CREATE TRIGGER `command_texts_ai` AFTER INSERT ON `commands` BEGIN
  INSERT INTO command_texts(text, commands) VALUES (new.text, 1)
    ON CONFLICT(text) DO UPDATE SET commands = commands + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `command_texts_ad` AFTER DELETE ON `commands` BEGIN
  UPDATE command_texts SET commands = commands - 1 WHERE text = old.text;
  DELETE FROM command_texts WHERE text = old.text AND commands <= 0;
END;
--> statement-breakpoint
CREATE TRIGGER `command_texts_au` AFTER UPDATE OF `text` ON `commands` BEGIN
  UPDATE command_texts SET commands = commands - 1 WHERE text = old.text;
  DELETE FROM command_texts WHERE text = old.text AND commands <= 0;
  INSERT INTO command_texts(text, commands) VALUES (new.text, 1)
    ON CONFLICT(text) DO UPDATE SET commands = commands + 1;
END;
--> statement-breakpoint
-- Existing commands: counted once here (the bench corpus: 16,000 texts of 1,000,000 commands).
INSERT INTO command_texts(text, commands) SELECT text, count(*) FROM commands WHERE true GROUP BY text ORDER BY text;
