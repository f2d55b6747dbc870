"""`make bench`: the API's problem list at 100,000 problems against the ledger page, in one run.

- Median, p95 and queries of `GET /api/v1/problems/?limit=50` (and filtered, and a page of 200)
  against the ledger page's own figures (`/ledger/`, the same FilterSet), with Django's test
  client in a child process on the 100,000-problem database that bench/ledger.py seeds and
  reuses (bench/data/100000/). The queries must not grow with the page: the limits 10, 50 and
  200 are counted too.
- Requests per second under gunicorn (2 workers, wrk -t2 -c8, 10 s each) of the problem list
  with a token, of the ledger page with a session, and of the JSON floor (`/healthz/`).

The token's rate limit stays on under load, counted in the database cache as in production, but
with a rate of a million a second, so that the load is measured rather than refused.
Figures go to bench/results.json under `api_*`.
"""

import json
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from ledger import DATA, RESULTS, ROOT, _env, _free_port, time_pages  # noqa: E402

SIZE = 100_000
SECONDS = 10


def measure() -> dict:
    """In a child process: the API list and the ledger page, with the test client."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from seed import ensure_seeded

    from zhenggai.api.models import ApiToken
    from zhenggai.api.tokens import create_token

    info = ensure_seeded(SIZE, DATA / str(SIZE))
    inspector = get_user_model().objects.get(username="inspector")
    ApiToken.objects.filter(user=inspector, name="bench").delete()  # earlier runs' tokens
    _, token = create_token(inspector, name="bench", scope="read", days=1)
    pages = Client(HTTP_HOST="127.0.0.1")
    pages.force_login(inspector)
    api = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {token}")
    unit = info["unit"]
    out = time_pages(
        pages,
        {
            "ledger_first_page": "/ledger/",
            "ledger_state_unit": f"/ledger/?state=in_progress&unit={unit}",
        },
    )
    out |= time_pages(
        api,
        {
            "problems_limit_10": "/api/v1/problems/?limit=10",
            "problems_limit_50": "/api/v1/problems/?limit=50",
            "problems_limit_200": "/api/v1/problems/?limit=200",
            "problems_state_unit": f"/api/v1/problems/?state=in_progress&unit={unit}&limit=50",
            "problems_far_page": "/api/v1/problems/?limit=50&offset=99000",
        },
    )
    out["_session"] = pages.cookies["sessionid"].value
    out["_token"] = token
    return out


def _rps(url: str, header: str) -> float:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk): cannot measure requests/s")
    command = ["wrk", "-t2", "-c8", f"-d{SECONDS}s", "-H", header, url]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    if "Non-2xx" in result.stdout:
        raise SystemExit(f"{url} answered errors under load:\n{result.stdout}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout).group(1))


def load_test(session: str, token: str) -> dict:
    port = _free_port()
    env = _env(SIZE) | {"ZHENGGAI_API_RATE": "1000000/s"}
    command = [sys.executable, "-m", "gunicorn", "zhenggai.wsgi", "-w", "2"]
    command += ["-b", f"127.0.0.1:{port}", "--log-level", "warning"]
    server = subprocess.Popen(command, env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        bearer = f"Authorization: Bearer {token}"
        floor = _rps(f"{base}/healthz/", bearer)
        api = _rps(f"{base}/api/v1/problems/?limit=50", bearer)
        ledger = _rps(f"{base}/ledger/", f"Cookie: sessionid={session}")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return {
        "api_problems_limit_50_rps": round(api, 1),
        "ledger_rps": round(ledger, 1),
        "json_floor_rps": round(floor, 1),
        "api_share_of_floor": round(api / floor, 3),
        "api_to_ledger": round(api / ledger, 2),
    }


def main() -> None:
    if sys.argv[1:] == ["--child"]:
        print(json.dumps(measure()))
        return
    print(f"measuring the API at {SIZE} problems (the first run seeds, which takes a while)")
    run = subprocess.run(
        [sys.executable, __file__, "--child"],
        env=_env(SIZE),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if run.returncode:
        sys.exit(run.stderr)
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    session, token = figures.pop("_session"), figures.pop("_token")
    for name in ("problems_limit_50", "problems_state_unit"):
        page = "ledger_first_page" if name == "problems_limit_50" else "ledger_state_unit"
        ratio = figures[name]["median_ms"] / figures[page]["median_ms"]
        figures[name]["to_ledger_page"] = round(ratio, 2)
    figures["gunicorn"] = load_test(session, token)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results["api_100k"] = figures
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(figures, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
