CREATE INDEX `grants_client_idx` ON `grants` (`client_id`);--> statement-breakpoint
CREATE INDEX `oauth_clients_owner_idx` ON `oauth_clients` (`owner_org_id`,`owner_api_key_id`);