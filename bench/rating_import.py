"""`make bench`: importing 50,000 ratings exported by a 好差评 platform, on SQLite.

A fresh database of 100 units below one evaluation office (each with a credit code and two
rating points named as service items) takes a generated .xlsx of 50,000 rows over a quarter:
a quarter of them name their unit by credit code, the rest by name; 1% are 差评 (each becomes
a problem); half carry a case number. Timed: reading and keeping the upload (`start_import`),
the preview, the confirmation, and the preview of the same file again (all rows already here).
Target (issue 13): the whole import well under a minute. Figures go to bench/results.json.
"""

import json
import os
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results.json"
ROWS = int(os.environ.get("BENCH_RATING_ROWS", 50_000))
UNITS = 100
ITEMS = ["高新技术企业认定", "科技型中小企业评价", "技术合同登记", "科技成果登记"]
CHANNELS = ["PC端", "移动端", "二维码", "评价器", "政务服务终端", "短信", "默认"]
# 1% 差评, well above what published platforms report; each one costs its problem (~7–12 ms).
LEVELS = ["非常满意"] * 120 + ["满意"] * 56 + ["基本满意"] * 22 + ["不满意", 1]


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


def _world():
    from zhenggai.evaluations.models import RatingPoint
    from zhenggai.evaluations.platform.values import with_check_character
    from zhenggai.evaluations.values import Mode
    from zhenggai.orgs.models import Unit
    from zhenggai.orgs.services import create_unit
    from zhenggai.testing import grant, make_user

    office = create_unit("市营商办", Unit.Kind.OFFICE)
    units = []
    for n in range(UNITS):
        code = with_check_character(f"113301000{n:07d}A")
        unit = create_unit(f"市第{n + 1}局", Unit.Kind.UNIT, office, credit_code=code)
        for item in ITEMS[:2]:
            RatingPoint.objects.create(unit=unit, kind="item", name=item, mode=Mode.ONLINE)
        units.append(unit)
    evaluator = make_user("bench_evaluator")
    grant(evaluator, office, "evaluation_office")
    return office, units, evaluator


def _write(path: Path, units) -> None:
    import xlsxwriter

    rng = random.Random(2026)
    start = datetime(2026, 7, 1, 8, 0)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("评价数据")
    sheet.write_row(0, 0, ["某省政务服务“好差评”评价数据"])
    header = ["评价编号", "满意度", "评价渠道", "评价时间", "部门名称", "统一社会信用代码"]
    header += ["事项名称", "办件编号", "评价内容", "联系电话"]
    sheet.write_row(2, 0, header)
    for n in range(ROWS):
        unit = units[n % len(units)]
        level = rng.choice(LEVELS)
        at = start + timedelta(minutes=rng.randrange(92 * 24 * 60))
        bad = level in ("不满意", 1)
        comment = "材料要求反复变化，多次补正" if bad and n % 2 else ""
        sheet.write_row(
            n + 3,
            0,
            [
                f"PJ{n:010d}",
                level,
                rng.choice(CHANNELS),
                at.strftime("%Y-%m-%d %H:%M:%S"),
                unit.name if n % 4 else "",
                unit.credit_code if n % 4 == 0 else "",
                ITEMS[n % len(ITEMS)],
                f"BJ{n:012d}" if n % 2 else "",
                comment or ("办理顺利" if n % 5 == 0 else ""),
                "",
            ],
        )
    book.close()


def _timed(action):
    started = time.perf_counter()
    value = action()
    return value, round(time.perf_counter() - started, 2)


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        _setup(folder)
        from django.core.files.uploadedfile import SimpleUploadedFile

        from zhenggai.evaluations import imports
        from zhenggai.evaluations.models import Rating

        office, units, evaluator = _world()
        path = folder / "ratings.xlsx"
        _, write_s = _timed(lambda: _write(path, units))

        def upload():
            return SimpleUploadedFile("ratings.xlsx", path.read_bytes())

        draft, start_s = _timed(lambda: imports.start_import(upload(), by=evaluator, office=office))
        plan, preview_s = _timed(lambda: imports.preview(draft))
        result, confirm_s = _timed(lambda: imports.confirm_import(draft, by=evaluator))
        again = imports.start_import(upload(), by=evaluator, office=office)
        replan, again_s = _timed(lambda: imports.preview(again))
        figures = {
            "rows": ROWS,
            "file_mb": round(path.stat().st_size / 1024 / 1024, 2),
            "start_import_s": start_s,
            "preview_s": preview_s,
            "confirm_s": confirm_s,
            "total_s": round(start_s + preview_s + confirm_s, 2),
            "preview_again_s": again_s,
            "imported": result["imported"],
            "follow_ups": result["follow_ups"],
            "problems_raised": result["problems"],
            "already_present_again": replan.counts["present"],
            "ratings_in_db": Rating.objects.count(),
            "write_file_s": write_s,
        }
        assert plan.counts["to_import"] == result["imported"]
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results["rating_import_50k"] = figures
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print("rating_import_50k", figures)


if __name__ == "__main__":
    main()
