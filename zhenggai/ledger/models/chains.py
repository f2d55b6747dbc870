"""The heads of the units' history chains (see `ledger/history_chain.py`)."""

from django.db import models

from zhenggai.orgs.models import Unit

# The "previous hash" of a unit's first history row.
GENESIS = "0" * 64


class HistoryChain(models.Model):
    """The head of one unit's history chain: the sequence number and hash of its last row.

    Every writer of a unit's history locks this row (`select_for_update`) in the transaction
    that inserts the row, so the unit's rows are numbered 1, 2, 3… without a gap or a repeat;
    a head ahead of the last row shows a tail cut off."""

    unit = models.OneToOneField(
        Unit, models.PROTECT, primary_key=True, related_name="+", verbose_name="单位"
    )
    seq = models.PositiveBigIntegerField("最后序号", default=0)
    hash = models.CharField("最后哈希", max_length=64, default=GENESIS)

    class Meta:
        verbose_name = "历史链"
        verbose_name_plural = "历史链"

    def __str__(self) -> str:
        return f"{self.unit_id}:{self.seq}:{self.hash}"
