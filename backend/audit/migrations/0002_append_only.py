"""Make the ticket history append-only on PostgreSQL: UPDATE and DELETE are refused.

TRUNCATE is left to the table's owner (the test suite empties tables with it); production roles
that should not rewrite history can be denied it with ordinary GRANTs. SQLite (laptop mode) has
no such guard: the test suite's flush empties tables with DELETE there.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit history is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
DROP TRIGGER IF EXISTS audit_historicalticket_append_only ON audit_historicalticket;
CREATE TRIGGER audit_historicalticket_append_only
    BEFORE UPDATE OR DELETE ON audit_historicalticket
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_historicalticket_append_only ON audit_historicalticket;
DROP FUNCTION IF EXISTS audit_refuse_change();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_historical_ticket")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
