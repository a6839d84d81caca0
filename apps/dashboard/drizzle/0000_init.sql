CREATE TABLE "acquisitions" (
	"key" text PRIMARY KEY NOT NULL,
	"instrument_id" text NOT NULL,
	"path" text NOT NULL,
	"sample" text,
	"experiment" text,
	"method" text NOT NULL,
	"produced_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"historical" boolean DEFAULT false NOT NULL,
	"reprocessed" boolean DEFAULT false NOT NULL,
	"relative_residual" double precision,
	"peak_count" integer DEFAULT 0 NOT NULL,
	"provenance" jsonb NOT NULL,
	"reduced" jsonb,
	"document" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"instrument_id" text NOT NULL,
	"kind" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"path" text NOT NULL,
	"key" text,
	"reason" text,
	"historical" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "instruments" (
	"id" text PRIMARY KEY NOT NULL,
	"site" text,
	"state" text DEFAULT 'unknown' NOT NULL,
	"state_at" timestamp with time zone,
	"state_reason" text,
	"version" text,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"heartbeat_at" timestamp with time zone,
	"uptime_seconds" double precision,
	"processed" integer,
	"failed" integer,
	"queued" integer,
	"outbox_depth" integer,
	"last_success_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "peaks" (
	"acquisition_key" text NOT NULL,
	"rank" integer NOT NULL,
	"fraction" double precision NOT NULL,
	"amplitude" double precision,
	"t1" double precision,
	"t2" double precision,
	"t2b" double precision,
	"d" double precision,
	"shift" double precision,
	"t1t2_ratio" double precision,
	CONSTRAINT "peaks_acquisition_key_rank_pk" PRIMARY KEY("acquisition_key","rank")
);
--> statement-breakpoint
CREATE TABLE "rejected_messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"topic" text NOT NULL,
	"reason" text NOT NULL,
	"detail" text NOT NULL,
	"bytes" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "acquisitions" ADD CONSTRAINT "acquisitions_instrument_id_instruments_id_fk" FOREIGN KEY ("instrument_id") REFERENCES "public"."instruments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_instrument_id_instruments_id_fk" FOREIGN KEY ("instrument_id") REFERENCES "public"."instruments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "peaks" ADD CONSTRAINT "peaks_acquisition_key_acquisitions_key_fk" FOREIGN KEY ("acquisition_key") REFERENCES "public"."acquisitions"("key") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "acquisitions_instrument_produced" ON "acquisitions" USING btree ("instrument_id","produced_at");--> statement-breakpoint
CREATE INDEX "acquisitions_produced" ON "acquisitions" USING btree ("produced_at");--> statement-breakpoint
CREATE INDEX "acquisitions_sample" ON "acquisitions" USING btree ("sample");--> statement-breakpoint
CREATE UNIQUE INDEX "events_identity" ON "events" USING btree ("instrument_id","kind","at","path");--> statement-breakpoint
CREATE INDEX "events_instrument_at" ON "events" USING btree ("instrument_id","at");--> statement-breakpoint
CREATE INDEX "rejected_at" ON "rejected_messages" USING btree ("at");