"""On PostgreSQL the audit log has exactly two sanctioned changes, both made by the
retention job through functions the trigger recognises:

- `privacy_audit_purge(keep_days)` deletes rows older than `keep_days` (AUDIT_RETENTION_DAYS);
- `privacy_audit_shorten_addresses(keep_days)` shortens the IP address of rows older than
  `keep_days` (IP_RETENTION_DAYS) to its /24 (IPv4) or /48 (IPv6) network, and changes
  nothing else of the row.

Both are SECURITY DEFINER (they run as the owner that migrated the database), so the
application's role needs no UPDATE or DELETE privilege on the table (privacy.audit.db_role
grants it only INSERT and SELECT, and EXECUTE on these two). The row trigger refuses every
other UPDATE and DELETE, the owner's included: it reads the call stack (PG_CONTEXT) and
allows a change only from inside one of the two functions, and only the change that
function makes. A statement trigger refuses TRUNCATE, unless the connection says
`bestqm.audit_truncate = 'allowed'` (only the test runner's connections do, to empty the
tables between tests; tests/conftest.py).

SQLite has no such guard; there the model and its queryset refuse, and the retention job
uses plain SQL (privacy/audit/retention.py).
"""

from django.db import migrations

CREATE = r"""
CREATE OR REPLACE FUNCTION privacy_audit_purge(keep_days integer) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE removed bigint;
BEGIN
    IF keep_days IS NULL OR keep_days < 30 THEN
        RAISE EXCEPTION 'audit rows are kept at least 30 days (asked: %)', keep_days
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    DELETE FROM privacy_auditevent
        WHERE occurred_at < now() - make_interval(days => keep_days);
    GET DIAGNOSTICS removed = ROW_COUNT;
    RETURN removed;
END;
$$;

CREATE OR REPLACE FUNCTION privacy_audit_shortened(address inet) RETURNS inet
LANGUAGE sql IMMUTABLE AS $$
    SELECT host(network(set_masklen(address, CASE WHEN family(address) = 4 THEN 24 ELSE 48 END)))::inet
$$;

CREATE OR REPLACE FUNCTION privacy_audit_shorten_addresses(keep_days integer) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE shortened bigint;
BEGIN
    IF keep_days IS NULL OR keep_days < 1 THEN
        RAISE EXCEPTION 'addresses are kept at least a day (asked: %)', keep_days
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    UPDATE privacy_auditevent
        SET ip_address = privacy_audit_shortened(ip_address)
        WHERE ip_address IS NOT NULL
          AND occurred_at < now() - make_interval(days => keep_days)
          AND ip_address <> privacy_audit_shortened(ip_address);
    GET DIAGNOSTICS shortened = ROW_COUNT;
    RETURN shortened;
END;
$$;

CREATE OR REPLACE FUNCTION privacy_audit_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE stack text;
BEGIN
    GET DIAGNOSTICS stack = PG_CONTEXT;
    IF TG_OP = 'DELETE' AND stack LIKE '%function privacy_audit_purge(integer)%' THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE'
       AND stack LIKE '%function privacy_audit_shorten_addresses(integer)%'
       AND (to_jsonb(NEW) - 'ip_address') = (to_jsonb(OLD) - 'ip_address')
       AND NEW.ip_address = privacy_audit_shortened(OLD.ip_address) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'privacy_auditevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE OR REPLACE FUNCTION privacy_audit_refuse_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('bestqm.audit_truncate', true) = 'allowed' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'privacy_auditevent is append-only: TRUNCATE refused'
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

DROP TRIGGER IF EXISTS privacy_audit_no_truncate ON privacy_auditevent;
CREATE TRIGGER privacy_audit_no_truncate
    BEFORE TRUNCATE ON privacy_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION privacy_audit_refuse_truncate();

REVOKE ALL ON FUNCTION privacy_audit_purge(integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION privacy_audit_shorten_addresses(integer) FROM PUBLIC;
"""

DROP = r"""
DROP TRIGGER IF EXISTS privacy_audit_no_truncate ON privacy_auditevent;
DROP FUNCTION IF EXISTS privacy_audit_refuse_truncate();
DROP FUNCTION IF EXISTS privacy_audit_purge(integer);
DROP FUNCTION IF EXISTS privacy_audit_shorten_addresses(integer);
DROP FUNCTION IF EXISTS privacy_audit_shortened(inet);
CREATE OR REPLACE FUNCTION privacy_audit_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'privacy_auditevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0010_legal_workflow")]

    operations = [migrations.RunPython(forwards, backwards)]
