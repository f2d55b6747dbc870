"""What a round's 整改方案 says, built from the ledger and the unit's roles: plain values only,
for the Word template (plan_layout) to lay out.

The shape is that of the plans offices issue (seed 003): a title "中共…党组关于落实…反馈意见的
整改方案", an opening (the feedback, its date and the inspecting body, what the plan is for),
一、指导思想, 二、组织领导 (the leading group: 组长 the unit's leader, its other leaders and the
整改办 as members, the group's office at the 整改办), 三、整改任务 (area by area, problem by
problem, each measure with its 责任领导, 牵头科室, 责任科室 and 整改时限) and 四、工作要求.
A plan is made at the plan stage, before it is approved, and again at any time: what is not
decided yet is printed as 待明确 or 待定, for the office to see before it prints.
"""

from dataclasses import asdict, dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from zhenggai.ledger.models import DeadlineKind, Measure, Problem, State
from zhenggai.lib.names import person_name
from zhenggai.orgs.models import Membership, Role, Unit
from zhenggai.orgs.services import memberships_in
from zhenggai.reports.content import REGULATED, cn_date
from zhenggai.reports.ledger_xlsx import ordinal
from zhenggai.rounds.models import InspectionRound

UNDECIDED = "待明确"
# The order in which a unit's leaders head its leading group: the Party secretary first.
HEAD_TITLES = ("书记", "局长", "主任", "主席", "院长", "校长", "社长", "行长")


@dataclass
class PlanMeasure:
    text: str
    duties: list[str]  # 责任领导：…；牵头科室：…；责任科室：…；整改时限：…。


@dataclass
class PlanProblem:
    heading: str
    paragraphs: list[str]
    measures: list[PlanMeasure]


@dataclass
class PlanArea:
    heading: str
    problems: list[PlanProblem] = field(default_factory=list)


@dataclass
class PlanPart:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    areas: list[PlanArea] = field(default_factory=list)


@dataclass
class PlanTotals:
    problems: int
    areas: int
    measures: int


@dataclass
class PlanContent:
    kind: str
    title: str
    issuer: str
    unit: str
    inspecting_body: str
    round_kind: str
    feedback_date: str
    opening: str
    parts: list[PlanPart]
    signed_on: str
    totals: PlanTotals

    def as_json(self) -> dict:
        return asdict(self)


def plan_title(issuer: str, round: InspectionRound) -> str:
    """ "中共区科技局党组关于落实区委第一巡察组巡察反馈意见的整改方案"; an audit's or an
    evaluation's plan answers the problems it found ("关于市审计局审计反馈问题的整改方案")."""
    what = f"{round.inspecting_body_name}{round.get_kind_display()}"
    if round.kind in REGULATED:
        return f"{issuer}关于落实{what}反馈意见的整改方案"
    return f"{issuer}关于{what}反馈问题的整改方案"


def deadline_words(measure: Measure) -> str:
    """整改时限 as plans write it: 立行立改, 长期坚持, or "2026年12月31日前"."""
    if measure.deadline_kind != DeadlineKind.DATE:
        return DeadlineKind(measure.deadline_kind).label
    return f"{cn_date(measure.deadline)}前" if measure.deadline else "待定"


def _duties(measure: Measure) -> list[str]:
    lines = [
        f"责任领导：{person_name(measure.lead_leader) or UNDECIDED}",
        f"牵头科室：{measure.lead_section.name if measure.lead_section else UNDECIDED}",
    ]
    responsible = [section.name for section in measure.responsible_sections.all()]
    if responsible:
        lines.append(f"责任科室：{'、'.join(responsible)}")
    lines.append(f"整改时限：{deadline_words(measure)}")
    return [line + "；" for line in lines[:-1]] + [lines[-1] + "。"]


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if not text or text[-1] in "。；！？.;!?" else text + "。"


def _problem(number: int, problem: Problem) -> PlanProblem:
    measures = list(problem.measures.all())
    paragraphs = []
    description = problem.description.strip()
    if description and description != problem.title.strip():
        paragraphs.append("问题表现：" + _sentence(description))
    if not measures:
        paragraphs.append("整改措施：待制定。")
    planned = []
    for n, measure in enumerate(measures, start=1):
        label = f"（{n}）" if len(measures) > 1 else "整改措施："
        planned.append(PlanMeasure(label + _sentence(measure.text), _duties(measure)))
    return PlanProblem(f"{number}．{problem.title.strip()}", paragraphs, planned)


