from datetime import date, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from zhenggai.demo.assessments import load_assessments
from zhenggai.demo.directory import load_directory_import
from zhenggai.demo.evaluations import load_evaluations
from zhenggai.demo.imports import load_scan_draft
from zhenggai.demo.percent import load_percentages
from zhenggai.demo.progress import load_progress_imports
from zhenggai.demo.reports import load_reports
from zhenggai.demo.supervision import load_supervision
from zhenggai.demo.tracking import load_tracked_opinion
from zhenggai.demo.two_factor import enrol_demo_admin
from zhenggai.intake import parse_file
from zhenggai.ledger import services, workflow
from zhenggai.ledger.history_chain import chain_anew
from zhenggai.ledger.imports import import_document, round_kind, unit_name_of
from zhenggai.ledger.models import DeadlineKind, Event, HistoryChain, Problem
from zhenggai.orgs.access import forget_scope
from zhenggai.orgs.models import Membership, Role, Unit
from zhenggai.orgs.services import create_unit
from zhenggai.rounds.models import InspectionRound
from zhenggai.rounds.services import create_round

SEEDS = Path(__file__).parent / "seeds"
# Bandit: the demo's published password.
PASSWORD = "zhenggai-demo"  # nosec B105
OFFICE = "市委巡察办（演示）"
SECTIONS = ["办公室", "综合科", "政策法规科", "项目管理科"]
# (username, full name, role, where): "office" is the inspection office, "units" every unit,
# "evaluation office" the business-environment office over the service units (demo/evaluations),
# "sections" the 办公室 of every unit.
USERS = [
    ("xunchaban", "张巡察", Role.INSPECTION_OFFICE, "office"),
    ("shuji", "李书记", Role.LEADER, "units"),
    ("zhenggaiban", "王主任", Role.RECTIFICATION_OFFICE, "units"),
    ("keshi", "赵科员", Role.SECTION_STAFF, "sections"),
    ("jijian", "陈组长", Role.DISCIPLINE, "office"),
    ("pingjia", "刘评价", Role.EVALUATION_OFFICE, "evaluation office"),
]


def _user(username, full_name, *, superuser=False):
    User = get_user_model()
    user = User(username=username, first_name=full_name, is_superuser=superuser, is_staff=superuser)
    user.set_password(PASSWORD)
    user.save()
    return user


@transaction.atomic
def load_demo(today: date | None = None) -> dict:
    """Create the demo; refuse if the database already holds data."""
    if Unit.objects.exists() or get_user_model().objects.exists():
        raise RuntimeError("the database is not empty; the demo loads only into a new database")
    today = today or timezone.localdate()
    office = create_unit(OFFICE, Unit.Kind.OFFICE, contact_phone="12388")
    users = {u[0]: _user(u[0], u[1]) for u in USERS}
    admin = _user("admin", "系统管理员", superuser=True)
    enrol_demo_admin(admin)  # only asked for a code with ZHENGGAI_TWO_FACTOR=true
    Membership.objects.create(user=users["xunchaban"], unit=office, role=Role.INSPECTION_OFFICE)
    Membership.objects.create(user=users["jijian"], unit=office, role=Role.DISCIPLINE)
    rounds = []
    for index, path in enumerate(sorted(SEEDS.glob("*.txt"))):
        document = parse_file(path)
        unit = create_unit(unit_name_of(document.org) or path.stem, Unit.Kind.UNIT, office)
        section_names = list(SECTIONS)
        sections = {s: create_unit(s, Unit.Kind.SECTION, unit) for s in section_names}
        Membership.objects.create(
            user=users["shuji"], unit=unit, role=Role.LEADER, title="党组书记"
        )
        Membership.objects.create(
            user=users["zhenggaiban"],
            unit=unit,
            role=Role.RECTIFICATION_OFFICE,
            title="整改工作领导小组办公室主任",
        )
        Membership.objects.create(
            user=users["keshi"], unit=sections["办公室"], role=Role.SECTION_STAFF
        )
        for user in users.values():
            forget_scope(user)
        round = _load_round(path, document, unit, sections, users, today, index)
        rounds.append(round)
    evaluations = load_evaluations(users, today)
    load_assessments(users, evaluations["office"], today)
    _spread_rectified_dates(today)
    load_percentages(users, rounds)
    progress_preview = load_progress_imports(users, rounds)
    load_supervision(users, rounds, today)
    published = load_reports(users, rounds, today)
    tracking_code = load_tracked_opinion(users, published)
    scan_draft = load_scan_draft(users["xunchaban"])
    # Employee numbers and mobiles from the directory's own export, applied as a sheet (通讯录).
    load_directory_import()
    # The demo dates its history back after writing it (the assessments' timelines), which the
    # hash chain takes for edits: chain it anew, in time order, as the migration did.
    chain_anew(Event, HistoryChain)
    return {
        "rounds": rounds,
        "users": users,
        "published": published,
        "tracking_code": tracking_code,
        "progress_preview": progress_preview,
        "scan_draft": scan_draft,
        **evaluations,
    }


