"""What history records of notices. Registered with the ledger's history at start-up (ledger/actions.py)."""

from django.db import models


class Action(models.TextChoices):
    PUBLISHED = "published", "发布通报"
    UNPUBLISHED = "unpublished", "撤回通报"
