"""On PostgreSQL, the access log's trigger lets one change through: `redact()`.

DELETE is still refused, and so is any UPDATE unless the transaction has set
`kmtracker.access_log_redaction` (audit/models.py, `redact()`) and the update
changes nothing but the text the reader typed (path and query).
"""

from django.db import migrations

REPLACE = """
CREATE OR REPLACE FUNCTION audit_accessrecord_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND current_setting('kmtracker.access_log_redaction', true) = 'on'
        AND (NEW.id, NEW.at, NEW.kind, NEW.user_id, NEW.username, NEW.team_id, NEW.what,
             NEW.row_count)
            IS NOT DISTINCT FROM
            (OLD.id, OLD.at, OLD.kind, OLD.user_id, OLD.username, OLD.team_id, OLD.what,
             OLD.row_count)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the access log is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""
RESTORE = """
CREATE OR REPLACE FUNCTION audit_accessrecord_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the access log is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            # No parameters: the "%" of RAISE is not a placeholder.
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_team_from_teams_app")]

    operations = [migrations.RunPython(_on_postgresql(REPLACE), _on_postgresql(RESTORE))]
