-- Seed §3 数据库函数和触发器 and §4 视图定义. Custom SQL: drizzle-kit does not model these.
-- One statement per breakpoint so PGlite and node-postgres run them identically.

-- §3.1 keep updated_at current on every UPDATE
CREATE OR REPLACE FUNCTION update_updated_at_column()
RETURNS TRIGGER AS $$
BEGIN
    NEW.updated_at = NOW();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER update_devices_updated_at
    BEFORE UPDATE ON devices
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
--> statement-breakpoint
CREATE TRIGGER update_tags_updated_at
    BEFORE UPDATE ON tags
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
--> statement-breakpoint
CREATE TRIGGER update_alert_rules_updated_at
    BEFORE UPDATE ON alert_rules
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
--> statement-breakpoint
CREATE TRIGGER update_driver_configs_updated_at
    BEFORE UPDATE ON driver_configs
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
--> statement-breakpoint
CREATE TRIGGER update_users_updated_at
    BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
--> statement-breakpoint

-- §3.2 device status and last_seen, raising for an unknown device
CREATE OR REPLACE FUNCTION update_device_status(
    device_uuid UUID,
    new_status device_status,
    last_seen_time TIMESTAMPTZ DEFAULT NOW()
)
RETURNS VOID AS $$
BEGIN
    UPDATE devices
    SET
        status = new_status,
        last_seen = last_seen_time,
        updated_at = NOW()
    WHERE id = device_uuid;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'Device with ID % not found', device_uuid;
    END IF;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint

-- §3.3 resolve alerts that stayed ACTIVE for more than 24 hours
CREATE OR REPLACE FUNCTION auto_resolve_expired_alerts()
RETURNS INTEGER AS $$
DECLARE
    resolved_count INTEGER;
BEGIN
    UPDATE alert_history
    SET
        status = 'RESOLVED',
        resolved_at = NOW(),
        duration = NOW() - fired_at
    WHERE
        status = 'ACTIVE'
        AND fired_at < NOW() - INTERVAL '24 hours';

    GET DIAGNOSTICS resolved_count = ROW_COUNT;

    RETURN resolved_count;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint

-- §4.1 device overview.
-- Deliberate deviation (seed flaw a): the seed joins tags and active alerts in one GROUP BY, so
-- each count is multiplied by the other (3 tags and 2 active alerts read 6 and 6). Here tags and
-- active alerts are each counted per device first and then joined; the columns are the seed's.
CREATE VIEW device_overview AS
SELECT
    d.id,
    d.name,
    d.description,
    d.protocol,
    d.location,
    d.status,
    d.last_seen,
    d.enabled,
    COALESCE(t.tag_count, 0) AS tag_count,
    COALESCE(t.enabled_tag_count, 0) AS enabled_tag_count,
    COALESCE(a.active_alert_count, 0) AS active_alert_count
FROM devices d
LEFT JOIN (
    SELECT device_id, COUNT(*) AS tag_count, COUNT(*) FILTER (WHERE enabled) AS enabled_tag_count
    FROM tags
    GROUP BY device_id
) t ON t.device_id = d.id
LEFT JOIN (
    SELECT device_id, COUNT(*) AS active_alert_count
    FROM alert_history
    WHERE status = 'ACTIVE'
    GROUP BY device_id
) a ON a.device_id = d.id;
--> statement-breakpoint

-- §4.2 alert statistics per hour and level over the last 24 hours
CREATE VIEW alert_statistics AS
SELECT
    DATE_TRUNC('hour', fired_at) AS hour,
    level,
    COUNT(*) AS alert_count,
    COUNT(CASE WHEN status = 'ACTIVE' THEN 1 END) AS active_count,
    COUNT(CASE WHEN status = 'RESOLVED' THEN 1 END) AS resolved_count,
    AVG(EXTRACT(EPOCH FROM duration)) AS avg_duration_seconds
FROM alert_history
WHERE fired_at >= NOW() - INTERVAL '24 hours'
GROUP BY DATE_TRUNC('hour', fired_at), level
ORDER BY hour DESC, level;
