CREATE TYPE "public"."aed_status" AS ENUM('in_service', 'in_use', 'out_of_service', 'retired');--> statement-breakpoint
CREATE TYPE "public"."dispatch_role" AS ENUM('cpr', 'aed', 'backup');--> statement-breakpoint
CREATE TYPE "public"."dispatch_status" AS ENUM('alerted', 'accepted', 'declined', 'arrived', 'timed_out', 'released', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."incident_state" AS ENUM('open', 'resolved', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."user_role" AS ENUM('volunteer', 'admin');--> statement-breakpoint
CREATE TYPE "public"."verification_status" AS ENUM('pending', 'verified', 'rejected');--> statement-breakpoint
CREATE TABLE "aeds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campus_id" uuid,
	"osm_id" text,
	"external_ref" text,
	"source" text DEFAULT 'admin' NOT NULL,
	"lat" double precision NOT NULL,
	"lng" double precision NOT NULL,
	"h3_cell" text NOT NULL,
	"access" text,
	"indoor" boolean,
	"level" text,
	"opening_hours" text,
	"location" text,
	"location_zh" text,
	"location_en" text,
	"location_translations" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"operator" text,
	"phone" text,
	"check_date" date,
	"description" text,
	"status" "aed_status" DEFAULT 'in_service' NOT NULL,
	"pad_expires_on" date,
	"battery_expires_on" date,
	"claimed_by_incident_id" uuid,
	"is_demo" boolean DEFAULT false NOT NULL,
	"tags" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "app_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "buildings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campus_id" uuid NOT NULL,
	"osm_id" text,
	"name" text NOT NULL,
	"name_zh" text,
	"levels" integer,
	"centroid_lat" double precision NOT NULL,
	"centroid_lng" double precision NOT NULL,
	"geometry" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campuses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"name_zh" text,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"center_lat" double precision NOT NULL,
	"center_lng" double precision NOT NULL,
	"min_lat" double precision NOT NULL,
	"min_lng" double precision NOT NULL,
	"max_lat" double precision NOT NULL,
	"max_lng" double precision NOT NULL,
	"attribution" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campuses_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "qr_spots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campus_id" uuid NOT NULL,
	"code" text NOT NULL,
	"building_id" uuid,
	"building_name" text,
	"floor" text,
	"entrance" text,
	"entrance_zh" text,
	"lat" double precision NOT NULL,
	"lng" double precision NOT NULL,
	"h3_cell" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"source" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "walkways" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campus_id" uuid NOT NULL,
	"osm_id" text,
	"highway" text NOT NULL,
	"is_steps" boolean DEFAULT false NOT NULL,
	"name" text,
	"geometry" jsonb NOT NULL,
	"node_ids" jsonb
);
--> statement-breakpoint
CREATE TABLE "dispatches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"incident_id" uuid NOT NULL,
	"volunteer_id" uuid NOT NULL,
	"role" "dispatch_role" NOT NULL,
	"aed_id" uuid,
	"status" "dispatch_status" DEFAULT 'alerted' NOT NULL,
	"eta_s" integer,
	"wave" integer DEFAULT 1 NOT NULL,
	"alerted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answered_at" timestamp with time zone,
	"arrived_at" timestamp with time zone,
	"lat" double precision,
	"lng" double precision,
	"position_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "incident_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"incident_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"type" text NOT NULL,
	"actor_id" uuid,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campus_id" uuid,
	"qr_spot_id" uuid,
	"client_request_id" text NOT NULL,
	"public_token_hash" text NOT NULL,
	"state" "incident_state" DEFAULT 'open' NOT NULL,
	"is_drill" boolean DEFAULT false NOT NULL,
	"lat" double precision NOT NULL,
	"lng" double precision NOT NULL,
	"level" integer,
	"h3_cell" text NOT NULL,
	"location_text" text,
	"gps_lat" double precision,
	"gps_lng" double precision,
	"gps_accuracy_m" double precision,
	"plan" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"recipient" text NOT NULL,
	"seq" integer NOT NULL,
	"incident_id" uuid,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "push_subscriptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"endpoint" text NOT NULL,
	"p256dh" text NOT NULL,
	"auth" text NOT NULL,
	"user_agent" text,
	"active" boolean DEFAULT true NOT NULL,
	"failure_count" integer DEFAULT 0 NOT NULL,
	"last_success_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "push_subscriptions_endpoint_unique" UNIQUE("endpoint")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" "user_role" DEFAULT 'volunteer' NOT NULL,
	"display_name" text NOT NULL,
	"phone" text,
	"verification" "verification_status" DEFAULT 'pending' NOT NULL,
	"certificate_type" text,
	"certificate_number" text,
	"certificate_issuer" text,
	"certificate_expires_on" date,
	"verified_at" timestamp with time zone,
	"verified_by" uuid,
	"rejection_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "volunteer_duty" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"on_duty" boolean DEFAULT false NOT NULL,
	"duty_since" timestamp with time zone,
	"lat" double precision,
	"lng" double precision,
	"accuracy_m" double precision,
	"level" integer,
	"h3_cell" text,
	"position_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "aeds" ADD CONSTRAINT "aeds_campus_id_campuses_id_fk" FOREIGN KEY ("campus_id") REFERENCES "public"."campuses"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "buildings" ADD CONSTRAINT "buildings_campus_id_campuses_id_fk" FOREIGN KEY ("campus_id") REFERENCES "public"."campuses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qr_spots" ADD CONSTRAINT "qr_spots_campus_id_campuses_id_fk" FOREIGN KEY ("campus_id") REFERENCES "public"."campuses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qr_spots" ADD CONSTRAINT "qr_spots_building_id_buildings_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."buildings"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "walkways" ADD CONSTRAINT "walkways_campus_id_campuses_id_fk" FOREIGN KEY ("campus_id") REFERENCES "public"."campuses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispatches" ADD CONSTRAINT "dispatches_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispatches" ADD CONSTRAINT "dispatches_volunteer_id_users_id_fk" FOREIGN KEY ("volunteer_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispatches" ADD CONSTRAINT "dispatches_aed_id_aeds_id_fk" FOREIGN KEY ("aed_id") REFERENCES "public"."aeds"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_events" ADD CONSTRAINT "incident_events_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_campus_id_campuses_id_fk" FOREIGN KEY ("campus_id") REFERENCES "public"."campuses"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_qr_spot_id_qr_spots_id_fk" FOREIGN KEY ("qr_spot_id") REFERENCES "public"."qr_spots"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "push_subscriptions" ADD CONSTRAINT "push_subscriptions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_duty" ADD CONSTRAINT "volunteer_duty_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "aeds_osm_id_idx" ON "aeds" USING btree ("osm_id");--> statement-breakpoint
CREATE UNIQUE INDEX "aeds_source_external_ref_idx" ON "aeds" USING btree ("source","external_ref");--> statement-breakpoint
CREATE INDEX "aeds_h3_cell_idx" ON "aeds" USING btree ("h3_cell");--> statement-breakpoint
CREATE INDEX "aeds_campus_id_idx" ON "aeds" USING btree ("campus_id");--> statement-breakpoint
CREATE UNIQUE INDEX "buildings_campus_id_osm_id_idx" ON "buildings" USING btree ("campus_id","osm_id");--> statement-breakpoint
CREATE INDEX "buildings_campus_id_idx" ON "buildings" USING btree ("campus_id");--> statement-breakpoint
CREATE UNIQUE INDEX "qr_spots_code_idx" ON "qr_spots" USING btree ("code");--> statement-breakpoint
CREATE INDEX "qr_spots_h3_cell_idx" ON "qr_spots" USING btree ("h3_cell");--> statement-breakpoint
CREATE INDEX "qr_spots_campus_id_idx" ON "qr_spots" USING btree ("campus_id");--> statement-breakpoint
CREATE UNIQUE INDEX "walkways_campus_id_osm_id_idx" ON "walkways" USING btree ("campus_id","osm_id");--> statement-breakpoint
CREATE INDEX "walkways_campus_id_idx" ON "walkways" USING btree ("campus_id");--> statement-breakpoint
CREATE UNIQUE INDEX "dispatches_incident_id_volunteer_id_idx" ON "dispatches" USING btree ("incident_id","volunteer_id");--> statement-breakpoint
CREATE INDEX "dispatches_volunteer_id_idx" ON "dispatches" USING btree ("volunteer_id");--> statement-breakpoint
CREATE INDEX "incident_events_incident_id_idx" ON "incident_events" USING btree ("incident_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "incidents_client_request_id_idx" ON "incidents" USING btree ("client_request_id");--> statement-breakpoint
CREATE INDEX "incidents_state_idx" ON "incidents" USING btree ("state");--> statement-breakpoint
CREATE INDEX "incidents_created_at_idx" ON "incidents" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_recipient_seq_idx" ON "outbox" USING btree ("recipient","seq");--> statement-breakpoint
CREATE INDEX "outbox_incident_id_idx" ON "outbox" USING btree ("incident_id");--> statement-breakpoint
CREATE INDEX "push_subscriptions_user_id_idx" ON "push_subscriptions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sessions_user_id_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "volunteer_duty_h3_cell_idx" ON "volunteer_duty" USING btree ("h3_cell");