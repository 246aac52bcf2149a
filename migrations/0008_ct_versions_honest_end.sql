-- CloudTrail records are keyed by eventID, content version (src/store/record-digest.ts) and source,
-- so a forged record that reuses a genuine eventID is kept beside it instead of silently replacing
-- it, and every delivery stays exactly as received. Rows copied here get digest '' and are
-- backfilled by the store on open (SQLite has no SHA-256).
-- Sessions: `ended_at` is only ever what evidence says; the old `max_duration` assumption moves to
-- `assumed_end_at` and those sessions are extracted again (command times were spread up to it).
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_ct_events` (
	`event_id` text NOT NULL,
	`digest` text DEFAULT '' NOT NULL,
	`event_name` text NOT NULL,
	`event_time` integer NOT NULL,
	`session_id` text,
	`account_id` text,
	`region` text,
	`target` text,
	`document_name` text,
	`parameters` text,
	`reason` text,
	`principal_arn` text,
	`principal_type` text,
	`actor` text,
	`source_ip` text,
	`user_agent` text,
	`error_code` text,
	`error_message` text,
	`origin` text NOT NULL,
	`raw` text NOT NULL,
	PRIMARY KEY(`event_id`, `digest`, `origin`)
);
--> statement-breakpoint
INSERT INTO `__new_ct_events`("event_id", "digest", "event_name", "event_time", "session_id", "account_id", "region", "target", "document_name", "parameters", "reason", "principal_arn", "principal_type", "actor", "source_ip", "user_agent", "error_code", "error_message", "origin", "raw") SELECT "event_id", '', "event_name", "event_time", "session_id", "account_id", "region", "target", "document_name", "parameters", "reason", "principal_arn", "principal_type", "actor", "source_ip", "user_agent", "error_code", "error_message", "origin", "raw" FROM `ct_events`;--> statement-breakpoint
DROP TABLE `ct_events`;--> statement-breakpoint
ALTER TABLE `__new_ct_events` RENAME TO `ct_events`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `ct_events_session` ON `ct_events` (`session_id`);--> statement-breakpoint
CREATE INDEX `ct_events_denied` ON `ct_events` (`event_name`,`error_code`,`event_time`);--> statement-breakpoint
ALTER TABLE `sessions` ADD `assumed_end_at` integer;--> statement-breakpoint
ALTER TABLE `sessions` ADD `conflicts` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
UPDATE `sessions` SET `assumed_end_at` = `ended_at`, `ended_at` = NULL, `end_source` = NULL WHERE `end_source` = 'max_duration';--> statement-breakpoint
INSERT INTO `extract_queue` (`session_id`) SELECT `session_id` FROM `sessions` WHERE `assumed_end_at` IS NOT NULL AND `transcript_sources` != '[]' ON CONFLICT DO NOTHING;
