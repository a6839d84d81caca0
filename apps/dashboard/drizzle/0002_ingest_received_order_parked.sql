CREATE TABLE "ingest_parked" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"topic" text NOT NULL,
	"payload" "bytea" NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "instruments" ADD COLUMN "state_received_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "instruments" ADD COLUMN "heartbeat_received_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "ingest_parked_next" ON "ingest_parked" USING btree ("next_at");