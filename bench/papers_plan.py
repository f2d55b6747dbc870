"""`make bench`: the 整改方案 (rectification plan) of a 50-problem round, three measures each.

Issue 17 asks for the plan's figures: here the plan's content built from the ledger (queries
and plain values), the whole .docx (content, then the built-in template filled in the
sandboxed child process that renders every template), each repeated REPEAT times, and the PDF
once when LibreOffice is installed (it starts afresh for every document). Peak resident memory
is this process's and its children's (the renderer, LibreOffice).

The data is made afresh in a database of its own, in a temporary directory removed afterwards:
an inspected unit with eight sections, a secretary, a deputy and a 整改办, and a round of 50
problems in five areas, each with three measures (a lead section, a responsible section, a
leader, and a deadline that is a date, 立行立改 or 长期坚持). Run: `python bench/papers_plan.py`
(add `--save` to write the figures to bench/results.json as "papers_plan").
"""

import json
import os
import resource
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results.json"
PROBLEMS = 50
MEASURES = 3
REPEAT = 5


def _peak_mb(who=resource.RUSAGE_SELF) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


def _setup(data: Path) -> None:
    os.environ.update(
        ZHENGGAI_DATA_DIR=str(data),
        ZHENGGAI_DEMO="true",
        DJANGO_SETTINGS_MODULE="zhenggai.settings",
    )
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _round():
    """The unit, its people and the round of PROBLEMS problems with MEASURES measures each."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from zhenggai.ledger.models import DeadlineKind, Measure, Problem
    from zhenggai.orgs.models import Membership, Role, Unit
    from zhenggai.orgs.services import create_unit
    from zhenggai.rounds.models import InspectionRound

    users = get_user_model().objects
    with transaction.atomic():
        office = create_unit("市委巡察办", Unit.Kind.OFFICE)
        unit = create_unit("市科学技术局", Unit.Kind.UNIT, office)
        sections = [
            create_unit(name, Unit.Kind.SECTION, unit)
            for name in (
                "办公室",
                "人事科",
                "资管科",
                "成果科",
                "高新科",
                "科社科",
                "法规科",
                "机关党委",
            )
        ]
        people = {}
        for username, name, role, where, title in (
            ("secretary", "张明", Role.LEADER, unit, "党组书记、局长"),
            ("deputy", "李华", Role.LEADER, unit, "党组成员、副局长"),
            ("deputy2", "王强", Role.LEADER, unit, "党组成员、副局长"),
            ("office", "赵敏", Role.RECTIFICATION_OFFICE, sections[0], "办公室主任"),
        ):
            people[username] = users.create(username=username, first_name=name)
            Membership.objects.create(user=people[username], unit=where, role=role, title=title)
        round = InspectionRound.objects.create(
            kind=InspectionRound.Kind.XUNCHA,
            title="市委第一巡察组巡察市科学技术局反馈意见整改",
            inspecting_body="市委第一巡察组",
            unit=unit,
            feedback_date=date(2026, 3, 1),
        )
        leaders = [people["secretary"], people["deputy"], people["deputy2"]]
        kinds = (DeadlineKind.DATE, DeadlineKind.IMMEDIATE, DeadlineKind.ONGOING)
        for n in range(PROBLEMS):
            area = f"聚焦第{n % 5 + 1}方面存在的问题"
            problem = Problem.objects.create(
                round=round,
                unit=unit,
                number=str(n + 1),
                title=f"问题{n + 1}：落实全面从严治党主体责任有差距",
                description="具体表现为学习不深入、制度执行不严格、监督检查不到位。" * 2,
                path=[area],
                area=area,
                position=n + 1,
            )
            for k in range(MEASURES):
                kind = kinds[(n + k) % 3]
                measure = Measure.objects.create(
                    problem=problem,
                    position=k + 1,
                    text="制定专项工作方案，建立健全制度，组织专题学习，定期督促检查。" * 2,
                    lead_leader=leaders[(n + k) % 3],
                    lead_section=sections[(n + k) % 8],
                    deadline_kind=kind,
                    deadline=date(2026, 6, 30) + timedelta(days=n) if kind == "date" else None,
                )
                measure.responsible_sections.set([sections[(n + k + 1) % 8]])
    return round


def _median_ms(values: list[float]) -> float:
    return round(statistics.median(values) * 1000, 1)


def measure() -> dict:
    from zhenggai.reports import documents
    from zhenggai.reports.models import default_notice

    notice = default_notice(_round())
    timings: dict[str, list[float]] = {"content": [], "docx": []}
    size = 0
    for _ in range(REPEAT):
        started = time.perf_counter()
        context = documents.context(notice, "plan")
        timings["content"].append(time.perf_counter() - started)
        started = time.perf_counter()
        data = documents.docx(notice, "plan")
        timings["docx"].append(time.perf_counter() - started)
        size = len(data)
    figures = {
        "problems": PROBLEMS,
        "measures": context["totals"]["measures"],
        "content_median_ms": _median_ms(timings["content"]),
        "docx_median_ms": _median_ms(timings["docx"]),
        "docx_kb": round(size / 1024, 1),
    }
    if documents.soffice():
        started = time.perf_counter()
        pdf = documents.to_pdf(data)
        figures["pdf_s"] = round(time.perf_counter() - started, 2)
        figures["pdf_kb"] = round(len(pdf) / 1024, 1)
    else:
        figures["pdf_s"] = None  # LibreOffice is not installed
    figures["peak_rss_mb"] = _peak_mb()
    figures["children_peak_rss_mb"] = _peak_mb(resource.RUSAGE_CHILDREN)
    return figures


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="zhenggai-bench-plan-") as data:
        _setup(Path(data))
        figures = measure()
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    if "--save" in sys.argv:
        results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
        results["papers_plan"] = figures
        RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
