"""What history records of supervision orders. Registered with the ledger's history at start-up (ledger/actions.py)."""

from django.db import models


class Action(models.TextChoices):
    ESCALATED = "escalated", "下发督办单"
    ANSWERED = "answered", "答复督办"
    ESCALATION_DECIDED = "escalation_decided", "督办办结或退回"
