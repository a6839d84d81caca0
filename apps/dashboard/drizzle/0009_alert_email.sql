ALTER TABLE "incidents" ADD COLUMN "email_notified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "email_resolved_notified_at" timestamp with time zone;