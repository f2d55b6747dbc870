"""What the readers of a 好差评 platform's export produce: plain dataclasses, no Django."""

from dataclasses import asdict, dataclass, field
from datetime import date, datetime


class Unreadable(Exception):
    """A file that cannot be read as a platform export at all. `message` is Chinese, for the
    person in the interface; `reason` is English, for logs."""

    def __init__(self, message: str, reason: str):
        super().__init__(reason)
        self.message = message
        self.reason = reason


@dataclass
class RowProblem:
    """Something wrong with one line of the file, in Chinese ("第12行：满意度“较好”无法识别").
    A fatal problem keeps the line out of the import; another one is a note (the value it
    concerns is left out or read as said)."""

    line: int
    message: str
    fatal: bool = True


@dataclass
class PlatformRating:
    """One rating as the platform exported it, its values read into ours."""

    line: int
    record_id: str
    level: int  # 5 非常满意 … 1 非常不满意
    rated_at: datetime  # naive: the local time the file gives
    channel: str  # one of values.Channel: web, qr, device, sms, other
    channel_text: str = ""  # as the file wrote it
    department: str = ""
    credit_code: str = ""
    service_item: str = ""
    case_number: str = ""
    comment: str = ""
    phone: str = ""
    dimensions: dict[str, int] = field(default_factory=dict)  # Rating's field name → level

    def as_json(self) -> dict:
        # By hand rather than asdict(), which deep-copies: a file holds up to 100,000 rows.
        data = dict(self.__dict__)
        data["rated_at"] = self.rated_at.isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict) -> "PlatformRating":
        return cls(**{**data, "rated_at": datetime.fromisoformat(data["rated_at"])})


@dataclass
class ServiceCountRow:
    """One unit's number of cases (办件量) in one month."""

    line: int
    department: str
    credit_code: str
    month: date  # the first day of the month
    count: int

    def as_json(self) -> dict:
        return {**asdict(self), "month": self.month.isoformat()}

    @classmethod
    def from_json(cls, data: dict) -> "ServiceCountRow":
        return cls(**{**data, "month": date.fromisoformat(data["month"])})


RATINGS = "ratings"
SERVICE_COUNTS = "service_counts"
KINDS = {RATINGS: "评价记录", SERVICE_COUNTS: "办件量"}


@dataclass
class ReadResult:
    """A file read: where its header was, which columns it had, the rows that could be read and
    what was wrong with the others."""

    kind: str  # RATINGS or SERVICE_COUNTS
    format: str  # "xlsx" or "csv"
    header_line: int
    columns: dict[str, str]  # our field → the header as the file wrote it
    rows: list = field(default_factory=list)  # PlatformRating or ServiceCountRow
    problems: list[RowProblem] = field(default_factory=list)
    sheet: str = ""
    encoding: str = ""

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "format": self.format,
            "sheet": self.sheet,
            "encoding": self.encoding,
            "header_line": self.header_line,
            "columns": self.columns,
            "rows": [row.as_json() for row in self.rows],
            "problems": [asdict(problem) for problem in self.problems],
        }
