CREATE TABLE `alerts` (
	`alert_id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`dedup_key` text NOT NULL,
	`rule_id` text NOT NULL,
	`rule_title` text NOT NULL,
	`rule_author` text,
	`level` text NOT NULL,
	`tags` text NOT NULL,
	`session_id` text,
	`command_text` text,
	`command_at` integer,
	`command_seq` integer,
	`occurrence` integer,
	`user` text,
	`actor` text,
	`target` text,
	`detail` text,
	`link` text,
	`status` text NOT NULL,
	`status_by` text,
	`status_reason` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alerts_dedup` ON `alerts` (`dedup_key`);--> statement-breakpoint
CREATE INDEX `alerts_created` ON `alerts` (`created_at`);--> statement-breakpoint
CREATE INDEX `alerts_session` ON `alerts` (`session_id`);--> statement-breakpoint
CREATE INDEX `alerts_rule` ON `alerts` (`rule_id`);--> statement-breakpoint
CREATE TABLE `detect_queue` (
	`session_id` text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`delivery_id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`alert_id` integer NOT NULL,
	`channel` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL,
	`delivered_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_alert_channel` ON `outbox` (`alert_id`,`channel`);--> statement-breakpoint
CREATE INDEX `outbox_due` ON `outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `rule_states` (
	`rule_id` text PRIMARY KEY NOT NULL,
	`enabled` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `suppressions` (
	`suppression_id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`rule_id` text,
	`actor` text,
	`target` text,
	`command` text,
	`reason` text NOT NULL,
	`expires_at` integer,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`removed_at` integer
);
