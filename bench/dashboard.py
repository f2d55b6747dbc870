"""`make bench`: the supervision dashboard (督办看板) across 500 units for the inspection office,
and for one unit, at 1,000 and 100,000 problems.

Uses the ledger benchmark's databases (bench/data/<size>/, seeded by bench/seed.py) and writes
`dashboard_*` figures into bench/results.json.
"""

import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from ledger import DATA, RESULTS, SIZES, _env, time_pages  # noqa: E402


def measure(size: int) -> dict:
    """In a child process: seed if needed, then time the dashboard with Django's test client."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from seed import ensure_seeded

    info = ensure_seeded(size, DATA / str(size))
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username="inspector"))
    pages = {
        "dashboard": "/dashboard/",  # every unit: KPIs, areas, trend, ranking of 500 units
        "dashboard_unit": f"/dashboard/?unit={info['unit']}",  # one unit: sections, leaders
    }
    out = time_pages(client, pages)
    out["_data"] = info
    return out


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        print(json.dumps(measure(int(sys.argv[2]))))
        return
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    for label, size in SIZES.items():
        print(f"measuring the dashboard at {label} ({size} problems)")
        run = subprocess.run(
            [sys.executable, __file__, "--child", str(size)],
            env=_env(size),
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if run.returncode:
            sys.exit(run.stderr)
        figures = json.loads(run.stdout.strip().splitlines()[-1])
        print(f"  data: {figures.pop('_data')}")
        for name, value in figures.items():
            results[f"{name}_{label}"] = value
    for name in ("dashboard", "dashboard_unit"):
        small, large = results[f"{name}_1k"], results[f"{name}_100k"]
        large["ratio_to_1k"] = round(large["median_ms"] / small["median_ms"], 2)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps({k: v for k, v in results.items() if k.startswith("dashboard")}, indent=2))


if __name__ == "__main__":
    main()
