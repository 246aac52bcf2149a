CREATE TABLE `checkpoints` (
	`source_id` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `commands` (
	`id` integer PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`seq` integer NOT NULL,
	`text` text NOT NULL,
	`user` text,
	`executed` integer NOT NULL,
	`at` integer,
	`at_precision` text,
	`cwd` text,
	`exit_code` integer,
	`fidelity` text DEFAULT 'exact' NOT NULL,
	`output` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `commands_session_seq` ON `commands` (`session_id`,`seq`);--> statement-breakpoint
CREATE INDEX `commands_at` ON `commands` (`at`);--> statement-breakpoint
CREATE TABLE `ct_events` (
	`event_id` text PRIMARY KEY NOT NULL,
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
	`raw` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ct_events_session` ON `ct_events` (`session_id`);--> statement-breakpoint
CREATE INDEX `ct_events_denied` ON `ct_events` (`event_name`,`error_code`,`event_time`);--> statement-breakpoint
CREATE TABLE `cw_events` (
	`transcript_id` text NOT NULL,
	`seq` integer NOT NULL,
	`timestamp` integer NOT NULL,
	`ingestion_time` integer,
	`message` text NOT NULL,
	PRIMARY KEY(`transcript_id`, `seq`)
);
--> statement-breakpoint
CREATE TABLE `describe_snapshots` (
	`session_id` text NOT NULL,
	`status` text NOT NULL,
	`account_id` text,
	`region` text,
	`target` text,
	`document_name` text,
	`owner` text,
	`reason` text,
	`started_at` integer,
	`ended_at` integer,
	`output_url` text,
	`raw` text NOT NULL,
	PRIMARY KEY(`session_id`, `status`, `raw`)
);
--> statement-breakpoint
CREATE TABLE `extract_queue` (
	`session_id` text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE `findings` (
	`finding_id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`code` text NOT NULL,
	`session_id` text NOT NULL,
	`detail` text NOT NULL,
	`detected_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `findings_session` ON `findings` (`session_id`);--> statement-breakpoint
CREATE TABLE `ingest_ledger` (
	`source_id` text NOT NULL,
	`item_key` text NOT NULL,
	`version` text NOT NULL,
	`outcome` text NOT NULL,
	`records` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`source_id`, `item_key`, `version`)
);
--> statement-breakpoint
CREATE TABLE `quarantine` (
	`source_id` text NOT NULL,
	`item_key` text NOT NULL,
	`reason` text NOT NULL,
	`detail` text,
	PRIMARY KEY(`source_id`, `item_key`, `reason`)
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`session_id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`account_id` text,
	`region` text,
	`target` text,
	`principal_arn` text,
	`principal_type` text,
	`actor` text,
	`source_ip` text,
	`user_agent` text,
	`document_name` text,
	`parameters` text,
	`reason` text,
	`started_at` integer,
	`start_source` text,
	`ended_at` integer,
	`end_source` text,
	`terminated_by` text,
	`status` text,
	`owner` text,
	`output_url` text,
	`identity_verified` integer DEFAULT false NOT NULL,
	`run_as_user` text,
	`coverage` text,
	`transcript_sources` text DEFAULT '[]' NOT NULL,
	`term_cols` integer,
	`term_cols_source` text
);
--> statement-breakpoint
CREATE INDEX `sessions_started` ON `sessions` (`started_at`);--> statement-breakpoint
CREATE INDEX `sessions_actor` ON `sessions` (`actor`);--> statement-breakpoint
CREATE INDEX `sessions_target` ON `sessions` (`target`);--> statement-breakpoint
CREATE TABLE `transcript_chunks` (
	`transcript_id` text NOT NULL,
	`seq` integer NOT NULL,
	`raw_size` integer NOT NULL,
	`data` blob NOT NULL,
	PRIMARY KEY(`transcript_id`, `seq`)
);
--> statement-breakpoint
CREATE TABLE `transcripts` (
	`transcript_id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`source` text NOT NULL,
	`location` text NOT NULL,
	`etag` text,
	`version_id` text,
	`sha256` text,
	`byte_size` integer DEFAULT 0 NOT NULL,
	`format` text NOT NULL,
	`header_time` integer,
	`last_modified` integer,
	`first_event_at` integer,
	`last_event_at` integer,
	`claimed_target` text,
	`claimed_principal_arn` text,
	`claimed_run_as_user` text
);
--> statement-breakpoint
CREATE INDEX `transcripts_session` ON `transcripts` (`session_id`);--> statement-breakpoint
CREATE TABLE `writer_lease` (
	`id` integer PRIMARY KEY NOT NULL,
	`holder` text NOT NULL,
	`pid` integer NOT NULL,
	`host` text NOT NULL,
	`acquired_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
