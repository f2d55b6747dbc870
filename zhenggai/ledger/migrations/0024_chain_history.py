"""Chain the history rows written before the hash chain: each unit's rows in (at, id) order,
linked as `ledger.history.write` links new ones (`ledger/history_chain.py`), and the units'
heads set. A batch of rows a query, no query a row."""

from django.db import migrations

from zhenggai.ledger.history_chain import chain_anew


def chain(apps, schema_editor):
    chain_anew(apps.get_model("ledger", "Event"), apps.get_model("ledger", "HistoryChain"))


def unchain(apps, schema_editor):
    apps.get_model("ledger", "Event").objects.update(seq=None, hash="", chain_unit=None)
    apps.get_model("ledger", "HistoryChain").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("ledger", "0023_history_chain")]

    operations = [migrations.RunPython(chain, unchain)]
