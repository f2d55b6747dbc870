"""The demo's monthly assessment (seed 002): the 营商办 scores its six departments and three
streets each month by a 2026-style scheme (市级考核双评议, 企业诉求反馈, 八项重要指标推进情况, 日常工作,
三方考评, 政策兑现, 日常督查), amended from the third month on. Three months are published; the
same department was last in the last two, so the bottom-rank rule opened a 约谈, held with two
commitments, and a clue went to the discipline group. The latest month is left open.

The figures are computed from the ledger's timeline: the 差评 problems and the lapses the
office's 日常督查 found (below) were made "now", so their state spans are replayed over the months they speak of (as the
tests' `backdate` does), and the 督办单 are dated in those months too.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from math import ceil

from django.utils import timezone

from zhenggai.assessments.models import Score
from zhenggai.assessments.services import interviews, months, schemes
from zhenggai.assessments.values import IndicatorKind, Metric
from zhenggai.demo.evaluations import SECTIONS
from zhenggai.demo.evaluations import _history as rating_history
from zhenggai.evaluations.models import PeriodRound, Rating, RatingPoint
from zhenggai.evaluations.services.bad_reviews import period_round
from zhenggai.evaluations.services.ratings import rebuild_tallies
from zhenggai.evaluations.values import Mode, period_of
from zhenggai.ledger import services, workflow
from zhenggai.ledger.models import DeadlineKind, Event, State, StateSpan
from zhenggai.ledger.schedule import add_months, refresh_due_date
from zhenggai.ledger.services.measures import add_measure
from zhenggai.ledger.services.problems import add_problem, refresh_search_text
from zhenggai.orgs.access import forget_scope
from zhenggai.orgs.models import Membership, Role, Unit
from zhenggai.orgs.services import create_unit
from zhenggai.supervision.history import Action as SupervisionAction
from zhenggai.supervision.models import Escalation
from zhenggai.supervision.services import answer_escalation, issue_escalation

ANSWERED = SupervisionAction.ANSWERED
STREETS = ["东湖街道", "南湖街道", "沌阳街道"]
# The department last in the second and third months (so the rule opens its 约谈).
LAGGARD = "市不动产登记中心"
MONTHS = 4
C = IndicatorKind.COMPUTED
E = IndicatorKind.ENTERED
IMPORTED = IndicatorKind.IMPORTED
# (section, name, kind, metric, points, extra): modelled on seed 002's 考核办法.
DEPARTMENTS = [
    ("市级考核双评议", "好评率", C, Metric.GOOD_RATE, 15, {"target": "0.98", "deduct_per": "1"}),
    ("市级考核双评议", "评价数量", C, Metric.RATING_COUNT, 5, {"target": "40"}),
    ("企业诉求反馈", "差评整改率", C, Metric.BAD_RECTIFIED_RATE, 10, {}),
    ("企业诉求反馈", "回访率", C, Metric.CALLBACK_RATE, 5, {}),
    ("八项重要指标推进情况", "按期整改率", C, Metric.ON_TIME_RATE, 15, {}),
    ("八项重要指标推进情况", "逾期问题", C, Metric.OVERDUE, 5, {"deduct_per": "1"}),
    ("日常工作", "督办单按时答复率", C, Metric.ORDERS_ON_TIME, 10, {}),
    ("三方考评", "第三方考评", IMPORTED, "", 20, {}),
    ("政策兑现", "政策兑现", E, "", 5, {}),
    ("日常督查", "日常督查", E, "", 10, {}),
]
STREET_INDICATORS = [
    ("市级考核双评议", "好评率", C, Metric.GOOD_RATE, 20, {"target": "0.98", "deduct_per": "1"}),
    ("市级考核双评议", "评价数量", C, Metric.RATING_COUNT, 10, {"target": "30"}),
    ("八项重要指标推进情况", "按期整改率", C, Metric.ON_TIME_RATE, 15, {}),
    ("八项重要指标推进情况", "逾期问题", C, Metric.OVERDUE, 5, {"deduct_per": "1"}),
    ("三方考评", "第三方考评", IMPORTED, "", 30, {}),
    ("政策兑现", "政策兑现", E, "", 5, {}),
    ("日常督查", "日常督查", E, "", 15, {}),
]
LAPSES = [
    ("电话接听不及时", "-0.5", "考核办法第七条第（一）项"),
    ("好差评办件推送率偏低", "-1", "考核办法第七条第（三）项"),
    ("未按时报送月度工作信息", "-0.5", "考核办法第七条第（二）项"),
    ("窗口人员脱岗", "-1", "考核办法第七条第（四）项"),
]


def load_assessments(users: dict, office: Unit, today: date) -> dict:
    """The groups, schemes and months of the evaluation office's assessment."""
    pingjia = users["pingjia"]
    departments = list(Unit.objects.filter(parent=office, kind=Unit.Kind.UNIT).order_by("pk"))
    last = add_months(today.replace(day=1), -1)
    if last.month < MONTHS:  # too early in the year: show the last months of the year before
        last = date(last.year - 1, 12, 1)
    days = [add_months(last, back - MONTHS + 1) for back in range(MONTHS)]
    streets = _streets(office, users, today)
    _replay_bad_reviews(departments)
    _inspections(departments, users, days)
    groups = [
        (schemes.save_group(office, by=pingjia, name="部门", units=departments), DEPARTMENTS),
        (schemes.save_group(office, by=pingjia, name="街道", units=streets), STREET_INDICATORS),
    ]
    rng = random.Random(2026)  # nosec B311 - a seeded demo, the same every time; no secret
    laggard = next(u for u in departments if u.name == LAGGARD)
    published, open_months = [], []
    for group, indicators in groups:
        scheme = _scheme(group, indicators, pingjia, days)
        members = departments if group.name == "部门" else streets
        for n, day in enumerate(days):
            # The laggard is last in the second and third months; otherwise whoever the
            # month's own figures put lowest.
            last_unit = laggard if group.name == "部门" and n in (1, 2) else None
            month = _month(scheme, day, members, last_unit, pingjia, rng)
            if n < MONTHS - 1:
                months.review(month, by=pingjia, note="经评价办集体审核。")
                months.lock(month, by=pingjia)
                published.append(months.publish(month, by=pingjia))
            else:
                open_months.append(month)
    interview = _interview(laggard, published, users, today)
    return {"assessment_months": published + open_months, "interview": interview}