def _areas(problems: list[Problem]) -> list[PlanArea]:
    """Areas (（一）…) in the order the feedback gives them, problems numbered 1．within each."""
    areas: dict[str, PlanArea] = {}
    for problem in problems:
        name = (problem.path[0] if problem.path else problem.area) or "其他问题"
        area = areas.get(name)
        if area is None:
            area = areas[name] = PlanArea(f"（{ordinal(len(areas) + 1)}）{name}")
        area.problems.append(_problem(len(area.problems) + 1, problem))
    return list(areas.values())


def _problems(round: InspectionRound) -> list[Problem]:
    measures = (
        Measure.objects.filter(withdrawn=False)
        .order_by("position", "id")
        .select_related("lead_leader", "lead_section")
        .prefetch_related("responsible_sections")
    )
    problems = round.problems.exclude(state=State.WITHDRAWN).order_by("position", "id")
    return list(problems.prefetch_related(Prefetch("measures", queryset=measures)))


def _named(membership: Membership) -> str:
    name = person_name(membership.user)
    return f"{name}（{membership.title}）" if membership.title.strip() else name


def _head_rank(membership: Membership) -> tuple:
    title = membership.title
    found = [n for n, word in enumerate(HEAD_TITLES) if word in title]
    return (found[0] if found else len(HEAD_TITLES), "副" in title, membership.pk)


def _office_rank(membership: Membership) -> tuple:
    """The group's office: a 整改办 membership with a title first, then by name."""
    return (not membership.title.strip(), person_name(membership.user), membership.pk)


def leading_group(unit: Unit, what: str, issuer: str) -> list[str]:
    """The leading group's paragraphs, from the memberships of the unit itself and its sections
    (never of units below it): 组长 its first leader (the secretary where a title says so),
    members its other leaders and its 整改办, and the group's office at the 整改办 (the one
    with a title, else the first by name)."""
    memberships = (
        memberships_in([unit.pk])
        .filter(role__in=(Role.LEADER, Role.RECTIFICATION_OFFICE), user__is_active=True)
        .select_related("user", "unit")
        .order_by("id")
    )
    leaders = sorted((m for m in memberships if m.role == Role.LEADER), key=_head_rank)
    office = sorted(
        (m for m in memberships if m.role == Role.RECTIFICATION_OFFICE), key=_office_rank
    )
    head = leaders[0] if leaders else None
    lines = [f"为加强对整改工作的组织领导，成立{unit.name}{what}整改工作领导小组。"]
    lines.append(f"组长：{_named(head) if head else issuer + '主要负责同志'}")
    seen = {head.user_id} if head else set()
    members = []
    for membership in leaders[1:] + office:
        if membership.user_id not in seen:
            seen.add(membership.user_id)
            members.append(_named(membership))
    if members:
        lines.append(f"成员：{'、'.join(members)}")
    # The office sits in a section where a 整改办 role is held on one; a role held on the unit
    # names no place, and the plan then says none (not "设在整改办", a role, not a place).
    place = next((m.unit.name for m in office if m.unit.kind == Unit.Kind.SECTION), "")
    where = f"办公室设在{place}，" if place else ""
    director = f"由{_named(office[0])}任办公室主任，" if office else ""
    lines.append(
        f"领导小组下设办公室，{where}{director}"
        "负责整改工作的统筹协调、台账管理、督促检查和情况汇总。"
    )
    lines.append(
        "组长履行整改第一责任人责任，班子成员按照分工认领问题、带头整改，"
        "各责任科室主要负责同志为本科室整改工作直接责任人。"
    )
    return lines


def found_words(totals: PlanTotals) -> str:
    """ "3个方面12个问题", or "2个问题" when the feedback has no areas to count."""
    areas = f"{totals.areas}个方面" if totals.areas > 1 else ""
    return f"{areas}{totals.problems}个问题"


def opening(round: InspectionRound, totals: PlanTotals) -> str:
    body, unit, what = round.inspecting_body_name, round.unit.name, round.get_kind_display()
    found = found_words(totals)
    if round.feedback_date:
        first = f"{cn_date(round.feedback_date)}，{body}向{unit}反馈了{what}意见，指出了{found}。"
    else:
        first = f"{body}在{what}中指出了{unit}{found}。"
    basis = "按照《中国共产党巡视工作条例》有关规定，" if round.kind in REGULATED else ""
    return f"{first}为认真抓好反馈问题整改落实，{basis}结合工作实际，制定本方案。"


