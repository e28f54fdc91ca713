CREATE TABLE "alert_rule_state" (
	"rule_id" uuid PRIMARY KEY NOT NULL,
	"pending_since" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "alert_rules" ADD COLUMN "deadband" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "alert_rule_state" ADD CONSTRAINT "alert_rule_state_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "public"."alert_rules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_rules" ADD CONSTRAINT "alert_rules_deadband_not_negative" CHECK ("alert_rules"."deadband" >= 0);