def _streets(office: Unit, users: dict, today: date) -> list[Unit]:
    """Three streets under the office, like its departments: sections, people, a rated hall."""
    streets, points = [], []
    for n, name in enumerate(STREETS):
        unit = create_unit(name, Unit.Kind.UNIT, office, credit_code=f"11330100MC{n:07d}X"[:18])
        sections = [create_unit(s, Unit.Kind.SECTION, unit) for s in SECTIONS]
        Membership.objects.create(user=users["shuji"], unit=unit, role=Role.LEADER, title="主任")
        Membership.objects.create(
            user=users["zhenggaiban"], unit=unit, role=Role.RECTIFICATION_OFFICE
        )
        Membership.objects.create(user=users["keshi"], unit=sections[1], role=Role.SECTION_STAFF)
        point = RatingPoint.objects.create(
            unit=unit,
            section=sections[1],
            kind=RatingPoint.Kind.WINDOW,
            name="便民服务中心窗口",
            mode=Mode.ON_SITE,
            created_by=users["pingjia"],
        )
        streets.append(unit)
        points.append((point, (6, 12, 18)[n]))
    for user in users.values():
        forget_scope(user)
    rng = random.Random(7)  # nosec B311 - a seeded demo, the same every time; no secret
    ratings = [r for point, share in points for r in rating_history(point, share, today, rng)]
    # Fewer ratings at the streets than at the halls: about ten to twenty a month.
    ratings = [r for n, r in enumerate(ratings) if n % (2 + n % 2) == 0]
    Rating.objects.bulk_create(ratings, batch_size=1000)
    rebuild_tallies([p.pk for p, _ in points])
    return streets


