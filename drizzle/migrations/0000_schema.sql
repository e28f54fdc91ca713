CREATE TYPE "public"."alert_level" AS ENUM('INFO', 'WARNING', 'CRITICAL', 'FATAL');--> statement-breakpoint
CREATE TYPE "public"."alert_status" AS ENUM('ACTIVE', 'ACKNOWLEDGED', 'RESOLVED', 'SUPPRESSED');--> statement-breakpoint
CREATE TYPE "public"."compare_op" AS ENUM('GT', 'LT', 'GTE', 'LTE', 'EQ', 'NE', 'BETWEEN', 'NOT_BETWEEN');--> statement-breakpoint
CREATE TYPE "public"."device_status" AS ENUM('Online', 'Offline', 'Error', 'Maintenance', 'Unknown');--> statement-breakpoint
CREATE TYPE "public"."driver_status" AS ENUM('LOADED', 'RUNNING', 'STOPPED', 'ERROR', 'UNLOADED');--> statement-breakpoint
CREATE TYPE "public"."protocol_kind" AS ENUM('ModbusTcp', 'ModbusRtu', 'OpcUa', 'Mqtt', 'Custom');--> statement-breakpoint
CREATE TYPE "public"."tag_access" AS ENUM('Read', 'Write', 'ReadWrite');--> statement-breakpoint
CREATE TYPE "public"."tag_data_type" AS ENUM('Boolean', 'Int8', 'UInt8', 'Int16', 'UInt16', 'Int32', 'UInt32', 'Int64', 'UInt64', 'Float', 'Double', 'String', 'DateTime', 'ByteArray');--> statement-breakpoint
CREATE TYPE "public"."user_role" AS ENUM('ADMIN', 'OPERATOR', 'VIEWER', 'MAINTENANCE');--> statement-breakpoint
CREATE TYPE "public"."user_status" AS ENUM('ACTIVE', 'INACTIVE', 'LOCKED', 'EXPIRED');--> statement-breakpoint
CREATE TABLE "alert_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"rule_id" uuid,
	"device_id" uuid,
	"tag_id" uuid,
	"fired_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" varchar(255),
	"triggered_value" double precision,
	"threshold_value" double precision,
	"level" "alert_level" NOT NULL,
	"status" "alert_status" DEFAULT 'ACTIVE' NOT NULL,
	"message" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb,
	"duration" interval,
	CONSTRAINT "alert_history_resolved_after_fired" CHECK ("alert_history"."resolved_at" IS NULL OR "alert_history"."resolved_at" >= "alert_history"."fired_at"),
	CONSTRAINT "alert_history_ack_after_fired" CHECK ("alert_history"."acknowledged_at" IS NULL OR "alert_history"."acknowledged_at" >= "alert_history"."fired_at")
);
--> statement-breakpoint
CREATE TABLE "alert_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(255) NOT NULL,
	"description" text,
	"device_id" uuid,
	"tag_id" uuid,
	"condition_expression" text NOT NULL,
	"op" "compare_op" NOT NULL,
	"threshold_value" double precision,
	"threshold_high" double precision,
	"threshold_low" double precision,
	"level" "alert_level" NOT NULL,
	"eval_interval" interval DEFAULT '1 minute' NOT NULL,
	"eval_duration" interval,
	"cooldown_duration" interval DEFAULT '5 minutes',
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" varchar(255),
	CONSTRAINT "alert_rules_name_key" UNIQUE("name"),
	CONSTRAINT "alert_rules_name_not_empty" CHECK (LENGTH(TRIM("alert_rules"."name")) > 0),
	CONSTRAINT "alert_rules_threshold_check" CHECK (("alert_rules"."op" IN ('BETWEEN', 'NOT_BETWEEN') AND "alert_rules"."threshold_high" IS NOT NULL AND "alert_rules"."threshold_low" IS NOT NULL) OR ("alert_rules"."op" NOT IN ('BETWEEN', 'NOT_BETWEEN') AND "alert_rules"."threshold_value" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "devices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(255) NOT NULL,
	"description" text,
	"protocol" "protocol_kind" NOT NULL,
	"location" varchar(255),
	"endpoint" varchar(255) NOT NULL,
	"config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"status" "device_status" DEFAULT 'Unknown' NOT NULL,
	"last_seen" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" varchar(255),
	"updated_by" varchar(255),
	CONSTRAINT "devices_name_key" UNIQUE("name"),
	CONSTRAINT "devices_name_not_empty" CHECK (LENGTH(TRIM("devices"."name")) > 0),
	CONSTRAINT "devices_endpoint_not_empty" CHECK (LENGTH(TRIM("devices"."endpoint")) > 0)
);
--> statement-breakpoint
CREATE TABLE "tags" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"device_id" uuid NOT NULL,
	"name" varchar(255) NOT NULL,
	"description" text,
	"address" varchar(255) NOT NULL,
	"data_type" "tag_data_type" NOT NULL,
	"access_type" "tag_access" DEFAULT 'Read' NOT NULL,
	"unit" varchar(50),
	"scaling" double precision DEFAULT 1,
	"tag_offset" double precision DEFAULT 0,
	"min_value" double precision,
	"max_value" double precision,
	"deadband" double precision,
	"scan_rate" integer,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tags_device_name_unique" UNIQUE("device_id","name"),
	CONSTRAINT "tags_name_not_empty" CHECK (LENGTH(TRIM("tags"."name")) > 0),
	CONSTRAINT "tags_address_not_empty" CHECK (LENGTH(TRIM("tags"."address")) > 0),
	CONSTRAINT "tags_scaling_positive" CHECK ("tags"."scaling" > 0),
	CONSTRAINT "tags_scan_rate_positive" CHECK ("tags"."scan_rate" IS NULL OR "tags"."scan_rate" > 0),
	CONSTRAINT "tags_min_max_order" CHECK ("tags"."min_value" IS NULL OR "tags"."max_value" IS NULL OR "tags"."min_value" <= "tags"."max_value")
);
--> statement-breakpoint
CREATE TABLE "driver_configs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(255) NOT NULL,
	"description" text,
	"protocol" varchar(50) NOT NULL,
	"connection_type" varchar(50) NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"scan_interval" integer DEFAULT 1000 NOT NULL,
	"timeout" integer DEFAULT 5000 NOT NULL,
	"max_concurrent" integer DEFAULT 10 NOT NULL,
	"batch_size" integer DEFAULT 100 NOT NULL,
	"max_retries" integer DEFAULT 3 NOT NULL,
	"retry_interval" integer DEFAULT 1000 NOT NULL,
	"exponential_backoff" boolean DEFAULT true NOT NULL,
	"max_retry_interval" integer DEFAULT 30000 NOT NULL,
	"log_level" varchar(20) DEFAULT 'INFO' NOT NULL,
	"enable_request_log" boolean DEFAULT false NOT NULL,
	"enable_response_log" boolean DEFAULT false NOT NULL,
	"max_log_size" integer DEFAULT 1000000 NOT NULL,
	"enable_ssl" boolean DEFAULT false NOT NULL,
	"verify_certificate" boolean DEFAULT true NOT NULL,
	"client_cert_path" text,
	"client_key_path" text,
	"ca_cert_path" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "driver_configs_name_key" UNIQUE("name"),
	CONSTRAINT "driver_configs_name_not_empty" CHECK (LENGTH(TRIM("driver_configs"."name")) > 0),
	CONSTRAINT "driver_configs_scan_interval_positive" CHECK ("driver_configs"."scan_interval" > 0),
	CONSTRAINT "driver_configs_timeout_positive" CHECK ("driver_configs"."timeout" > 0),
	CONSTRAINT "driver_configs_max_concurrent_positive" CHECK ("driver_configs"."max_concurrent" > 0),
	CONSTRAINT "driver_configs_batch_size_positive" CHECK ("driver_configs"."batch_size" > 0)
);
--> statement-breakpoint
CREATE TABLE "driver_registry" (
	"protocol" "protocol_kind" PRIMARY KEY NOT NULL,
	"name" varchar(255) NOT NULL,
	"version" varchar(50) NOT NULL,
	"description" text,
	"file_path" text,
	"file_hash" varchar(128),
	"api_version" integer DEFAULT 1 NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb,
	"capabilities" jsonb DEFAULT '[]'::jsonb,
	"status" "driver_status" DEFAULT 'LOADED' NOT NULL,
	"loaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"error_message" text,
	CONSTRAINT "driver_registry_name_not_empty" CHECK (LENGTH(TRIM("driver_registry"."name")) > 0),
	CONSTRAINT "driver_registry_version_not_empty" CHECK (LENGTH(TRIM("driver_registry"."version")) > 0)
);
--> statement-breakpoint
CREATE TABLE "audit_logs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid,
	"action" varchar(100) NOT NULL,
	"resource_type" varchar(100),
	"resource_id" uuid,
	"details" jsonb DEFAULT '{}'::jsonb,
	"ip_address" "inet",
	"user_agent" text,
	"success" boolean NOT NULL,
	"error_message" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "audit_logs_action_not_empty" CHECK (LENGTH(TRIM("audit_logs"."action")) > 0)
);
--> statement-breakpoint
CREATE TABLE "user_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"token_hash" varchar(255) NOT NULL,
	"refresh_token_hash" varchar(255),
	"ip_address" "inet",
	"user_agent" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"last_activity" timestamp with time zone DEFAULT now() NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	CONSTRAINT "user_sessions_token_hash_key" UNIQUE("token_hash"),
	CONSTRAINT "user_sessions_expires_after_created" CHECK ("user_sessions"."expires_at" > "user_sessions"."created_at")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"username" varchar(255) NOT NULL,
	"email" varchar(255),
	"password_hash" varchar(255) NOT NULL,
	"salt" varchar(255),
	"full_name" varchar(255),
	"role" "user_role" DEFAULT 'VIEWER' NOT NULL,
	"status" "user_status" DEFAULT 'ACTIVE' NOT NULL,
	"last_login" timestamp with time zone,
	"failed_login_attempts" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"password_expires_at" timestamp with time zone,
	"must_change_password" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	CONSTRAINT "users_username_key" UNIQUE("username"),
	CONSTRAINT "users_email_key" UNIQUE("email"),
	CONSTRAINT "users_username_not_empty" CHECK (LENGTH(TRIM("users"."username")) > 0),
	CONSTRAINT "users_email_format" CHECK ("users"."email" IS NULL OR "users"."email" ~* '^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$'),
	CONSTRAINT "users_failed_attempts_non_negative" CHECK ("users"."failed_login_attempts" >= 0)
);
--> statement-breakpoint
ALTER TABLE "alert_history" ADD CONSTRAINT "alert_history_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "public"."alert_rules"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_history" ADD CONSTRAINT "alert_history_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_history" ADD CONSTRAINT "alert_history_tag_id_fkey" FOREIGN KEY ("tag_id") REFERENCES "public"."tags"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_rules" ADD CONSTRAINT "alert_rules_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_rules" ADD CONSTRAINT "alert_rules_tag_id_fkey" FOREIGN KEY ("tag_id") REFERENCES "public"."tags"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tags" ADD CONSTRAINT "tags_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_logs" ADD CONSTRAINT "audit_logs_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_sessions" ADD CONSTRAINT "user_sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_alert_history_rule_id" ON "alert_history" USING btree ("rule_id");--> statement-breakpoint
CREATE INDEX "idx_alert_history_fired_at" ON "alert_history" USING btree ("fired_at");--> statement-breakpoint
CREATE INDEX "idx_alert_history_status" ON "alert_history" USING btree ("status");--> statement-breakpoint
CREATE INDEX "idx_alert_history_level" ON "alert_history" USING btree ("level");--> statement-breakpoint
CREATE INDEX "idx_alert_history_device_time" ON "alert_history" USING btree ("device_id","fired_at");--> statement-breakpoint
CREATE INDEX "idx_alert_rules_device_tag" ON "alert_rules" USING btree ("device_id","tag_id");--> statement-breakpoint
CREATE INDEX "idx_alert_rules_enabled" ON "alert_rules" USING btree ("enabled");--> statement-breakpoint
CREATE INDEX "idx_alert_rules_level" ON "alert_rules" USING btree ("level");--> statement-breakpoint
CREATE INDEX "idx_devices_protocol" ON "devices" USING btree ("protocol");--> statement-breakpoint
CREATE INDEX "idx_devices_status" ON "devices" USING btree ("status");--> statement-breakpoint
CREATE INDEX "idx_devices_enabled" ON "devices" USING btree ("enabled");--> statement-breakpoint
CREATE INDEX "idx_devices_created_at" ON "devices" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "idx_devices_location" ON "devices" USING btree ("location") WHERE "devices"."location" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "idx_devices_config_gin" ON "devices" USING gin ("config");--> statement-breakpoint
CREATE INDEX "idx_devices_online_last_seen" ON "devices" USING btree ("last_seen") WHERE "devices"."status" = 'Online';--> statement-breakpoint
CREATE INDEX "idx_devices_config_modbus" ON "devices" USING gin (("config"->'modbus'));--> statement-breakpoint
CREATE INDEX "idx_tags_device_id" ON "tags" USING btree ("device_id");--> statement-breakpoint
CREATE INDEX "idx_tags_data_type" ON "tags" USING btree ("data_type");--> statement-breakpoint
CREATE INDEX "idx_tags_enabled" ON "tags" USING btree ("enabled");--> statement-breakpoint
CREATE INDEX "idx_tags_address" ON "tags" USING btree ("device_id","address");--> statement-breakpoint
CREATE INDEX "idx_tags_scan_rate" ON "tags" USING btree ("scan_rate") WHERE "tags"."scan_rate" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "idx_tags_device_enabled_type" ON "tags" USING btree ("device_id","enabled","data_type") WHERE "tags"."enabled" = true;--> statement-breakpoint
CREATE INDEX "idx_driver_configs_protocol" ON "driver_configs" USING btree ("protocol");--> statement-breakpoint
CREATE INDEX "idx_driver_configs_enabled" ON "driver_configs" USING btree ("enabled");--> statement-breakpoint
CREATE INDEX "idx_driver_configs_connection_type" ON "driver_configs" USING btree ("connection_type");--> statement-breakpoint
CREATE INDEX "idx_audit_logs_user_action" ON "audit_logs" USING btree ("user_id","action");--> statement-breakpoint
CREATE INDEX "idx_audit_logs_created_at" ON "audit_logs" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "idx_audit_logs_resource" ON "audit_logs" USING btree ("resource_type","resource_id");--> statement-breakpoint
CREATE INDEX "idx_user_sessions_user_id" ON "user_sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_user_sessions_token" ON "user_sessions" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "idx_user_sessions_active" ON "user_sessions" USING btree ("is_active","expires_at");--> statement-breakpoint
CREATE INDEX "idx_users_username" ON "users" USING btree ("username");--> statement-breakpoint
CREATE INDEX "idx_users_email" ON "users" USING btree ("email") WHERE "users"."email" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "idx_users_role" ON "users" USING btree ("role");--> statement-breakpoint
CREATE INDEX "idx_users_status" ON "users" USING btree ("status");--> statement-breakpoint
CREATE INDEX "idx_users_lower_username" ON "users" USING btree (lower("username"));