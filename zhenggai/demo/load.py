import json
import re
from datetime import date, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from zhenggai.ledger import services, workflow
from zhenggai.ledger.models import DeadlineKind
from zhenggai.orgs.access import forget_scope
from zhenggai.orgs.models import Membership, Role, Unit
from zhenggai.orgs.services import create_unit
from zhenggai.rounds.models import InspectionRound
from zhenggai.rounds.services import create_round

SEEDS = Path(__file__).parent / "seeds"
PASSWORD = "zhenggai-demo"
OFFICE = "市委巡察办（演示）"
SECTIONS = ["办公室", "综合科", "政策法规科", "项目管理科"]
KINDS = {
    "000": InspectionRound.Kind.SPECIAL,
    "002": InspectionRound.Kind.SPECIAL,
    "003": InspectionRound.Kind.EVALUATION,
}
# (username, full name, role, where): "office" is the inspection office, "units" every unit,
# "sections" the 办公室 of every unit.
USERS = [
    ("xunchaban", "张巡察", Role.INSPECTION_OFFICE, "office"),
    ("shuji", "李书记", Role.LEADER, "units"),
    ("zhenggaiban", "王主任", Role.RECTIFICATION_OFFICE, "units"),
    ("keshi", "赵科员", Role.SECTION_STAFF, "sections"),
    ("jijian", "陈组长", Role.DISCIPLINE, "office"),
]
_TOP_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+、", re.M)
_CLOSING = re.compile(r"^[^\n]*(监督电话|联系电话|电子信箱|电子邮箱|欢迎广大)", re.M)
_LEAD_IN = re.compile(r"^整改(情况|措施|进展)[:：]\s*")
_NUMBERED = re.compile(r"^\s*\d+[.．、]\s*")
_RUN_IN = re.compile(r"[一二三四五六七八九十]是")


def unit_name(org: str) -> str:
    return re.sub(r"^中共", "", org).removesuffix("党组")


_NUMBER_BEFORE = re.compile(r"[（(]?[0-9０-９一二三四五六七八九十]+[)）.．、]?[\s\u3000]*$")


def _cut_before(chunk: str, heading: str) -> str:
    """The chunk up to `heading` (and the number in front of it), when the heading is in it."""
    i = chunk.find(heading[:8]) if heading else -1
    if i <= 0:
        return chunk
    head = chunk[:i]
    number = _NUMBER_BEFORE.search(head)
    return head[: number.start()] if number else head


def segments(text: str, titles: list[str], paths: list[list[str]] | None = None) -> list[str]:
    """The text after each problem's heading line, up to the line of the next problem's heading
    or of a new category heading before it (or, after the last one, up to the next top-level
    heading or the closing contacts)."""
    paths = paths or [[] for _ in titles]
    starts, pos = [], 0
    for title in titles:
        i = text.find(title, pos)
        if i < 0:
            i = text.find(title[:10], pos)
        starts.append(i)
        pos = i + 1
    out = []
    for n, start in enumerate(starts):
        begin = text.find("\n", start)
        if n + 1 < len(starts):
            end = text.rfind("\n", begin, starts[n + 1])
            chunk = text[begin : end if end > begin else starts[n + 1]]
            if paths[n + 1] != paths[n]:
                for heading in paths[n + 1]:
                    if heading not in paths[n]:
                        chunk = _cut_before(chunk, heading)
        else:
            chunk = text[begin:]
            stop = _TOP_HEADING.search(chunk) or _CLOSING.search(chunk)
            chunk = chunk[: stop.start()] if stop else chunk
        out.append(chunk.strip())
    return out


