-- 0003 dropped this index (the trigram and word FTS indexes answer every text query); the table
-- rebuild of 0007 re-created it by mistake. It costs about 39 MB and one index write per million
-- commands and no query uses it.
DROP INDEX IF EXISTS `commands_text_at`;
