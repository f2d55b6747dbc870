from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def _refresh_statistics(sender, using, plan=None, **kwargs):
    """Let SQLite's planner know the ledger's indexes after a migration changed them.

    SQLite plans from the statistics ANALYZE keeps; an index added to a large existing ledger
    has none, and the planner may then pick it where it is slow (the ledger page went from 60 ms
    to 280 ms at 100,000 problems until ANALYZE ran). PostgreSQL's autovacuum does this itself.
    """
    connection = connections[using]
    if connection.vendor == "sqlite" and plan:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class LedgerConfig(AppConfig):
    name = "zhenggai.ledger"
    label = "ledger"
    verbose_name = "整改台账"

    def ready(self):
        from zhenggai.ledger.import_background import sweep_page_folders
        from zhenggai.lib import sweep

        post_migrate.connect(_refresh_statistics, sender=self)
        sweep.register("import page folders", sweep_page_folders)
