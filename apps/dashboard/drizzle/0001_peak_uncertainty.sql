ALTER TABLE "peaks" ADD COLUMN "t1_unc_decades" double precision;--> statement-breakpoint
ALTER TABLE "peaks" ADD COLUMN "t2_unc_decades" double precision;--> statement-breakpoint
ALTER TABLE "peaks" ADD COLUMN "t2b_unc_decades" double precision;--> statement-breakpoint
ALTER TABLE "peaks" ADD COLUMN "d_unc_decades" double precision;--> statement-breakpoint
ALTER TABLE "peaks" ADD COLUMN "fraction_sd" double precision;