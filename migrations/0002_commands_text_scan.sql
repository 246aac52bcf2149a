-- Covering index for command search queries that no FTS index can answer: text shorter than three
-- characters that is rare (`qz`, `本番`). Scanning (text, at) reads ~35 MB per million commands
-- instead of the whole table with its output excerpts (about 3x faster). See src/store/search/plan.ts.
CREATE INDEX `commands_text_at` ON `commands` (`text`, `at`);
