CREATE TABLE `client_health` (
	`server_id` text NOT NULL,
	`client_id` text NOT NULL,
	`first_token_at` integer,
	`last_token_at` integer,
	`last_refresh_at` integer,
	`refresh_count` integer DEFAULT 0 NOT NULL,
	`authorization_count` integer DEFAULT 0 NOT NULL,
	`last_used_at` integer,
	`last_401_at` integer,
	`last_401_reason` text,
	`recent_401_count` integer DEFAULT 0 NOT NULL,
	`last_403_at` integer,
	`last_403_scope` text,
	PRIMARY KEY(`server_id`, `client_id`)
);
--> statement-breakpoint
CREATE TABLE `connection_events` (
	`id` text PRIMARY KEY NOT NULL,
	`server_id` text,
	`client_id` text,
	`requester` text,
	`attempt_key` text,
	`grant_id` text,
	`step` text NOT NULL,
	`ok` integer NOT NULL,
	`detail` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `connection_events_server_idx` ON `connection_events` (`server_id`,`at`);--> statement-breakpoint
CREATE INDEX `connection_events_client_idx` ON `connection_events` (`client_id`,`at`);--> statement-breakpoint
CREATE INDEX `connection_events_requester_idx` ON `connection_events` (`requester`,`at`);--> statement-breakpoint
CREATE INDEX `connection_events_at_idx` ON `connection_events` (`at`);--> statement-breakpoint
-- Hand-written backfill (keep when regenerating): health rows for the grants that exist already,
-- so clients connected before this migration are listed with what the grants know.
INSERT OR IGNORE INTO `client_health` (`server_id`, `client_id`, `first_token_at`, `last_token_at`,
  `last_refresh_at`, `refresh_count`, `authorization_count`, `recent_401_count`)
SELECT `server_id`, `client_id`, MIN(`created_at`), MAX(`last_token_at`), MAX(`last_refresh_at`),
  0, SUM(CASE WHEN `user_id` IS NULL THEN 0 ELSE 1 END), 0
FROM `grants` GROUP BY `server_id`, `client_id`;
