ALTER TABLE "users" ADD COLUMN "is_drill" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Drill accounts made before the column: the drill service names them drill-volunteer-N@drill.invalid.
UPDATE "users" SET "is_drill" = true WHERE "email" LIKE 'drill-volunteer-%@drill.invalid';
