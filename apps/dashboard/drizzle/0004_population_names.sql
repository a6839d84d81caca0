CREATE TABLE "population_names" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"experiment" text NOT NULL,
	"scope" text DEFAULT '' NOT NULL,
	"name" text NOT NULL,
	"centre" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "peaks" ADD COLUMN "t1_width_decades" double precision;--> statement-breakpoint
ALTER TABLE "peaks" ADD COLUMN "t2_width_decades" double precision;--> statement-breakpoint
ALTER TABLE "peaks" ADD COLUMN "d_width_decades" double precision;--> statement-breakpoint
CREATE UNIQUE INDEX "population_names_identity" ON "population_names" USING btree ("experiment","scope","name");--> statement-breakpoint
-- Widths of the peaks stored before this migration, from their documents.
UPDATE "peaks" p SET
  "t1_width_decades" = (a."document"->'peaks'->p."rank"->'widthDecades'->>'T1')::double precision,
  "t2_width_decades" = (a."document"->'peaks'->p."rank"->'widthDecades'->>'T2')::double precision,
  "d_width_decades" = (a."document"->'peaks'->p."rank"->'widthDecades'->>'D')::double precision
FROM "acquisitions" a WHERE a."key" = p."acquisition_key";
