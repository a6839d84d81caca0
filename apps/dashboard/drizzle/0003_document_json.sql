ALTER TABLE "acquisitions" ALTER COLUMN "document" SET DATA TYPE json USING "document"::json;
