"""What a reader and the parser produce: plain dataclasses, no Django."""

from dataclasses import asdict, dataclass, field

from zhenggai.intake.warning import ParseWarning


@dataclass
class Deadline:
    kind: str  # "date", "immediate" (立行立改) or "ongoing" (长期坚持)
    date: str | None = None


@dataclass
class ParsedMeasure:
    """One measure; its own owners and deadline where the source gives them per measure (an
    Excel ledger), else those of its problem apply."""

    text: str
    lead_units: list[str] | None = None
    responsible_units: list[str] | None = None
    deadline: "Deadline | None" = None
    leader: str = ""
    owner: str = ""


@dataclass
class ParsedProblem:
    number: str
    title: str
    path: list[str]
    text: str = ""
    measures: list[ParsedMeasure] = field(default_factory=list)
    lead_units: list[str] = field(default_factory=list)
    responsible_units: list[str] = field(default_factory=list)
    deadline: Deadline | None = None


@dataclass
class ParsedDocument:
    file: str
    kind: str  # "report", "plan", "feedback" or "ledger"
    org: str | None = None
    title: str | None = None
    inspector: str | None = None  # the inspecting body the document names (区委第一巡察组)
    dates: dict = field(default_factory=dict)
    declared: dict = field(default_factory=dict)
    problems: list[ParsedProblem] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)

    def as_json(self) -> dict:
        """The document as JSON; each warning as {"code", "args", "message" (English)}."""
        data = asdict(self)
        data["warnings"] = [warning.as_json() for warning in self.warnings]
        for key in ("inspection_start", "inspection_end", "feedback", "report"):
            data["dates"].setdefault(key, None)
        for key in ("areas", "problems", "long_term", "completed"):
            data["declared"].setdefault(key, None)
        return data


class IntakeError(Exception):
    """A file that cannot be read or parsed; the message says why, in English."""
