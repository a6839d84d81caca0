CREATE TABLE "spectra" (
	"key" text PRIMARY KEY NOT NULL,
	"instrument_id" text NOT NULL,
	"path" text NOT NULL,
	"sample" text,
	"nucleus" text,
	"pulse_program" text,
	"solvent" text,
	"dimensions" integer DEFAULT 1 NOT NULL,
	"produced_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"historical" boolean DEFAULT false NOT NULL,
	"reprocessed" boolean DEFAULT false NOT NULL,
	"peak_count" integer DEFAULT 0 NOT NULL,
	"noise" double precision,
	"provenance" jsonb NOT NULL,
	"document" json NOT NULL,
	"thumbnail" jsonb,
	"request_id" text,
	"requested_by" text
);
--> statement-breakpoint
ALTER TABLE "spectra" ADD CONSTRAINT "spectra_instrument_id_instruments_id_fk" FOREIGN KEY ("instrument_id") REFERENCES "public"."instruments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "spectra_instrument_produced" ON "spectra" USING btree ("instrument_id","produced_at");--> statement-breakpoint
CREATE INDEX "spectra_produced" ON "spectra" USING btree ("produced_at");