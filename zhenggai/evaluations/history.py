"""What history records of ratings. Registered with the ledger's history at start-up
(ledger/actions.py); each event sits on the problem a 差评 became."""

from django.db import models


class Action(models.TextChoices):
    BAD_REVIEW = "bad_review", "差评转为整改问题"
    FOLLOWED_UP = "followed_up", "评价人追评"
    CALLED_BACK = "called_back", "登记回访"
    APPEALED = "appealed", "提出申诉"
    APPEAL_DECIDED = "appeal_decided", "申诉复核"
