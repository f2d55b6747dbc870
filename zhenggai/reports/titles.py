"""The titles of the ledger's papers: what a sheet covers, as the ledger's filters chose it."""

from zhenggai.orgs.access import scope_for
from zhenggai.orgs.models import Unit
from zhenggai.rounds.models import InspectionRound


def ledger_title(user, chosen: dict) -> str:
    """What the sheet covers: its round or unit, and whether it is narrowed further."""
    subject = ""
    if chosen.get("round"):
        found = InspectionRound.objects.visible_to(user).filter(pk=int(chosen["round"])).first()
        subject = found.subject if found else ""
    elif chosen.get("unit"):
        found = Unit.objects.filter(pk=int(chosen["unit"]))
        subject = scope_for(user).restrict(found, "id").values_list("name", flat=True).first()
    narrowed = any(v for k, v in chosen.items() if k not in ("round", "unit", "sort"))
    return f"{subject or ''}整改台账{'（筛选）' if narrowed else ''}"
