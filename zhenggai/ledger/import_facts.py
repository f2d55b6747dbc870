"""What an import brings with each measure beyond its text, as the preview shows it: the deadline,
lead sections, 责任领导 and 责任人 the document gave, and the people it names whom the unit does
not have (their fields are left empty on import)."""

from dataclasses import dataclass, field

from zhenggai.ledger.import_preview import measure_sources
from zhenggai.ledger.imports import _Names
from zhenggai.ledger.models import DeadlineKind
from zhenggai.lib.names import normalize_name
from zhenggai.orgs.models import Unit


@dataclass
class MeasureFacts:
    """One measure line of a preview row and what the document gave it."""

    number: int
    deadline: str = ""
    leads: list[str] = field(default_factory=list)
    leader: str = ""
    owner: str = ""
    leader_found: bool = True
    owner_found: bool = True

    @property
    def said(self) -> bool:
        return bool(self.deadline or self.leads or self.leader or self.owner)


class People:
    """Whether a name the document gives is one person of the unit (None: a unit to be created,
    which has nobody yet)."""

    def __init__(self, unit: Unit | None):
        self._names = _Names(unit) if unit is not None else None

    def found(self, name: str) -> bool:
        return self._names is not None and self._names.person(name) is not None


def deadline_zh(deadline: dict | None) -> str:
    if not deadline:
        return ""
    if deadline.get("kind") == DeadlineKind.DATE:
        return deadline.get("date") or ""
    return DeadlineKind(deadline["kind"]).label


def row_facts(row: dict, source: dict, people: People) -> list[MeasureFacts]:
    """Each measure line of `row` with the deadline, sections and people it is imported with."""
    facts = []
    lead = row.get("lead", "").strip()
    for number, measure in enumerate(measure_sources(row, source), start=1):
        measure = measure or {}
        own = measure.get("deadline") or source.get("deadline")
        leader, owner = (normalize_name(measure.get(k, "")) for k in ("leader", "owner"))
        facts.append(
            MeasureFacts(
                number=number,
                deadline=deadline_zh(own),
                leads=measure.get("lead_units") or ([lead] if lead else []),
                leader=leader,
                owner=owner,
                leader_found=not leader or people.found(leader),
                owner_found=not owner or people.found(owner),
            )
        )
    return facts


def people_not_found(rows: list[dict], parsed: dict, people: People) -> dict[str, list[str]]:
    """The 责任领导 and 责任人 the whole draft names whom the unit does not have, in order."""
    missing: dict[str, list[str]] = {"责任领导": [], "责任人": []}
    problems = parsed.get("problems", [])
    for row in rows:
        if not row.get("include"):
            continue
        index = row.get("source")
        source = problems[index] if index is not None and 0 <= index < len(problems) else {}
        for facts in row_facts(row, source, people):
            for title, name, found in (
                ("责任领导", facts.leader, facts.leader_found),
                ("责任人", facts.owner, facts.owner_found),
            ):
                if name and not found and name not in missing[title]:
                    missing[title].append(name)
    return {title: names for title, names in missing.items() if names}


def not_found_zh(missing: dict[str, list[str]]) -> list[str]:
    """The preview's warnings for `missing` (people_not_found)."""
    return [
        f"文件中的{title}{''.join(f'“{n}”' for n in names)}在本单位人员中未找到（或重名），"
        "导入后需手工指定。"
        for title, names in missing.items()
    ]
