"""What one person is told: a digest per unit, and one letter (e-mail) over all their units."""

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.conf import settings

from zhenggai.supervision.models import NotificationPart
from zhenggai.supervision.reminders.items import BEFORE, OVERDUE, STAGE_LABELS, TODAY, Item


@dataclass
class Digest:
    """What one person is told about one unit today."""

    recipient_id: int
    unit_id: int
    items: list[Item] = field(default_factory=list)
    seen: set = field(default_factory=set)

    def add(self, item: Item) -> None:
        key = (item.kind, item.problem_id, item.text, item.due)
        if key not in self.seen:
            self.seen.add(key)
            self.items.append(item)

    @property
    def top(self) -> int:
        return max(i.stage for i in self.items)

    def count(self, stage: int) -> int:
        return sum(1 for i in self.items if i.stage == stage)

    @property
    def unit_name(self) -> str:
        return self.items[0].unit_name

    def section(self) -> str:
        """This unit's part of a person's e-mail: its items by stage, then by problem."""
        lines = [f"【{self.unit_name}】{len(self.items)}项"]
        for stage in (OVERDUE, TODAY, BEFORE):
            group = [i for i in self.items if i.stage == stage]
            if not group:
                continue
            lines += [f"{STAGE_LABELS[stage]}（{len(group)}项）"]
            by_problem: dict[tuple, list[Item]] = {}
            for item in group:
                by_problem.setdefault((item.problem_id, item.role), []).append(item)
            for n, items in enumerate(by_problem.values(), 1):
                lines.append(f"{n}. {items[0].heading}")
                lines += [f"   · {i.line()}" for i in items]
                lines.append(f"   {items[0].url}")
        return "\n".join(lines)

    def summary(self, name: str, mobile: str) -> str:
        """This person's line in a group robot's message: counts only, no titles."""
        parts = [
            f"{STAGE_LABELS[stage]}{self.count(stage)}项"
            for stage in (OVERDUE, TODAY, BEFORE)
            if self.count(stage)
        ]
        mention = f"@{mobile} " if mobile else ""
        return f"{mention}{name}：{'、'.join(parts)}"


@dataclass
class Letter:
    """One person's e-mail of the day: their digests of every unit, the most pressing first."""

    recipient_id: int
    digests: list[Digest]

    def __post_init__(self) -> None:
        self.digests = sorted(self.digests, key=lambda d: (-d.top, -d.count(OVERDUE), d.unit_id))

    @property
    def top(self) -> int:
        return max(d.top for d in self.digests)

    @property
    def size(self) -> int:
        return sum(len(d.items) for d in self.digests)

    def count(self, stage: int) -> int:
        return sum(d.count(stage) for d in self.digests)

    @cached_property
    def sections(self) -> list[str]:
        return [d.section() for d in self.digests]

    @property
    def unit_id(self) -> int | None:
        """The unit, when the letter concerns only one."""
        return self.digests[0].unit_id if len(self.digests) == 1 else None

    def subject(self, run_date: date) -> str:
        late = self.count(OVERDUE)
        extra = f"，其中{late}项已逾期" if late else ""
        return f"【整改督办】{run_date:%m月%d日}您有{self.size}项整改事项需办理{extra}"

    def body(self, name: str, run_date: date) -> str:
        units = f"，涉及{len(self.digests)}个单位" if len(self.digests) > 1 else ""
        lines = [
            f"{name}：",
            "",
            f"截至{run_date:%Y年%m月%d日}，以下{self.size}项整改事项需要您办理{units}：",
        ]
        for section in self.sections:
            lines += ["", section]
        lines += ["", f"请登录整改系统办理：{settings.SITE_URL}/my/", "（此消息由系统自动发送）"]
        return "\n".join(lines)

    def parts(self, with_text: bool = True) -> list[NotificationPart]:
        """Each unit's part; its text only where the letter covers several units (a letter about
        one unit is shown whole to that unit's offices)."""
        with_text = with_text and len(self.digests) > 1
        texts = self.sections if with_text else [""] * len(self.digests)
        return [
            NotificationPart(unit_id=d.unit_id, items=len(d.items), text=text)
            for d, text in zip(self.digests, texts, strict=True)
        ]

    def items_json(self) -> list[dict]:
        return [i.as_json() for d in self.digests for i in d.items]
