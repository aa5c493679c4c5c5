CREATE TABLE `first_signing_key` (
	`slot` text PRIMARY KEY NOT NULL,
	`kid` text NOT NULL,
	`record` text NOT NULL,
	`created_at` integer NOT NULL
);
