ALTER TABLE `oauth_clients` ADD `owner_user_id` text;--> statement-breakpoint
ALTER TABLE `refresh_tokens` ADD `replaced_by` text;