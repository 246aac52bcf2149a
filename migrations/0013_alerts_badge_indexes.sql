DROP INDEX `alerts_session`;--> statement-breakpoint
CREATE INDEX `alerts_session_status_level` ON `alerts` (`session_id`,`status`,`level`);--> statement-breakpoint
CREATE INDEX `alerts_status_level_session` ON `alerts` (`status`,`level`,`session_id`);