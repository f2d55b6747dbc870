"""What a round's report and public notice say, built from the ledger: plain values only, so
the Word templates, the published page and its stored snapshot all read the same thing.

The structure follows the notices offices publish (see the seeds): the opening with the
inspection period and feedback date, the organisation of the work, problem by problem what was
done, the outcomes, next steps, and the contacts for public supervision.
"""

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from zhenggai.ledger.figures import figures_for
from zhenggai.ledger.models import CLOSED_STATES, Measure, Problem, ProgressReport, State
from zhenggai.lib.dates import cn_date  # noqa: F401  (re-exported for the reports' modules)
from zhenggai.reports import kinds
from zhenggai.reports.ledger_xlsx import ordinal
from zhenggai.rounds.models import InspectionRound

# The codes of the kinds (reports.kinds) callers pass to build(), documents.docx() and so on.
REPORT = kinds.REPORT.code
NOTICE = kinds.NOTICE.code
# Rounds whose rectification the inspection regulations govern, and which a notice cites.
REGULATED = {
    InspectionRound.Kind.XUNCHA,
    InspectionRound.Kind.XUNSHI,
    InspectionRound.Kind.SPECIAL,
}


def _period(start: date | None, end: date | None) -> str:
    if not start or not end:
        return ""
    if start.year == end.year:
        return f"{cn_date(start)}至{end.month}月{end.day}日"
    return f"{cn_date(start)}至{cn_date(end)}"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in "。；！？.;!?：:" else text + "。"


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@dataclass
class ProblemPart:
    heading: str
    paragraphs: list[str]


@dataclass
class Group:
    """An area (方面) or a category under it, with its problems and its own categories."""

    heading: str
    problems: list[ProblemPart] = field(default_factory=list)
    groups: list["Group"] = field(default_factory=list)


@dataclass
class Part:
    """A first-level part: 一、…, with paragraphs and, for the problems part, its areas."""

    heading: str
    paragraphs: list[str] = field(default_factory=list)
    areas: list[Group] = field(default_factory=list)


@dataclass
class Totals:
    problems: int
    areas: int
    rectified: int
    long_term: int
    submitted: int
    in_progress: int
    withheld: int
    rules_made: int
    rules_revised: int
    funds_recovered: str
    people_held_accountable: int


@dataclass
class Content:
    kind: str
    public: bool
    title: str
    issuer: str
    addressee: str
    unit: str
    inspecting_body: str
    round_kind: str
    period: str
    feedback_date: str
    opening: str
    totals_sentence: str
    outcomes_sentence: str
    parts: list[Part]
    supervision: str
    contacts: list[str]
    closing: str
    signed_on: str
    totals: Totals

    def as_json(self) -> dict:
        return asdict(self)


def totals_sentence(body: str, totals: Totals) -> str:
    """ "反馈的N个问题已整改完成M个，K个需长期坚持", computed from the ledger."""
    areas = f"{totals.areas}个方面" if totals.areas else ""
    head = f"{body}反馈的{areas}{totals.problems}个问题，"
    if totals.problems and totals.rectified == totals.problems:
        done = "已全部整改完成"
        if totals.long_term:
            done += f"，其中{totals.long_term}个需长期坚持"
    else:
        done = f"已整改完成{totals.rectified}个"
        if totals.long_term:
            done += f"，其中{totals.long_term}个需长期坚持"
        if totals.submitted:
            done += f"；{totals.submitted}个已整改、正在审核销号"
        if totals.in_progress:
            done += f"；{totals.in_progress}个正在整改中"
    sentence = head + done + "。"
    if totals.withheld:
        sentence += f"其中{totals.withheld}个问题按规定不予公开，未逐项列出。"
    return sentence


def outcomes_sentence(totals: Totals) -> str:
    pieces = []
    if totals.rules_made:
        pieces.append(f"新建制度{totals.rules_made}项")
    if totals.rules_revised:
        pieces.append(f"修订完善制度{totals.rules_revised}项")
    if Decimal(totals.funds_recovered):
        pieces.append(f"挽回（追缴）资金{totals.funds_recovered}万元")
    if totals.people_held_accountable:
        pieces.append(f"问责{totals.people_held_accountable}人")
    return f"通过整改，{'，'.join(pieces)}。" if pieces else ""


def circled(n: int) -> str:
    """①…⑳ for a problem's measures, a level below its own number (（1） or 1．)."""
    return chr(0x2460 + n - 1) if 1 <= n <= 20 else f"（{n}）"


def _status(problem: Problem, due: date | None, today: date) -> str:
    if problem.state in CLOSED_STATES:
        return "该问题已整改完成。"
    if problem.state == State.LONG_TERM:
        return "该问题已完成阶段性整改，需长期坚持。"
    if problem.state == State.SUBMITTED:
        return "该问题已整改，正在审核销号。"
    if due and due < today:  # said as it is: the office sees it in the preview first
        return f"该问题正在整改中，原定于{cn_date(due)}前完成，目前已超期。"
    if due:
        return f"该问题正在整改中，计划于{cn_date(due)}前完成。"
    return "该问题正在整改中。"


def _problem_paragraphs(problem: Problem, latest: dict, today: date) -> list[str]:
    lines = ["整改情况："]
    measures = [m for m in problem.measures.all() if not m.withdrawn]
    for n, measure in enumerate(measures, start=1):
        number = circled(n) if len(measures) > 1 else ""
        report = latest.get(("measure", measure.pk))
        lines.append(number + _sentence(measure.text) + (_sentence(report) if report else ""))
    general = latest.get(("problem", problem.pk))
    if general:
        lines.append(_sentence(general))
    lines.append(_status(problem, problem.due_date, today))
    return lines


