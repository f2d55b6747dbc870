"""What history records of the public's opinions. Registered with the ledger's history at start-up (ledger/actions.py)."""

from django.db import models


class Action(models.TextChoices):
    OPINION_HANDLED = "opinion_handled", "处理群众意见"
