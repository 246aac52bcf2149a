ALTER TABLE `tokens` ADD `last_used_at` integer;--> statement-breakpoint
CREATE INDEX `sessions_principal_started` ON `sessions` (`principal_arn`,`started_at`);--> statement-breakpoint
CREATE INDEX `sessions_coverage_started` ON `sessions` (`coverage`,`started_at`);