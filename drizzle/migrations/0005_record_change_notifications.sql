-- Record change notifications: the process that opened the database keeps an in-memory read
-- model of small, hot tables (main/db/record-change-feed.ts) and drops a record from it when
-- this trigger says it changed. NOTIFY is delivered at commit and never for a rolled-back
-- transaction, and it also covers writes made outside the repositories (update_device_status(),
-- cascades, raw SQL). The payload is '<table>:<id>', or '<table>:*' after a TRUNCATE.
CREATE OR REPLACE FUNCTION notify_record_change()
RETURNS TRIGGER AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM pg_notify('gateway_record_changes', TG_TABLE_NAME || ':*');
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('gateway_record_changes', TG_TABLE_NAME || ':' || OLD.id::text);
    ELSE
        PERFORM pg_notify('gateway_record_changes', TG_TABLE_NAME || ':' || NEW.id::text);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER notify_devices_change
    AFTER INSERT OR UPDATE OR DELETE ON devices
    FOR EACH ROW EXECUTE FUNCTION notify_record_change();
--> statement-breakpoint
CREATE TRIGGER notify_devices_truncate
    AFTER TRUNCATE ON devices
    FOR EACH STATEMENT EXECUTE FUNCTION notify_record_change();