def _spread_rectified_dates(today):
    """Date the demo's rectified problems over the past weeks, some late, as if the loop had
    run for months (they were all rectified today): the dashboards' trend and ranking read these."""
    problems = list(Problem.objects.filter(rectified_on__isnull=False).order_by("id"))
    for n, problem in enumerate(problems):
        problem.rectified_on = today - timedelta(days=(n * 11) % 100)
        problem.rectified_on_time = n % 4 != 1
    Problem.objects.bulk_update(problems, ["rectified_on", "rectified_on_time"])


def _load_round(path, document, unit, sections, users, today, index):
    """Set up the round a parsed seed speaks of, import the seed into it, then plan it."""
    dates = document.dates
    kind = round_kind(document)
    round = create_round(
        by=users["xunchaban"],
        kind=kind,
        unit=unit,
        inspecting_body=document.inspector or OFFICE,  # as the document names it
        title=(document.title or f"{unit.name}{InspectionRound.Kind(kind).label}整改")[:300],
        period_start=_day(dates.get("inspection_start")),
        period_end=_day(dates.get("inspection_end")),
        feedback_date=_day(dates.get("feedback")),
    )
    # As an upload of the seed would: the round's file and the history name the seed's file.
    document.file = path.name
    with path.open("rb") as handle:
        result = import_document(
            document, round, by=users["zhenggaiban"], upload=File(handle, name=path.name)
        )
    for n, problem in enumerate(result.problems):
        _plan(problem, sections, users, today, n + index)
    return round


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _deadline(n, today):
    # Spread deadlines around today so every warning light shows up in the demo.
    offsets = [-12, 3, 25, 60, -3, 90, 5, 40]
    return today + timedelta(days=offsets[n % len(offsets)])


def _plan(problem, sections, users, today, n):
    """What the rectification office adds to an imported problem: owners and deadlines."""
    names = list(sections)
    for k, measure in enumerate(problem.measures.order_by("position")):
        fields = {
            "lead_leader": users["shuji"],
            "owner": users["keshi"],
            "rules_made": 1 if k == 0 and n % 3 == 0 else 0,
        }
        if measure.lead_section is None:
            fields["lead_section"] = sections[names[n % 4]]
        if k == 0:
            fields["responsible_sections"] = [
                sections["办公室"],
                *measure.responsible_sections.all(),
            ]
        if measure.deadline_kind == DeadlineKind.DATE and measure.deadline is None:
            fields["deadline"] = _deadline(n, today)
        services.update_measure(measure, by=users["zhenggaiban"], base_version=None, **fields)
    if not problem.measures.exists():
        services.create_measure(
            problem,
            by=users["zhenggaiban"],
            text=f"对照“{problem.title}”逐项整改",
            lead_section=sections[names[n % 4]],
            owner=users["keshi"],
            responsible_sections=[sections["办公室"]],
            deadline=_deadline(n, today),
        )
    _advance(problem, n, users)


def _advance(problem, n, users):
    """Move problems along the loop so the demo shows every state."""
    stage = n % 6
    if stage == 0:
        return
    workflow.approve_plan(problem, by=users["shuji"])
    if stage == 1:
        measure = problem.measures.order_by("position").first()
        if measure.deadline:  # 办公室 (keshi's section) carries every first measure
            services.update_measure(
                measure,
                by=users["keshi"],
                base_version=measure.version,
                deadline=measure.deadline + timedelta(days=30),
                reason="需等待财政专项资金拨付后方能完成，申请延期一个月。",
            )
        return
    if n % 4 == 2:
        _concern(problem, n, users)
    services.report_progress(
        problem, by=users["zhenggaiban"], text="已按措施推进整改，形成阶段性成果。"
    )
    workflow.submit_for_close_out(problem, by=users["zhenggaiban"], note="整改措施已全部落实。")
    if stage == 2:
        if n % 5 == 0:  # returned: the section sees it in 我的任务 with the reason
            workflow.return_close_out(
                problem, by=users["shuji"], reason="缺少制度印发文件，请补充后重新申请销号。"
            )
        return
    if stage == 3:
        workflow.mark_long_term(problem, by=users["shuji"], note="已整改到位，需长期坚持。")
        return
    workflow.close_out(problem, by=users["shuji"], note="经审核，同意销号。")
    if stage == 5:
        workflow.verify_close_out(problem, by=users["xunchaban"], note="核验通过。")


def _concern(problem, n, users):
    """A concern of the discipline group: open, answered by the unit, or also closed."""
    flag = services.flag_problem(
        problem, by=users["jijian"], note="整改措施偏重学习部署，请补充制度执行情况的佐证材料。"
    )
    if n % 8 == 2:
        services.answer_flag(
            flag, by=users["shuji"], answer="已补充《党组议事规则》印发文件和执行记录。"
        )
        if n % 16 == 2:
            services.close_flag(flag, by=users["jijian"], note="佐证材料已补充，予以办结。")
