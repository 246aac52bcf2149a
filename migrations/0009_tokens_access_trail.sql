CREATE TABLE `access_trail` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`action` text NOT NULL,
	`actor` text NOT NULL,
	`role` text,
	`token_id` text,
	`source_ip` text,
	`subject` text,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `access_trail_at` ON `access_trail` (`at`);--> statement-breakpoint
CREATE TABLE `tokens` (
	`token_id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`secret_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer,
	`revoked_at` integer,
	`parent_id` text,
	`created_by` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tokens_secret` ON `tokens` (`secret_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `tokens_active_api_name` ON `tokens` (`name`) WHERE kind = 'api' AND revoked_at IS NULL;--> statement-breakpoint
CREATE INDEX `tokens_parent` ON `tokens` (`parent_id`);--> statement-breakpoint
-- The access trail is append-only: the database refuses to change or remove an entry.
CREATE TRIGGER `access_trail_no_update` BEFORE UPDATE ON `access_trail` BEGIN SELECT RAISE(ABORT, 'the access trail is append-only'); END;--> statement-breakpoint
CREATE TRIGGER `access_trail_no_delete` BEFORE DELETE ON `access_trail` BEGIN SELECT RAISE(ABORT, 'the access trail is append-only'); END;
