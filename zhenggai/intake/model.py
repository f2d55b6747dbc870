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
class SourceLine:
    """A line of text as OCR read it, with the recogniser's confidence (0–1)."""

    text: str
    confidence: float
    low: bool = False  # below the reader's threshold: the user should check it


@dataclass
class SourcePage:
    """One page as OCR read it: its lines and, when the reader was given a folder to keep it
    in, the path of the page's image (a PNG the preview shows beside the text)."""

    number: int
    lines: list[SourceLine] = field(default_factory=list)
    image: str | None = None


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
    # Which reader produced the outline (readers.READERS: "text", "docx", "docx_table", "pdf",
    # "ocr_pdf", "ocr_image", "xlsx"), the legacy format it was converted from ("doc", "wps",
    # "xls", "et"), the codes of the outline rules that shaped it (outline.RULES), and the pages
    # OCR read (empty for any other reader).
    reader: str = ""
    converted_from: str | None = None
    rules: list[str] = field(default_factory=list)
    pages: list[SourcePage] = field(default_factory=list)

    @property
    def low_confidence_lines(self) -> int:
        return sum(line.low for page in self.pages for line in page.lines)

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
