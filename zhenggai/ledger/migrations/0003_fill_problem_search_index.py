"""Index the problems that existed before the search index did."""

from django.db import migrations


def fill(apps, schema_editor):
    from zhenggai.ledger.search import indexed_text

    if schema_editor.connection.vendor != "sqlite":
        return
    Problem = apps.get_model("ledger", "Problem")
    rows = [(pk, indexed_text(text)) for pk, text in
            Problem.objects.values_list("id", "search_text").iterator()]
    with schema_editor.connection.cursor() as cursor:
        cursor.executemany("INSERT INTO ledger_problem_fts(rowid, body) VALUES (%s, %s)", rows)


def empty(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DELETE FROM ledger_problem_fts")


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_problem_search_index")]
    operations = [migrations.RunPython(fill, empty)]