def guiding_idea(round: InspectionRound) -> str:
    what = round.get_kind_display()
    return (
        "以习近平新时代中国特色社会主义思想为指导，深入贯彻党的二十大和二十届历次全会精神，"
        f"把抓好{what}整改作为重大政治任务，坚持问题导向、目标导向、结果导向，"
        "逐条逐项制定整改措施，明确责任领导、责任科室和整改时限，"
        "做到问题不查清不放过、整改不到位不放过、长效机制不建立不放过，"
        "以整改实效推动各项工作高质量发展。"
    )


def requirements(round: InspectionRound) -> list[str]:
    what = round.get_kind_display()
    return [
        f"（一）提高政治站位，压实整改责任。把抓好{what}整改作为检验对党忠诚的试金石，"
        "领导小组组长履行第一责任人责任，责任领导对分管领域整改工作亲自部署、亲自督促，"
        "牵头科室和责任科室主要负责同志具体抓落实，层层传导压力，确保责任到人。",
        "（二）坚持立行立改，确保按期完成。各责任科室要对照本方案细化整改措施，"
        "能够立即整改的立行立改，需要一定时间整改的限期完成，需要长期坚持的持续推进、"
        "定期报告进展，确保每个问题都按时整改到位。",
        "（三）强化督促检查，严格销号管理。领导小组办公室建立问题、任务、责任三张清单，"
        "实行台账管理、销号管理，定期调度整改进展；对整改不力、敷衍整改、虚假整改的，"
        "严肃追责问责。",
        "（四）注重建章立制，巩固整改成果。坚持举一反三、标本兼治，把整改中形成的好经验"
        "好做法转化为制度成果，建立健全长效机制，防止问题反弹回潮。",
    ]


def build(notice, *, public: bool = False) -> dict:
    """The plan of `notice`'s round as the template's context (a plan has no public version:
    `public` is accepted as for every kind, and changes nothing). A round without problems
    has no plan: reports.documents.DocumentError says so."""
    from zhenggai.reports.documents import DocumentError  # documents reads kinds, which name us

    round = notice.round
    problems = _problems(round)
    if not problems:
        raise DocumentError(
            "本轮次还没有问题，无法生成整改方案；请先录入或导入反馈的问题。",
            f"round {round.pk} has no problems",
        )
    areas = _areas(problems)
    measures = sum(len(p.measures) for a in areas for p in a.problems)
    totals = PlanTotals(problems=len(problems), areas=len(areas), measures=measures)
    what = round.get_kind_display()
    body = round.inspecting_body_name
    tasks = (
        f"对照{body}反馈的{found_words(totals)}，制定整改措施"
        f"{totals.measures}条，逐项明确责任领导、牵头科室、责任科室和整改时限。"
    )
    parts = [
        PlanPart("一、指导思想", [guiding_idea(round)]),
        PlanPart("二、组织领导", leading_group(round.unit, what, notice.issuer)),
        PlanPart("三、整改任务", [tasks], areas),
        PlanPart("四、工作要求", requirements(round)),
    ]
    return PlanContent(
        kind="plan",
        title=plan_title(notice.issuer, round),
        issuer=notice.issuer,
        unit=round.unit.name,
        inspecting_body=body,
        round_kind=what,
        feedback_date=cn_date(round.feedback_date),
        opening=opening(round, totals),
        parts=parts,
        signed_on=cn_date(timezone.localdate()),
        totals=totals,
    ).as_json()


def sample() -> dict:
    """A plan with every part present, to try an uploaded template on."""
    measure = PlanMeasure(
        "（1）组织专题学习。", ["责任领导：张三；", "牵头科室：办公室；", "整改时限：立行立改。"]
    )
    problem = PlanProblem("1．学习制度落实不到位", ["问题表现：……。"], [measure])
    parts = [
        PlanPart("一、指导思想", ["以……为指导。"]),
        PlanPart("二、组织领导", ["组长：张三（党组书记）", "成员：李四"]),
        PlanPart("三、整改任务", ["对照……"], [PlanArea("（一）政治建设方面", [problem])]),
        PlanPart("四、工作要求", ["（一）提高政治站位。"]),
    ]
    return PlanContent(
        "plan", "中共某局党组关于落实……的整改方案", "中共某局党组", "某局", "某巡察组",
        "巡察", "2024年3月1日", "开头。", parts, "2024年3月15日", PlanTotals(1, 1, 1),
    ).as_json()  # fmt: skip
