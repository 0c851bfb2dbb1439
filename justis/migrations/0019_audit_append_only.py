"""The audit trail is append-only in the database itself: an UPDATE or DELETE of an audit event raises,
whichever database user asks, so neither a bug nor a stolen application password can rewrite history.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION justis_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % of audit event % refused', TG_OP, OLD.id
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER justis_auditevent_append_only
    BEFORE UPDATE OR DELETE ON justis_auditevent
    FOR EACH ROW EXECUTE FUNCTION justis_audit_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS justis_auditevent_append_only ON justis_auditevent;
DROP FUNCTION IF EXISTS justis_audit_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("justis", "0018_incident_audit_and_resume")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
