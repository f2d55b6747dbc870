"""The demo's evaluations: a business-environment office (营商办) over six service units, their
rating points, eight months of ratings, 差评 at every stage of their loop (one appealed and
upheld, one appeal waiting), 办件量 for the share of cases rated, and the signs of steering the
office is warned of (a burst, ratings of a hall on a Sunday)."""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from zhenggai.evaluations.bulletins import issue_bulletin
from zhenggai.evaluations.models import Rating, RatingPoint, ServiceCount
from zhenggai.evaluations.services import appeals
from zhenggai.evaluations.services.bad_reviews import record_callback
from zhenggai.evaluations.services.ratings import keyed_hash, rebuild_tallies, submit_rating
from zhenggai.evaluations.values import DIMENSIONS, Channel, Mode
from zhenggai.ledger import services, workflow
from zhenggai.lib.workdays import official_calendar
from zhenggai.orgs.access import forget_scope
from zhenggai.orgs.models import Membership, Role, Unit
from zhenggai.orgs.services import create_unit
from zhenggai.rounds.models import InspectionRound

OFFICE = "市营商环境建设局（演示）"
# (unit, its windows and service items (name, mode), the share of ratings below 满意 in 100ths)
UNITS = [
    ("市政务服务中心", [("综合受理窗口", Mode.ON_SITE), ("企业开办", Mode.ONLINE)], 4),
    ("市市场监督管理局", [("登记注册窗口", Mode.ON_SITE), ("食品经营许可", Mode.ONLINE)], 8),
    ("市人力资源和社会保障局", [("社保业务窗口", Mode.ON_SITE)], 10),
    ("市不动产登记中心", [("不动产登记窗口", Mode.ON_SITE), ("抵押登记", Mode.ONLINE)], 22),
    ("市住房公积金管理中心", [("公积金提取", Mode.ONLINE)], 6),
    ("市自然资源和规划局", [("规划许可窗口", Mode.ON_SITE)], 16),
]
SECTIONS = ["办公室", "行政审批科"]
REASONS = [
    "窗口人员态度生硬，问了两遍才回答",
    "材料清单与实际要求不一致，跑了两趟",
    "排队时间超过一个小时，叫号系统故障",
    "网上申报系统多次卡顿，提交不成功",
    "一次性告知不到位，补充材料三次",
    "办理时限超过承诺时间，没有说明原因",
]
COMMENTS = ["办事效率高", "工作人员很耐心", "", "", "流程清楚，一次办好", ""]
MONTHS = 8
# How many days ago the recent 差评 came in: each then stands at another stage of its loop.
RECENT = (3, 8, 15, 25, 10)


def load_evaluations(users: dict, today: date) -> dict:
    """Create the office, its units and points, and the ratings of the last MONTHS months."""
    office = create_unit(OFFICE, Unit.Kind.OFFICE, contact_phone="12345")
    pingjia = users["pingjia"]
    Membership.objects.create(user=pingjia, unit=office, role=Role.EVALUATION_OFFICE)
    Membership.objects.create(user=users["jijian"], unit=office, role=Role.DISCIPLINE)
    rng = random.Random(13)  # nosec B311 - a seeded demo, the same every time; no secret
    points, sections = [], {}
    for n, (name, items, bad_share) in enumerate(UNITS):
        unit = create_unit(name, Unit.Kind.UNIT, office, credit_code=f"11330100MB{n:07d}X"[:18])
        unit_sections = [create_unit(s, Unit.Kind.SECTION, unit) for s in SECTIONS]
        sections[unit.pk] = unit_sections
        Membership.objects.create(user=users["shuji"], unit=unit, role=Role.LEADER, title="局长")
        Membership.objects.create(
            user=users["zhenggaiban"], unit=unit, role=Role.RECTIFICATION_OFFICE
        )
        # 行政审批科 runs the windows rated: its staff rectify their 差评 and ask for close-out.
        Membership.objects.create(
            user=users["keshi"], unit=unit_sections[1], role=Role.SECTION_STAFF
        )
        for item, mode in items:
            kind = RatingPoint.Kind.WINDOW if mode == Mode.ON_SITE else RatingPoint.Kind.ITEM
            point = RatingPoint.objects.create(
                unit=unit,
                section=unit_sections[1],
                kind=kind,
                name=item,
                mode=mode,
                created_by=pingjia,
            )
            points.append((point, bad_share))
    for user in users.values():
        forget_scope(user)
    ratings = [r for point, share in points for r in _history(point, share, today, rng)]
    Rating.objects.bulk_create(ratings, batch_size=1000)
    rebuild_tallies()
    _service_counts(office, today)
    handled = _bad_reviews(users, sections, today)
    bulletin = _bulletin(office, users, sections, today)
    return {"office": office, "points": [p for p, _ in points], "bulletin": bulletin, **handled}


