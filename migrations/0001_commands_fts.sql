-- Full-text indexes over commands.text. Drizzle has no virtual-table support, so they live here.
-- commands_fts (trigram) answers substrings of 3+ characters: '/etc/shadow', 'rm -rf', 'base64 -d'.
-- commands_words (unicode61) answers whole words of any length, so 'id', 'su', 'dd' work too.
CREATE VIRTUAL TABLE `commands_fts` USING fts5(`text`, content='commands', content_rowid='id', tokenize='trigram case_sensitive 0');
--> statement-breakpoint
CREATE VIRTUAL TABLE `commands_words` USING fts5(`text`, content='commands', content_rowid='id', tokenize='unicode61 remove_diacritics 0');
--> statement-breakpoint
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
