-- Deleting a device cascades to its tags and rules, and each of those sets one reference of the
-- same alert_history row to NULL (device_id, tag_id, rule_id: see drizzle/schema/alerts.ts).
-- After the first SET NULL the row is a version written by this transaction, so PostgreSQL
-- re-checks all its foreign keys on the next SET NULL, and fails on a rule that is already gone
-- but whose own SET NULL has not run yet. Deferring the checks of these three keys to commit
-- lets every cascade finish first; the ON DELETE actions themselves still run immediately.
ALTER TABLE alert_history ALTER CONSTRAINT alert_history_rule_id_fkey DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
ALTER TABLE alert_history ALTER CONSTRAINT alert_history_device_id_fkey DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
ALTER TABLE alert_history ALTER CONSTRAINT alert_history_tag_id_fkey DEFERRABLE INITIALLY DEFERRED;
