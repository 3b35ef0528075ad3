CREATE TABLE `checkpoints` (
	`source` text PRIMARY KEY NOT NULL,
	`cursor` text NOT NULL,
	`slot` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `devices` (
	`address` text PRIMARY KEY NOT NULL,
	`owner` text NOT NULL,
	`device_key` text NOT NULL,
	`gpu_model` integer NOT NULL,
	`gpu_count` integer NOT NULL,
	`vram_gb` integer NOT NULL,
	`region` integer NOT NULL,
	`bandwidth_tier` integer NOT NULL,
	`multiplier_bps` integer NOT NULL,
	`minimum_stake` integer NOT NULL,
	`stake` integer DEFAULT 0 NOT NULL,
	`co_stake` integer DEFAULT 0 NOT NULL,
	`status` integer DEFAULT 0 NOT NULL,
	`lease` text,
	`proven_hours` integer DEFAULT 0 NOT NULL,
	`faults` integer DEFAULT 0 NOT NULL,
	`slashed` integer DEFAULT 0 NOT NULL,
	`earned` integer DEFAULT 0 NOT NULL,
	`rewards` integer DEFAULT 0 NOT NULL,
	`reward_weight` integer DEFAULT 0 NOT NULL,
	`nominated` integer DEFAULT false NOT NULL,
	`deregistered` integer DEFAULT false NOT NULL,
	`registered_at` integer,
	`registered_slot` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `devices_owner` ON `devices` (`owner`);--> statement-breakpoint
CREATE INDEX `devices_model` ON `devices` (`gpu_model`,`address`);--> statement-breakpoint
CREATE INDEX `devices_region` ON `devices` (`region`,`address`);--> statement-breakpoint
CREATE TABLE `events` (
	`id` integer PRIMARY KEY NOT NULL,
	`signature` text NOT NULL,
	`instruction` integer NOT NULL,
	`ordinal` integer NOT NULL,
	`slot` integer NOT NULL,
	`block_index` integer NOT NULL,
	`block_time` integer,
	`program` text NOT NULL,
	`name` text NOT NULL,
	`data` text NOT NULL,
	`commitment` text NOT NULL,
	`source` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `events_key` ON `events` (`signature`,`instruction`,`ordinal`);--> statement-breakpoint
CREATE INDEX `events_order` ON `events` (`slot`,`block_index`,`instruction`,`ordinal`);--> statement-breakpoint
CREATE TABLE `lease_devices` (
	`lease` text NOT NULL,
	`slot` integer NOT NULL,
	`device` text NOT NULL,
	`gpus` integer NOT NULL,
	`first_hour` integer NOT NULL,
	`proven_hours` integer DEFAULT 0 NOT NULL,
	`earned` integer DEFAULT 0 NOT NULL,
	`faults` integer DEFAULT 0 NOT NULL,
	`released` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`lease`, `slot`)
);
--> statement-breakpoint
CREATE INDEX `lease_devices_device` ON `lease_devices` (`device`);--> statement-breakpoint
CREATE TABLE `leases` (
	`address` text PRIMARY KEY NOT NULL,
	`renter` text NOT NULL,
	`payment_mint` text NOT NULL,
	`gpu_model` integer NOT NULL,
	`gpu_count` integer NOT NULL,
	`hours` integer NOT NULL,
	`hours_booked` integer NOT NULL,
	`price_per_gpu_hour` integer NOT NULL,
	`deposited` integer NOT NULL,
	`fees` integer NOT NULL,
	`origin` integer NOT NULL,
	`status` text NOT NULL,
	`devices` integer DEFAULT 0 NOT NULL,
	`proven_hours` integer DEFAULT 0 NOT NULL,
	`earned` integer DEFAULT 0 NOT NULL,
	`refunded` integer DEFAULT 0 NOT NULL,
	`created_at` integer,
	`created_slot` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `leases_created` ON `leases` (`created_slot`,`address`);--> statement-breakpoint
CREATE INDEX `leases_renter` ON `leases` (`renter`,`created_slot`);--> statement-breakpoint
CREATE INDEX `leases_model_time` ON `leases` (`gpu_model`,`created_at`);--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `reward_hours` (
	`hour` integer PRIMARY KEY NOT NULL,
	`hour_start` integer,
	`amount` integer DEFAULT 0 NOT NULL,
	`total_weight` integer DEFAULT 0 NOT NULL,
	`nominated` integer DEFAULT 0 NOT NULL,
	`succeeded` integer DEFAULT 0 NOT NULL,
	`emitted` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE `uptime` (
	`device` text NOT NULL,
	`hour_start` integer NOT NULL,
	PRIMARY KEY(`device`, `hour_start`)
);
--> statement-breakpoint
CREATE TABLE `wallet_activity` (
	`id` integer PRIMARY KEY NOT NULL,
	`wallet` text NOT NULL,
	`kind` text NOT NULL,
	`amount` integer NOT NULL,
	`device` text,
	`lease` text,
	`signature` text NOT NULL,
	`slot` integer NOT NULL,
	`block_time` integer
);
--> statement-breakpoint
CREATE INDEX `wallet_activity_wallet` ON `wallet_activity` (`wallet`,`id`);