def _scheme(group, indicators, by, days):
    """The group's scheme of the year, and an amendment in force from the third month."""
    scheme = schemes.create_scheme(
        group,
        by=by,
        year=days[0].year,
        title=f"{days[0].year}年优化营商环境工作考核办法（{group.name}）",
        list_size=2,
        bottom_count=1,
        bottom_months=2,
        # The departments' lists are published on the public pages (考核红黑榜).
        public_lists=group.name == "部门",
    )
    version = scheme.versions.get()
    for section, name, kind, metric, points, extra in indicators:
        schemes.save_indicator(
            version,
            by=by,
            section=section,
            name=name,
            kind=kind,
            metric=metric,
            points=Decimal(points),
            **{key: Decimal(value) for key, value in extra.items()},
        )
    schemes.issue_version(version, by=by)
    amended = schemes.new_version(
        scheme, by=by, effective_from=days[2], note="逾期问题每项扣分由1分调整为2分。"
    )
    overdue = amended.indicators.get(metric=Metric.OVERDUE)
    values = {
        f: getattr(overdue, f)
        for f in ("section", "name", "standard", "kind", "metric", "points", "target", "cap")
    }
    schemes.save_indicator(amended, by=by, indicator=overdue, **values, deduct_per=Decimal(2))
    schemes.issue_version(amended, by=by)
    return scheme


def _month(scheme, day: date, members, last_unit, by, rng):
    """Open and compute a month, enter the 日常督查 deductions, import the 三方考评 scores so that
    `last_unit` comes last."""
    month = months.open_month(scheme, day, by=by)
    indicators = {i.name: i for i in month.version.indicators.all()}
    if last_unit is None:
        base = _base(month, members, indicators["第三方考评"])
        last_unit = min(members, key=lambda u: (base[u.pk], u.pk))
    for n, unit in enumerate(members):
        if unit == last_unit or rng.random() < 0.4:
            reason, amount, rule = LAPSES[(n + day.month) % len(LAPSES)]
            months.add_entry(
                month,
                unit,
                indicators["日常督查"],
                by=by,
                amount=Decimal(amount),
                reason=reason,
                rule=rule,
                occurred_on=day + timedelta(days=3 + n * 2),
            )
    if last_unit.pk % 2 == 0 or day.month % 2:
        months.add_entry(
            month,
            last_unit,
            indicators["政策兑现"],
            by=by,
            amount=Decimal("-1"),
            reason="惠企政策兑现不及时",
            rule="考核办法第六条",
            occurred_on=day + timedelta(days=20),
        )
    imported = indicators["第三方考评"]
    cap = imported.cap
    base = _base(month, members, imported)
    gap = base[last_unit.pk] - min(base[u] + cap for u in base if u != last_unit.pk) + 1
    if gap > 0:  # its lapses went on: enough of them to put it last even on a fair import
        months.add_entry(
            month,
            last_unit,
            indicators["日常督查"],
            by=by,
            amount=-min(Decimal(ceil(gap)), Decimal(5)),
            reason="同类问题反复出现，经督促仍未整改",
            rule="考核办法第七条第（五）项",
            occurred_on=day + timedelta(days=25),
        )
        base = _base(month, members, imported)
    scores = {
        u.pk: (cap * Decimal(rng.randrange(78, 98)) / 100).quantize(Decimal("0.1")) for u in members
    }
    lowest = min(base[u] + scores[u] for u in scores if u != last_unit.pk)
    # A poor third-party score rather than an implausible one: what it lacks to come last, its
    # lapses make up, as far as the 日常督查 indicator allows.
    last = max(cap * Decimal("0.6"), min(scores[last_unit.pk], lowest - base[last_unit.pk] - 1))
    short = base[last_unit.pk] + last - lowest + 1
    if short > 0:
        supervision = indicators["日常督查"]
        months.add_entry(
            month,
            last_unit,
            supervision,
            by=by,
            amount=-min(Decimal(ceil(short)), supervision.cap - supervision.floor),
            reason="督办事项逾期未办结，经两次催办仍未答复",
            rule="考核办法第七条第（三）项",
            occurred_on=day + timedelta(days=26),
        )
        base = _base(month, members, imported)
        last = max(Decimal(0), min(last, lowest - base[last_unit.pk] - 1))
    scores[last_unit.pk] = last.quantize(Decimal("0.1"))
    last = scores[last_unit.pk]
    for unit_id in scores:  # the others at least a point above it
        floor = base[last_unit.pk] + last + 1 - base[unit_id]
        if unit_id != last_unit.pk and scores[unit_id] < floor:
            scores[unit_id] = min(cap, floor)
    months.set_imported(month, imported, scores, by=by, source=f"第三方考评{month.label}.xlsx")
    return month


