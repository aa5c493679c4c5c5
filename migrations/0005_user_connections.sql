CREATE TABLE `connection_flows` (
	`state_hash` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`server_id` text NOT NULL,
	`name` text NOT NULL,
	`code_verifier` text NOT NULL,
	`resume` text,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`server_id`) REFERENCES `servers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `connection_flows_expires_idx` ON `connection_flows` (`expires_at`);--> statement-breakpoint
CREATE TABLE `user_connections` (
	`id` text PRIMARY KEY NOT NULL,
	`server_id` text NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`status` text NOT NULL,
	`status_reason` text,
	`scope` text,
	`ciphertext` text NOT NULL,
	`iv` text NOT NULL,
	`wrapped_key` text NOT NULL,
	`key_version` integer NOT NULL,
	`generation` integer NOT NULL,
	`access_expires_at` integer,
	`last_refreshed_at` integer,
	`last_used_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`server_id`) REFERENCES `servers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `user_connections_server_user_name_idx` ON `user_connections` (`server_id`,`user_id`,`name`);--> statement-breakpoint
CREATE INDEX `user_connections_user_idx` ON `user_connections` (`user_id`);