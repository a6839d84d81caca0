CREATE TABLE "reprocess_requests" (
	"id" text NOT NULL,
	"instrument_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"by_email" text NOT NULL,
	"method" text,
	"paths" jsonb NOT NULL,
	"replied_at" timestamp with time zone,
	"accepted" integer,
	"rejected" jsonb,
	CONSTRAINT "reprocess_requests_id_instrument_id_pk" PRIMARY KEY("id","instrument_id")
);
--> statement-breakpoint
ALTER TABLE "acquisitions" ADD COLUMN "request_id" text;--> statement-breakpoint
ALTER TABLE "acquisitions" ADD COLUMN "requested_by" text;--> statement-breakpoint
ALTER TABLE "reprocess_requests" ADD CONSTRAINT "reprocess_requests_instrument_id_instruments_id_fk" FOREIGN KEY ("instrument_id") REFERENCES "public"."instruments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reprocess_requests_at" ON "reprocess_requests" USING btree ("at");--> statement-breakpoint
CREATE INDEX "acquisitions_instrument_path" ON "acquisitions" USING btree ("instrument_id","path");