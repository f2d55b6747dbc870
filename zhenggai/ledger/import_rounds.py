"""The round a parsed document speaks of: its kind, its dates, and the new round (and unit) the
preview first proposes when a document is to set one up."""

import re
from datetime import date

from zhenggai.intake.model import ParsedDocument
from zhenggai.ledger.models import ImportDraft
from zhenggai.rounds.forms import units_user_may_inspect
from zhenggai.rounds.models import InspectionRound, NewRoundDraft, RoundDocument
from zhenggai.rounds.services import empty_dates_to_fill, offices_for_new_units

# The dates a parsed document gives, as the round's fields they set.
PARSED_DATES = {
    "inspection_start": "period_start",
    "inspection_end": "period_end",
    "feedback": "feedback_date",
}
# The first word found in a document's title (or opening text) names its kind of round.
KIND_WORDS = (
    ("背靠背", "evaluation"),
    ("评价", "evaluation"),
    ("审计", "audit"),
    ("专项巡察", "special"),
    ("巡视", "xunshi"),
    ("督查", "supervision"),
)


def round_kind(document: ParsedDocument, text: str = "") -> str:
    """The kind of round a document speaks of."""
    return round_kind_of(document.title or "", text)


def round_kind_of(title: str, text: str = "") -> str:
    """The kind of round a document's title (and opening text) speaks of."""
    head = " ".join([title, text[:400]])
    for word, kind in KIND_WORDS:
        if word in head:
            return kind
    return InspectionRound.Kind.XUNCHA


def dates_found(parsed: dict) -> dict[str, date]:
    """The round's dates a parsed document gives, by field name."""
    found = parsed.get("dates") or {}
    return {
        field: date.fromisoformat(found[key])
        for key, field in PARSED_DATES.items()
        if found.get(key)
    }


def dates_to_fill(draft: ImportDraft) -> dict[str, date]:
    """The dates confirming `draft` will set on its round, whose own are empty."""
    return empty_dates_to_fill(draft.round, dates_found(draft.parsed))


def unit_name_of(org: str | None) -> str:
    """The unit an issuing body's name speaks for: 中共某局党组 → 某局."""
    name = re.sub(r"^中共", "", (org or "").strip())
    return re.sub(r"(党组|党委|党总支|党支部)$", "", name).strip()


def _same_unit(a: str, b: str) -> bool:
    """Whether two names speak for one unit, leniently: 中共…党组 dropped, one in the other."""
    a, b = unit_name_of(a), unit_name_of(b)
    return bool(a and b) and (a in b or b in a)


def other_unit_named(draft: ImportDraft) -> str | None:
    """The issuing body a draft's document names when it is clearly not the round's unit (a
    document imported into the wrong round), else None."""
    org = (draft.parsed.get("org") or "").strip()
    if not org or _same_unit(org, draft.round.unit.name):
        return None
    return org


def round_proposal(draft: NewRoundDraft, user) -> dict:
    """The round `draft`'s document describes, as the preview first shows it: its title, kind,
    inspecting body and dates, and its unit among those the user inspects (else a new unit of
    that name under their office)."""
    parsed = draft.parsed
    kind = round_kind_of(parsed.get("title") or "")
    name = unit_name_of(parsed.get("org"))
    offices = list(offices_for_new_units(user)[:2])
    unit = units_user_may_inspect(user).filter(name=name).first() if name else None
    proposal = {
        "kind": kind,
        "title": parsed.get("title")
        or (f"{name}{InspectionRound.Kind(kind).label}整改" if name else ""),
        "inspecting_body": parsed.get("inspector") or (offices[0].name if offices else ""),
        "unit": unit.pk if unit else None,
        "new_unit": "" if unit else name,
        "office": offices[0].pk if len(offices) == 1 else None,
        **dates_found(parsed),
    }
    proposal["title"] = proposal["title"][:300]
    return proposal


def earlier_import(draft: NewRoundDraft, user) -> RoundDocument | None:
    """The same file as imported into a round the user sees, if it was."""
    visible = InspectionRound.objects.visible_to(user)
    return (
        RoundDocument.objects.filter(sha256=draft.sha256, round__in=visible)
        .select_related("round")
        .first()
    )
