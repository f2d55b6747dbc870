"""`make bench`: the directory import (通讯录) of a county, on SQLite (issue 18).

A sheet of 560 units (an inspection office, 59 inspected units, 500 sections: about 8 a unit)
and 2,000 people with about 2,500 roles (a leader and a rectification office for each unit, a
section's staff for each person, and a second role for some) is written by the directory's own
writer. Timed, each with its peak of Python allocations (tracemalloc) and the process's peak
RSS: reading the sheet and planning it (`preview_directory_import`), then applying it in one
transaction (`apply_directory_import`), for the first import into an empty directory and for a
re-import of the same sheet (which plans nothing and applies nothing). Figures go to
bench/results.json.
"""

import io
import json
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results.json"
UNITS = 59
SECTIONS = 500
PEOPLE = 2_000


def _setup(folder: Path) -> None:
    os.environ.update(
        ZHENGGAI_DATA_DIR=str(folder),
        DJANGO_SETTINGS_MODULE="zhenggai.settings",
        ZHENGGAI_DEMO="true",
    )
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def county_sheet() -> bytes:
    """The workbook of a county: office, units, sections, people and roles."""
    from zhenggai.orgs.directory_sheet import PEOPLE as P
    from zhenggai.orgs.directory_sheet import ROLES, write_workbook
    from zhenggai.orgs.directory_sheet import SECTIONS as S
    from zhenggai.orgs.directory_sheet import UNITS as U

    office = "县委巡察办"
    units = [[office, "巡察机构/评价机构", "", ""]]
    units += [[f"县第{n:02d}局", "被巡察单位", office, ""] for n in range(UNITS)]
    sections = [[f"县第{n % UNITS:02d}局", f"第{n // UNITS + 1}科"] for n in range(SECTIONS)]
    people, roles = [], []
    for n in range(PEOPLE):
        login = f"p{n:04d}"
        people.append(
            [f"人员{n:04d}", login, f"E{n:05d}", f"139{n:08d}", f"{login}@example.gov.cn"]
        )
        unit, section = sections[n % SECTIONS]
        roles.append([login, "", f"{unit}/{section}", "科室人员", "科员"])
    for n in range(UNITS):
        roles.append([f"p{n:04d}", "", f"县第{n:02d}局", "单位领导", "局长"])
        roles.append([f"p{n + UNITS:04d}", "", f"县第{n:02d}局", "整改办", "办公室主任"])
    for n in range(2 * UNITS, 2 * UNITS + 380):
        roles.append([f"p{n:04d}", "", f"县第{n % UNITS:02d}局", "纪检监察组", ""])
    roles.append(["p1999", "", office, "巡察办", "主任"])
    out = io.BytesIO()
    write_workbook(out, {U: units, S: sections, P: people, ROLES: roles})
    return out.getvalue()


def _measured(action):
    tracemalloc.start()
    started = time.perf_counter()
    value = action()
    seconds = round(time.perf_counter() - started, 2)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return value, seconds, round(peak / 1024 / 1024, 1)


def _rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _round_trip(sheet: bytes, label: str) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhenggai.orgs import directory

    upload = SimpleUploadedFile("通讯录.xlsx", sheet)
    record, preview_s, preview_mb = _measured(
        lambda: directory.preview_directory_import(upload, by=None)
    )
    assert not record.plan["errors"], record.plan["errors"][:5]
    rss = _rss_mb()
    _, apply_s, apply_mb = _measured(lambda: directory.apply_directory_import(record, by=None))
    return {
        f"{label}_changes": record.plan["counts"]["total"],
        f"{label}_read_and_preview_s": preview_s,
        f"{label}_read_and_preview_peak_alloc_mb": preview_mb,
        f"{label}_apply_s": apply_s,
        f"{label}_apply_peak_alloc_mb": apply_mb,
        f"{label}_rss_mb_after_preview": rss,
        f"{label}_rss_mb_after_apply": _rss_mb(),
    }


def main() -> None:
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as work:
        _setup(Path(work))
        from django.contrib.auth import get_user_model

        from zhenggai.orgs.models import Membership, Unit

        sheet, write_s, _ = _measured(county_sheet)
        figures = {
            "units": 1 + UNITS + SECTIONS,
            "people": PEOPLE,
            "file_mb": round(len(sheet) / 1024 / 1024, 2),
            "write_sheet_s": write_s,
            **_round_trip(sheet, "first"),
            **_round_trip(sheet, "again"),
            "cpus": os.cpu_count(),
            "load_average_before": round(load, 2),
        }
        roles = Membership.objects.count()
        assert Unit.objects.count() == figures["units"] and roles > 2_400
        assert get_user_model().objects.count() == PEOPLE and figures["again_changes"] == 0
        figures["roles"] = roles
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results["directory_import_2000"] = figures
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print("directory_import_2000", figures)


if __name__ == "__main__":
    main()