def measure_texts(segment: str) -> list[str]:
    lines = [ln.strip() for ln in segment.splitlines() if ln.strip()]
    lines = [_LEAD_IN.sub("", ln) for ln in lines if not ln.startswith(("（", "("))]
    lines = [ln for ln in lines if ln]
    numbered = [_NUMBERED.sub("", ln) for ln in lines if _NUMBERED.match(ln)]
    if len(numbered) >= 2:
        return numbered[:4]
    joined = "".join(lines)
    raw = _RUN_IN.split(joined)[1:]  # what precedes 一是 is a preamble, not a measure
    parts = [p.strip("，。；; ") for p in raw if len(p.strip("，。；; ")) >= 4]
    if len(parts) >= 2:
        return parts[:4]
    return [joined[:400]] if joined else []


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
    expected = json.loads((SEEDS / "expected.json").read_text(encoding="utf-8"))
    office = create_unit(OFFICE, Unit.Kind.OFFICE, contact_phone="12388")
    users = {u[0]: _user(u[0], u[1]) for u in USERS}
    _user("admin", "系统管理员", superuser=True)
    Membership.objects.create(user=users["xunchaban"], unit=office, role=Role.INSPECTION_OFFICE)
    Membership.objects.create(user=users["jijian"], unit=office, role=Role.DISCIPLINE)
    rounds = []
    for index, (name, seed) in enumerate(sorted(expected.items())):
        unit = create_unit(unit_name(seed["org"]), Unit.Kind.UNIT, office)
        section_names = list(SECTIONS)
        for p in seed["problems"]:
            for lead in re.split(r"[、，,]", p.get("lead_units") or ""):
                if lead and lead not in section_names:
                    section_names.append(lead)
        sections = {s: create_unit(s, Unit.Kind.SECTION, unit) for s in section_names}
        Membership.objects.create(
            user=users["shuji"], unit=unit, role=Role.LEADER, title="党组书记"
        )
        Membership.objects.create(
            user=users["zhenggaiban"], unit=unit, role=Role.RECTIFICATION_OFFICE
        )
        Membership.objects.create(
            user=users["keshi"], unit=sections["办公室"], role=Role.SECTION_STAFF
        )
        for user in users.values():
            forget_scope(user)
        round = _load_round(name, seed, unit, sections, users, today, index)
        rounds.append(round)
    return {"rounds": rounds, "users": users}


def _dates(seed):
    dates = seed.get("dates") or {}
    get = lambda key: date.fromisoformat(dates[key]) if dates.get(key) else None  # noqa: E731
    return get("inspection_start"), get("inspection_end"), get("feedback")


def _load_round(name, seed, unit, sections, users, today, index):
    start, end, feedback = _dates(seed)
    kind = KINDS.get(name[:3], InspectionRound.Kind.XUNCHA)
    round = create_round(
        by=users["xunchaban"],
        kind=kind,
        unit=unit,
        inspecting_body=OFFICE,
        title=f"{unit.name}{InspectionRound.Kind(kind).label}整改",
        period_start=start,
        period_end=end,
        feedback_date=feedback,
    )
    text = (SEEDS / name).read_text(encoding="utf-8")
    titles = [p["title"] for p in seed["problems"]]
    paths = [p["path"] for p in seed["problems"]]
    for n, (p, segment) in enumerate(
        zip(seed["problems"], segments(text, titles, paths), strict=True)
    ):
        problem = services.create_problem(
            round, by=users["zhenggaiban"], number=p["number"], title=p["title"], path=p["path"]
        )
        _plan(problem, p, segment, sections, users, today, n + index)
    return round


def _deadline(p, n, today):
    raw = p.get("deadline") or ""
    if "长期" in raw:
        return DeadlineKind.ONGOING, None
    if "立行立改" in raw:
        return DeadlineKind.IMMEDIATE, None
    # Spread deadlines around today so every warning light shows up in the demo.
    offsets = [-12, 3, 25, 60, -3, 90, 5, 40]
    return DeadlineKind.DATE, today + timedelta(days=offsets[n % len(offsets)])


def _plan(problem, p, segment, sections, users, today, n):
    names = list(sections)
    lead = sections.get((p.get("lead_units") or "").split("、")[0]) or sections[names[n % 4]]
    kind, deadline = _deadline(p, n, today)
    texts = measure_texts(segment) or [f"对照“{problem.title}”问题逐项整改"]
    for k, text in enumerate(texts):
        services.create_measure(
            problem,
            by=users["zhenggaiban"],
            text=text,
            lead_section=lead,
            responsible_sections=[sections["办公室"]] if k == 0 else [],
            lead_leader=users["shuji"],
            owner=users["keshi"],
            deadline_kind=kind,
            deadline=deadline,
            rules_made=1 if k == 0 and n % 3 == 0 else 0,
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
        services.flag_problem(
            problem, by=users["jijian"], note="整改措施偏重学习部署，请补充制度执行情况的佐证材料。"
        )
    services.report_progress(
        problem, by=users["zhenggaiban"], text="已按措施推进整改，形成阶段性成果。"
    )
    workflow.submit_for_close_out(problem, by=users["zhenggaiban"], note="整改措施已全部落实。")
    if stage == 2:
        return
    if stage == 3:
        workflow.mark_long_term(problem, by=users["shuji"], note="已整改到位，需长期坚持。")
        return
    workflow.close_out(problem, by=users["shuji"], note="经审核，同意销号。")
    if stage == 5:
        workflow.verify_close_out(problem, by=users["xunchaban"], note="核验通过。")
