CREATE TABLE `fee_burns` (
	`id` integer PRIMARY KEY NOT NULL,
	`mint` text NOT NULL,
	`amount` integer NOT NULL,
	`total_burned` integer NOT NULL,
	`signature` text NOT NULL,
	`slot` integer NOT NULL,
	`block_time` integer
);
--> statement-breakpoint
CREATE TABLE `slash_proposals` (
	`id` integer PRIMARY KEY NOT NULL,
	`device` text NOT NULL,
	`proposal` text NOT NULL,
	`authority` text NOT NULL,
	`bps` integer NOT NULL,
	`reason` integer NOT NULL,
	`status` text NOT NULL,
	`proposed_at` integer,
	`proposed_slot` integer NOT NULL,
	`executable_at` integer NOT NULL,
	`resolved_at` integer,
	`amount` integer,
	`signature` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `slash_proposals_device` ON `slash_proposals` (`device`,`id`);--> statement-breakpoint
ALTER TABLE `devices` ADD `unbonding` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `devices` ADD `co_unbonding` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `devices` ADD `last_fault_at` integer;