CREATE TABLE `source_polls` (
	`source_id` text PRIMARY KEY NOT NULL,
	`first_polled_at` integer NOT NULL,
	`last_success_at` integer,
	`last_failure_at` integer,
	`failures` integer DEFAULT 0 NOT NULL,
	`last_error` text
);