PLAN = [
    "对照评价反映的问题逐项建立整改台账，明确责任科室和完成时限，每周调度一次。",
    "在服务窗口和网上办事页面公示评价二维码，引导企业群众“一次一评、一事一评”，提升评价数量。",
]


def _bulletin(office: Unit, users: dict, sections: dict, today: date):
    """Last quarter's 通报, with the bottom two asked for a plan; the last one has written it
    (the situation of seed 003) and its leader approved it."""
    bulletin = issue_bulletin(office, by=users["pingjia"], bottom=2)
    last = next(row for row in reversed(bulletin.rows) if row.get("round_id"))
    round = InspectionRound.objects.get(pk=last["round_id"])
    for n, problem in enumerate(round.problems.order_by("position")):
        services.create_measure(
            problem,
            by=users["zhenggaiban"],
            text=PLAN[n % len(PLAN)],
            lead_leader=users["shuji"],
            lead_section=sections[round.unit_id][1],
            owner=users["keshi"],
            deadline=today + timedelta(days=30 + 15 * n),
        )
        workflow.approve_plan(problem, by=users["shuji"], note="整改方案经局党组会议审定。")
    return bulletin


def _at(day: date, rng: random.Random) -> datetime:
    minutes = rng.randrange(9 * 60, 17 * 60 + 30)
    return timezone.make_aware(datetime.combine(day, time(minutes // 60, minutes % 60)))


def _history(point: RatingPoint, bad_share: int, today: date, rng: random.Random):
    """About 30 ratings a month on working days; a steered burst and a Sunday at one hall."""
    calendar = official_calendar()
    start = today - timedelta(days=30 * MONTHS)
    days = [start + timedelta(n) for n in range((today - start).days)]
    workdays = [d for d in days if calendar.is_workday(d)]
    for n in range(30 * MONTHS):
        day = rng.choice(workdays)
        yield _rating(point, _level(rng, bad_share), _at(day, rng), rng, n)
    if point.name == "登记注册窗口":  # twenty five-star ratings within minutes, by one phone
        at = _at(today - timedelta(days=9), rng)
        for n in range(20):
            burst = _rating(point, 5, at + timedelta(seconds=25 * n), rng, 1000 + n)
            burst.burst, burst.client_hash = True, keyed_hash("client", "198.51.100.200")
            yield burst
    if point.name == "不动产登记窗口":  # a hall rated on a Sunday
        sunday = today - timedelta(days=(today.weekday() + 1) % 7 or 7)
        for n in range(6):
            late = _rating(point, 5, _at(sunday, rng), rng, 2000 + n)
            late.outside_hours = True
            yield late


def _level(rng: random.Random, bad_share: int) -> int:
    roll = rng.randrange(100)
    if roll < bad_share // 3:
        return rng.choice((1, 2))  # 差评, raised as problems separately: see _bad_reviews
    if roll < bad_share:
        return 3
    return 5 if roll < 70 else 4


def _rating(point, level: int, at: datetime, rng: random.Random, n: int) -> Rating:
    level = max(level, 3)  # the history's 差评 come in through the service, with their problems
    dims = {
        name: min(5, max(1, level + rng.choice((-1, 0, 0, 1))))
        for name, _ in DIMENSIONS[point.mode]
    }
    channel = Channel.QR if point.is_on_site else rng.choice((Channel.WEB, Channel.SMS))
    return Rating(
        point=point,
        unit_id=point.unit_id,
        section_id=point.section_id,
        level=level,
        channel=channel,
        comment=rng.choice(COMMENTS),
        rated_at=at,
        device_hash=keyed_hash("device", f"demo-{point.pk}-{n}"),
        client_hash=keyed_hash("client", f"203.0.113.{n % 250}"),
        **dims,
    )


def _bad_reviews(users: dict, sections: dict, today: date) -> dict:
    """差评 of every unit over the months, each raised as a problem and taken as far along its
    loop as its age allows: old ones rectified, called back and verified, recent ones open."""

    rng = random.Random(51)  # nosec B311 - a seeded demo, the same every time; no secret
    bad = []
    for point in RatingPoint.objects.select_related("unit").order_by("id"):
        share = next(s for name, _, s in UNITS if name == point.unit.name)
        for n in range(max(1, share // 4)):
            # Half of them in the last month, so that every stage of the loop shows.
            recent = RECENT[len(bad) % len(RECENT)]
            days_ago = recent if n % 2 else rng.randrange(30, 30 * MONTHS)
            values = {
                "level": rng.choice(("1", "2")),
                "comment": rng.choice(REASONS),
                "phone": f"139{rng.randrange(10**8):08d}" if n % 3 != 2 else "",
                "case_number": f"YW{point.pk:02d}{n:04d}",
                "staff": rng.choice(("", "窗口3号", "王某某")),
                "channel": Channel.QR if point.is_on_site else Channel.WEB,
            }
            at = _at(today - timedelta(days=days_ago), rng)
            rating = submit_rating(point, values=values, client=f"192.0.2.{n}", at=at)
            bad.append((days_ago, rating))
    bad.sort(key=lambda pair: -pair[0])
    upheld = _appeal(bad[0][1], users, uphold=True)
    waiting = _appeal(bad[-1][1], users, uphold=None)
    for days_ago, rating in bad[1:-1]:
        _handle(rating, days_ago, users, sections)
    return {"bad_reviews": [r for _, r in bad], "appeals": [upheld, waiting]}


def _handle(rating: Rating, days_ago: int, users: dict, sections: dict) -> None:
    problem = rating.problem
    if days_ago < 4:
        return  # just in: the 整改办 has still to name its 责任人
    measure = problem.measures.get()
    services.update_measure(
        measure,
        by=users["zhenggaiban"],
        base_version=measure.version,
        owner=users["keshi"].pk,
        lead_section=sections[rating.unit_id][1].pk,
        lead_leader=users["shuji"].pk,
    )
    workflow.approve_plan(problem, by=users["shuji"], note="差评属实，立即整改。")
    if days_ago < 12:
        return  # 整改中 (and late, for those past their five working days)
    services.report_progress(
        problem, by=users["keshi"], text="已约谈当事窗口人员，更新一次性告知单并在大厅公示。"
    )
    workflow.submit_for_close_out(problem, by=users["keshi"], note="已核实整改，待回访。")
    if days_ago < 20:
        return  # waiting for the evaluation office's call back
    workflow.close_out(problem, by=users["shuji"], note="同意销号。")
    called_at = rating.rated_at + timedelta(days=9)
    if rating.phone:
        record_callback(
            rating,
            by=users["pingjia"],
            caller="刘评价",
            called_at=called_at,
            outcome="satisfied" if days_ago % 3 else "basically",
            note="评价人对整改结果表示认可。",
        )
    workflow.verify_close_out(problem, by=users["pingjia"], note="回访满意，核验通过。")


def _appeal(rating: Rating, users: dict, *, uphold: bool | None):
    appeal = appeals.file_appeal(
        rating,
        by=users["zhenggaiban"],
        ground="malicious" if uphold else "mistaken",
        statement="经调取叫号记录和窗口监控，评价人当日未在本窗口办理业务。",
    )
    if uphold is not None:
        appeals.decide_appeal(
            appeal, by=users["pingjia"], uphold=uphold, reason="经核查叫号记录，申诉属实。"
        )
    return appeal


def _service_counts(office: Unit, today: date) -> None:
    """办件量 of each unit for the months rated, as a platform would report them."""
    month = date(today.year, today.month, 1)
    counts = []
    for unit in Unit.objects.filter(parent=office, kind=Unit.Kind.UNIT):
        day = month
        for _ in range(MONTHS):
            rated = Rating.objects.filter(
                unit=unit, rated_at__year=day.year, rated_at__month=day.month
            ).count()
            counts.append(ServiceCount(unit=unit, month=day, count=max(rated * 2, 10)))
            day = (day - timedelta(days=1)).replace(day=1)
    ServiceCount.objects.bulk_create(counts)