def _latest_reports(problems: list[Problem]) -> dict:
    """The newest progress text of each measure, and of each problem as a whole."""
    latest: dict = {}
    reports = (
        ProgressReport.objects.filter(problem__in=problems)
        .order_by("-created_at", "-id")
        .values_list("problem_id", "measure_id", "text")
    )
    for problem_id, measure_id, text in reports:
        key = ("measure", measure_id) if measure_id else ("problem", problem_id)
        latest.setdefault(key, text)
    return latest


def _areas(problems: list[Problem], latest: dict) -> list[Group]:
    """Areas (（一）), categories under them (1．) and problems (1． or （1）)."""
    areas: dict[str, Group] = {}
    categories: dict[tuple, Group] = {}
    counters: dict[int, int] = defaultdict(int)
    today = timezone.localdate()
    for problem in problems:
        area_name = problem.path[0] if problem.path else "其他问题"
        area = areas.get(area_name)
        if area is None:
            area = areas[area_name] = Group(f"（{ordinal(len(areas) + 1)}）{area_name}")
        parent = area
        if len(problem.path) > 1:
            key = (area_name, problem.path[1])
            parent = categories.get(key)
            if parent is None:
                parent = categories[key] = Group(f"{len(area.groups) + 1}．{problem.path[1]}")
                area.groups.append(parent)
        counters[id(parent)] += 1
        n = counters[id(parent)]
        number = f"（{n}）" if parent is not area else f"{n}．"
        parent.problems.append(
            ProblemPart(number + problem.title, _problem_paragraphs(problem, latest, today))
        )
    return list(areas.values())


def _totals(round: InspectionRound, shown: int) -> Totals:
    figures = figures_for(round.problems.all())
    outcomes = figures.outcomes
    return Totals(
        problems=figures.problems,
        areas=figures.areas,
        rectified=figures.rectified,
        long_term=figures.long_term,
        submitted=figures.submitted,
        in_progress=figures.problems - figures.rectified - figures.submitted,
        withheld=figures.problems - shown,
        rules_made=outcomes["rules_made"],
        rules_revised=outcomes["rules_revised"],
        funds_recovered=f"{outcomes['funds_recovered']:f}".rstrip("0").rstrip(".") or "0",
        people_held_accountable=outcomes["people_held_accountable"],
    )


def opening(round: InspectionRound, kind: str) -> str:
    body, unit, what = round.inspecting_body_name, round.unit.name, round.get_kind_display()
    sentences = []
    period = _period(round.period_start, round.period_end)
    if period:
        sentences.append(f"{period}，{body}对{unit}开展了{what}。")
    if round.feedback_date:
        sentences.append(f"{cn_date(round.feedback_date)}，{body}向{unit}反馈了{what}意见。")
    if not sentences and body:  # no dates known: the feedback is still what it answers
        sentences.append(f"根据{body}{what}反馈意见，")
    basis = "按照《中国共产党巡视工作条例》有关规定，" if round.kind in REGULATED else ""
    sentences.append(basis + kinds.get(kind).announces.format(what=what))
    return "".join(sentences)


def _problems(round: InspectionRound, *, public: bool) -> list[Problem]:
    problems = round.problems.exclude(state=State.WITHDRAWN).order_by("position", "id")
    if public:
        problems = problems.filter(disclose=True)
    return list(
        problems.prefetch_related(
            Prefetch("measures", queryset=Measure.objects.order_by("position", "id"))
        )
    )


def _parts(notice, problems: list[Problem], totals_text: str, outcomes_text: str) -> list[Part]:
    """一、… the organisation of the work, the problems, the outcomes and the next steps (the
    parts with something to say)."""
    parts = []
    organisation = paragraphs(notice.organisation)
    if organisation:
        parts.append(Part("整改工作组织推进情况", organisation))
    parts.append(
        Part("反馈问题整改落实情况", [totals_text], _areas(problems, _latest_reports(problems)))
    )
    if outcomes_text:
        parts.append(Part("整改成效", [outcomes_text]))
    next_steps = paragraphs(notice.next_steps)
    if next_steps:
        parts.append(Part("下一步工作打算", next_steps))
    for n, part in enumerate(parts, start=1):
        part.heading = f"{ordinal(n)}、{part.heading}"
    return parts


def build(notice, kind: str, *, public: bool) -> Content:
    """The content of the round's document of `kind` (a code of reports.kinds); a public
    version leaves out problems not for disclosure (the totals still count them, and say so)."""
    round, sections = notice.round, kinds.get(kind)
    problems = _problems(round, public=public)
    totals = _totals(round, len(problems))
    what = round.get_kind_display()
    totals_text = totals_sentence(round.inspecting_body_name, totals)
    outcomes_text = outcomes_sentence(totals)
    supervision = f"欢迎广大干部群众对{what}整改落实情况进行监督。如有意见建议，请及时向我们反映。"
    return Content(
        kind=kind,
        public=public,
        title=notice.title_for(kind),
        issuer=notice.issuer,
        addressee=notice.addressee if sections.addressee else "",
        unit=round.unit.name,
        inspecting_body=round.inspecting_body_name,
        round_kind=what,
        period=_period(round.period_start, round.period_end),
        feedback_date=cn_date(round.feedback_date),
        opening=opening(round, kind),
        totals_sentence=totals_text,
        outcomes_sentence=outcomes_text,
        parts=_parts(notice, problems, totals_text, outcomes_text),
        supervision=supervision if sections.supervision else "",
        contacts=notice.contact_lines() if sections.supervision else [],
        closing=sections.closing,
        signed_on=cn_date(notice.signed_on),
        totals=totals,
    )
