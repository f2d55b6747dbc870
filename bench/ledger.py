"""`make bench`: the ledger page and the round overview at 1,000 and 100,000 problems, and the
ledger's requests per second under gunicorn against the server's plain JSON floor.

Each size runs in its own process (the database is chosen by environment), seeded once into
bench/data/<size>/ and reused. Figures go to bench/results.json.
"""

import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
RESULTS = HERE / "results.json"
SIZES = {"1k": 1_000, "100k": 100_000}
REPEAT = 25


def _env(size: int) -> dict:
    env = dict(os.environ)
    env.update(
        ZHENGGAI_DATA_DIR=str(DATA / str(size)),
        ZHENGGAI_DEMO="true",
        DJANGO_SETTINGS_MODULE="zhenggai.settings",
        PYTHONPATH=str(ROOT),
    )
    env.pop("DATABASE_URL", None)
    return env


def time_pages(client, pages: dict[str, str]) -> dict:
    """Median and p95 of REPEAT requests of each page (after three warm-ups), and its queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    out = {}
    for name, url in pages.items():
        for _ in range(3):
            assert client.get(url).status_code == 200, url
        times = []
        for _ in range(REPEAT):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        out[name] = {
            "median_ms": round(statistics.median(times), 2),
            "p95_ms": round(sorted(times)[int(len(times) * 0.95) - 1], 2),
            "queries": len(queries),
        }
    return out


def measure(size: int) -> dict:
    """In a child process: seed if needed, then time each page with Django's test client."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    sys.path.insert(0, str(HERE))
    from seed import ensure_seeded

    info = ensure_seeded(size, DATA / str(size))
    # No setup_test_environment(): it instruments template rendering and would skew the times.
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username="inspector"))
    pages = {
        "ledger_first_page": "/ledger/",
        "ledger_state_unit": f"/ledger/?state=in_progress&unit={info['unit']}",
        "ledger_search": "/ledger/?q=营商环境",  # in half of all problems: scanned in order
        "ledger_search_rare": "/ledger/?q=虚报冒领",  # in none: answered by the index
        "round_overview": f"/rounds/{info['round']}/",
    }
    out = time_pages(client, pages)
    out["_session"] = client.cookies["sessionid"].value
    out["_data"] = info
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rps(url: str, cookie: str, seconds: int = 10) -> float:
    if shutil.which("wrk"):
        result = subprocess.run(
            ["wrk", "-t2", "-c8", f"-d{seconds}s", "-H", f"Cookie: {cookie}", url],
            capture_output=True,
            text=True,
            check=True,
        )
        return float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout).group(1))
    raise SystemExit("wrk is not installed (apt-get install wrk): cannot measure requests/second")


def load_test(size: int, session: str) -> dict:
    port = _free_port()
    env = _env(size)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "zhenggai.wsgi",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        cookie = f"sessionid={session}"
        ledger = _rps(f"http://127.0.0.1:{port}/ledger/", cookie)
        floor = _rps(f"http://127.0.0.1:{port}/healthz/", cookie)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return {
        "ledger_rps": round(ledger, 1),
        "json_floor_rps": round(floor, 1),
        "ledger_share_of_floor": round(ledger / floor, 3),
    }


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        print(json.dumps(measure(int(sys.argv[2]))))
        return
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    sessions = {}
    for label, size in SIZES.items():
        print(f"measuring {label} ({size} problems; the first run seeds, which takes a while)")
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
        sessions[size] = figures.pop("_session")
        data = figures.pop("_data")
        print(f"  data: {data}")
        for name, value in figures.items():
            results[f"{name}_{label}"] = value
    for name in (
        "ledger_first_page",
        "ledger_state_unit",
        "ledger_search",
        "ledger_search_rare",
        "round_overview",
    ):
        small, large = results[f"{name}_1k"], results[f"{name}_100k"]
        results[f"{name}_100k"]["ratio_to_1k"] = round(large["median_ms"] / small["median_ms"], 2)
    results["gunicorn_100k"] = load_test(SIZES["100k"], sessions[SIZES["100k"]])
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