def _base(month, members, imported) -> dict[int, Decimal]:
    """Each unit's total without the imported indicator."""
    base = {u.pk: Decimal(0) for u in members}
    for score in Score.objects.filter(month=month).exclude(indicator=imported):
        base[score.unit_id] += score.score
    return base


def _interview(laggard: Unit, published, users: dict, today: date):
    """The 约谈 the rule opened for the laggard: scheduled, held, with two commitments; and a
    clue handed to the discipline group."""
    month = next(m for m in reversed(published) if m.interviews.filter(unit=laggard).exists())
    interview = month.interviews.get(unit=laggard)
    held_on = min(today, add_months(month.month, 1) + timedelta(days=11))
    interviews.schedule_interview(
        interview,
        by=users["pingjia"],
        scheduled_on=held_on,
        interviewer="市营商环境建设局分管副局长",
        interviewees=f"{laggard.name}主要负责人、分管负责人",
        place="市营商环境建设局302会议室",
    )
    interviews.record_interview(
        interview,
        by=users["pingjia"],
        held_on=held_on,
        minutes=(
            f"{laggard.name}连续两个月考核排名末位。约谈指出：电话接听不及时、好差评办件推送率偏低"
            "等问题反复出现，差评整改不及时。该单位主要负责人表态，立即组织自查，限期整改到位。"
        ),
        commitments=[
            (
                "建立窗口电话值守和首问负责制度，确保工作时间电话接听率100%。",
                held_on + timedelta(30),
            ),
            (
                "逐件复核近三个月差评，整改到位后全部回访，好差评推送率达到95%以上。",
                held_on + timedelta(60),
            ),
        ],
    )
    interviews.hand_clue(
        laggard.parent,
        laggard,
        by=users["pingjia"],
        summary=f"{laggard.name}连续两个月考核排名末位，电话接听不及时等问题屡次扣分，"
        "存在工作作风不实问题，移交纪检监察组。",
        month=month,
        interview=interview,
    )
    return interview


# ---------------------------------------------------------------- the ledger's past


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _replay(problem_id: int, start: datetime, late: bool) -> None:
    """Spread a problem's spans (all made within a second, now) over the weeks after `start`:
    plan approved the next day, submitted three days before its deadline (or days after it,
    when `late`), closed two days later, verified a week on; its rectification dated accordingly."""
    spans = list(StateSpan.objects.filter(problem_id=problem_id).order_by("started_at", "id"))
    due = next((s.due_date for s in spans if s.due_date), start.date() + timedelta(days=7))
    submitted = _at(due + timedelta(days=4 if late else -3), 15)
    moments, rectified_on = [], None
    for n, span in enumerate(spans):
        at = {
            State.IN_PROGRESS: start + timedelta(days=1),
            State.SUBMITTED: submitted,
            State.CLOSED: submitted + timedelta(days=2),
            State.LONG_TERM: submitted + timedelta(days=2),
            State.VERIFIED: submitted + timedelta(days=9),
            State.WITHDRAWN: start + timedelta(days=3),
        }.get(span.state, start + timedelta(minutes=n))
        moments.append(at)
    now = timezone.now()
    for n in range(len(moments) - 1, -1, -1):
        ceiling = moments[n + 1] - timedelta(minutes=1) if n + 1 < len(moments) else now
        moments[n] = max(min(moments[n], ceiling), start)
    for n, span in enumerate(spans):
        span.started_at = moments[n]
        span.ended_at = moments[n + 1] if n + 1 < len(spans) else None
        if span.rectified_on is not None:
            rectified_on = rectified_on or timezone.localdate(moments[n])
            span.rectified_on = rectified_on
            span.rectified_on_time = rectified_on <= due
    StateSpan.objects.bulk_update(
        spans, ["started_at", "ended_at", "rectified_on", "rectified_on_time"]
    )
    Event.objects.filter(problem_id=problem_id, at__gt=start).update(at=start)


