"""What a person is reminded of: one item, how pressing it is, and how it reads."""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.conf import settings
from django.urls import reverse

# Levels of an item for a person, the most pressing last.
BEFORE, TODAY, OVERDUE = 1, 2, 3
STAGE_LABELS = {OVERDUE: "已逾期", TODAY: "今日到期", BEFORE: "即将到期"}
AS_OWNER, AS_SECTION, AS_LEADER, AS_OFFICE = "责任人", "牵头科室", "责任领导", "整改办"
KIND_LABELS = {"measure": "措施", "report": "长期整改定期报告", "escalation": "督办单答复"}


@lru_cache(maxsize=100_000)
def problem_url(problem_id: int) -> str:
    return settings.SITE_URL + reverse("problem_detail", args=[problem_id])


def short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Item:
    """One thing a person is reminded of."""

    kind: str  # measure, report (long-term), escalation
    problem_id: int
    unit_id: int
    number: str
    title: str
    unit_name: str
    text: str
    due: date
    stage: int
    workdays_late: int
    role: str = ""

    @property
    def url(self) -> str:
        return problem_url(self.problem_id)

    @property
    def heading(self) -> str:
        head = f"{self.number} {self.title}".strip()
        return f"{head}（您是{self.role}）"

    def line(self) -> str:
        if self.stage == OVERDUE:
            when = f"期限{self.due:%Y-%m-%d}，已逾期{self.workdays_late}个工作日"
        elif self.stage == TODAY:
            when = f"今日（{self.due:%Y-%m-%d}）到期"
        else:
            when = f"{self.due:%Y-%m-%d}到期"
        return f"{KIND_LABELS[self.kind]}：{self.text}；{when}"

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "unit": self.unit_id,
            "problem": self.problem_id,
            "due": self.due.isoformat(),
            "stage": self.stage,
            "role": self.role,
            "late": self.workdays_late,
        }

    def late_by(self, workdays: int) -> bool:
        """Whether the item is overdue by at least `workdays` working days."""
        return self.stage == OVERDUE and self.workdays_late >= workdays
