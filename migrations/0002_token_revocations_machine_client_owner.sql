CREATE TABLE `token_revocations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`server_id` text,
	`org_id` text,
	`sub` text,
	`client_id` text,
	`grant_id` text,
	`issued_before` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`reason` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `token_revocations_expires_idx` ON `token_revocations` (`expires_at`);--> statement-breakpoint
ALTER TABLE `oauth_clients` ADD `owner_org_id` text;--> statement-breakpoint
ALTER TABLE `oauth_clients` ADD `owner_api_key_id` text;