def _replay_bad_reviews(departments) -> None:
    """The 差评 problems began when their ratings came in."""
    rated = Rating.objects.filter(unit__in=departments, problem__isnull=False).order_by("pk")
    for n, (problem_id, rated_at) in enumerate(rated.values_list("problem_id", "rated_at")):
        _replay(problem_id, rated_at, late=n % 3 == 1)


def _inspections(departments, users: dict, days: list[date]) -> None:
    """Lapses in the 差评 loop the office's 日常督查 found at each department, one due in each
    month assessed, filed in the unit's 差评 round of the period, each with a 督办单:
    rectified on time, late, or still open and overdue."""
    for k, unit in enumerate(departments):
        section = unit.children.get(name="行政审批科")
        for n, month in enumerate(days):
            round = period_round(unit, period_of(month), PeriodRound.Purpose.BAD_REVIEWS)
            fate = (k + n) % 4  # 0, 1: on time; 2: late; 3: still open
            _inspection(round, section, users, month, n, fate)


def _inspection(round, section, users, month: date, n: int, fate: int) -> None:
    title = ["差评件未在5个工作日内整改反馈", "好差评办件推送率偏低", "差评回访记录不全"][n % 3]
    problem = add_problem(
        round, by=users["pingjia"], title=title, number=f"督查{n + 1}", note="日常督查发现。"
    )
    deadline = month + timedelta(days=14 + n)
    add_measure(
        problem,
        by=users["pingjia"],
        text=f"对照“{title}”逐项整改，建立台账，限期完成。",
        deadline_kind=DeadlineKind.DATE,
        deadline=deadline.isoformat(),
        owner=users["keshi"].pk,
        lead_section=section.pk,
        lead_leader=users["shuji"].pk,
    )
    refresh_search_text(problem)
    refresh_due_date(problem)
    workflow.approve_plan(problem, by=users["shuji"], note="同意整改方案。")
    order = issue_escalation(
        problem,
        by=users["pingjia"],
        level=Escalation.Level.SUPERVISE,
        demand="请于期限内报告整改进展。",
        due_on=timezone.localdate(),
    )
    if fate != 3:
        answer_escalation(order, by=users["keshi"], answer="已制定整改措施，正在逐项落实。")
        services.report_progress(problem, by=users["keshi"], text="已完成整改，形成制度文件。")
        workflow.submit_for_close_out(problem, by=users["keshi"], note="整改完成，申请销号。")
        workflow.close_out(problem, by=users["shuji"], note="同意销号。")
    start = _at(month - timedelta(days=10))
    _replay(problem.pk, start, late=fate == 2)
    due_on = month + timedelta(days=7)
    answered = {0: due_on - timedelta(days=2), 1: due_on, 2: due_on + timedelta(days=3)}
    answered_at = _at(answered[fate], 16) if fate in answered else None
    Escalation.objects.filter(pk=order.pk).update(
        issued_at=start + timedelta(days=2), due_on=due_on, answered_at=answered_at
    )
    # The metric reads when the answer was given from the order's history.
    Event.objects.filter(
        object_type=Escalation._meta.model_name, object_id=order.pk, action=ANSWERED
    ).update(at=answered_at)
