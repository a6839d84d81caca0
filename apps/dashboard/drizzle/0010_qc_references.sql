CREATE TABLE "qc_references" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"sample_prefix" text NOT NULL,
	"instrument_id" text,
	"experiment" text,
	"quantity" text NOT NULL,
	"baseline_count" integer DEFAULT 20 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "qc_references" ADD CONSTRAINT "qc_references_instrument_id_instruments_id_fk" FOREIGN KEY ("instrument_id") REFERENCES "public"."instruments"("id") ON DELETE no action ON UPDATE no action;