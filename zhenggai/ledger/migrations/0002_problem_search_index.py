"""The full-text index of problems on SQLite (see zhenggai.ledger.search); nothing elsewhere."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        "CREATE VIRTUAL TABLE ledger_problem_fts USING fts5("
        "body, tokenize = 'unicode61 remove_diacritics 0')"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS ledger_problem_fts")


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [migrations.RunPython(create_index, drop_index)]
