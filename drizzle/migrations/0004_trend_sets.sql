CREATE TABLE "trend_sets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"name" varchar(100) NOT NULL,
	"definition" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trend_sets_user_name_key" UNIQUE("user_id","name"),
	CONSTRAINT "trend_sets_name_not_empty" CHECK (LENGTH(TRIM("trend_sets"."name")) > 0)
);
--> statement-breakpoint
ALTER TABLE "trend_sets" ADD CONSTRAINT "trend_sets_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;