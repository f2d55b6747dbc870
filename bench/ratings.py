"""`make bench`: ratings accepted per second at the public rating page under gunicorn, against
the JSON floor (`/healthz/`) of the same server, measured in one run; on SQLite, and on
PostgreSQL too when DATABASE_URL is set (`scripts/with-postgres python bench/ratings.py`). And
the poster PDF of 200 points.

Every request of the load is another phone: its own device cookie and its own address (a
documentation-range IPv6 /64 in X-Forwarded-For, read because the bench's server trusts the
loopback proxy), so the per-device and per-address rules of production stay on and admit
each one. One rating in twenty is a 差评 with its reason (it becomes a problem in the ledger).
Only accepted ratings count: the 302 to the thank-you page, checked against the rows in the
database afterwards. Figures go to bench/results.json under `ratings_*`.
"""

import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data" / "ratings"
RESULTS = HERE / "results.json"
UNITS, POINTS_PER_UNIT = 20, 10  # 200 points: the poster bench's size too
SECONDS = 10
WORKERS = 2  # the machine's two cores
REASON = "窗口工作人员态度生硬，材料反复退回"


def _env(database_url: str | None) -> dict:
    env = dict(os.environ)
    env.update(
        ZHENGGAI_DATA_DIR=str(DATA),
        ZHENGGAI_DEMO="true",
        ZHENGGAI_TRUSTED_PROXIES="127.0.0.1",
        DJANGO_SETTINGS_MODULE="zhenggai.settings",
        PYTHONPATH=str(ROOT),
    )
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


# In a child process (the database is chosen by its environment)


def seed() -> dict:
    """A fresh schema with 20 units of 10 points each, half on site and half online."""
    import django

    django.setup()
    from django.core.management import call_command

    from zhenggai.evaluations.models import RatingPoint
    from zhenggai.evaluations.values import Mode
    from zhenggai.orgs.models import Unit
    from zhenggai.orgs.services import create_unit

    call_command("migrate", verbosity=0, interactive=False)
    office = create_unit("市营商环境建设办公室", Unit.Kind.OFFICE)
    for u in range(UNITS):
        unit = create_unit(f"区第{u + 1}局", Unit.Kind.UNIT, office)
        section = create_unit("办公室", Unit.Kind.SECTION, unit)
        for p in range(POINTS_PER_UNIT):
            RatingPoint.objects.create(
                unit=unit,
                section=section if p % 3 == 0 else None,
                kind=RatingPoint.Kind.WINDOW if p % 2 else RatingPoint.Kind.ITEM,
                name=f"政务服务窗口{p + 1}号（企业开办、不动产登记、社保医保综合受理）",
                mode=Mode.ON_SITE if p % 2 else Mode.ONLINE,
            )
    return {"codes": list(RatingPoint.objects.values_list("code", flat=True))}


def posters() -> dict:
    """The poster PDF of all 200 points, as the unit page builds it: median of three."""
    import django

    django.setup()
    import pypdfium2

    from zhenggai.evaluations.models import RatingPoint
    from zhenggai.evaluations.posters import poster_pdf

    times, pdf = [], b""
    for _ in range(3):
        started = time.perf_counter()
        points = RatingPoint.objects.select_related("unit", "section").order_by("id")
        pdf = poster_pdf(points)
        times.append(time.perf_counter() - started)
    pages = len(pypdfium2.PdfDocument(pdf))
    return {"seconds": round(statistics.median(times), 2), "pages": pages, "bytes": len(pdf)}


def count() -> dict:
    import django

    django.setup()
    from zhenggai.evaluations.models import Rating

    return {"ratings": Rating.objects.count(), "bad": Rating.objects.bad().count()}


def _child(step: str, env: dict) -> dict:
    run = subprocess.run(
        [sys.executable, __file__, "--child", step],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if run.returncode:
        sys.exit(run.stderr)
    return json.loads(run.stdout.strip().splitlines()[-1])


# The load


LUA = r"""
local codes = {%(codes)s}
local levels = {5, 5, 4, 5, 3, 5, 4, 5, 5, 5, 4, 5, 5, 3, 5, 4, 5, 5, 2, 5}
local token = "%(token)s"
local reason = "%(reason)s"
local threads = {}
local next_id = 1
counter, accepted, refused = 0, 0, 0

function setup(thread)
  thread:set("id", next_id)
  table.insert(threads, thread)
  next_id = next_id + 1
end

function request()
  counter = counter + 1
  local n = counter
  local code = codes[(n * 7 + id * 13) %% #codes + 1]
  local level = levels[n %% #levels + 1]
  local body = "csrfmiddlewaretoken=" .. token .. "&level=" .. level
  if level <= 2 then body = body .. "&comment=" .. reason end
  local headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = string.format("csrftoken=%%s; zhenggai_device=bench-%%d-%%010d-phone", token, id, n),
    ["X-Forwarded-For"] = string.format("2001:db8:%%x:%%x::1", id * 256 + math.floor(n / 65536), n %% 65536),
  }
  return wrk.format("POST", "/r/" .. code .. "/", headers, body)
end

function response(status, headers, body)
  if status == 302 then accepted = accepted + 1 else refused = refused + 1 end
end

function done(summary, latency, requests)
  local a, r = 0, 0
  for _, thread in ipairs(threads) do
    a = a + thread:get("accepted")
    r = r + thread:get("refused")
  end
  io.write(string.format("ACCEPTED %%d REFUSED %%d SECONDS %%f\n", a, r, summary.duration / 1e6))
end
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wrk(url: str, script: str | None = None) -> str:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk): cannot measure requests/s")
    command = ["wrk", "-t2", "-c8", f"-d{SECONDS}s", "--latency"]
    if script:
        command += ["-s", script]
    return subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout


def _rps(output: str) -> float:
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def _p50(output: str) -> str:
    found = re.search(r"50%\s+(\S+)", output)
    return found.group(1) if found else ""


def _serve(env: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "zhenggai.wsgi",
            "-w",
            str(WORKERS),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=1)
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def load_test(env: dict, codes: list[str]) -> dict:
    """The JSON floor before and after the ratings, all against one server."""
    token = secrets.token_hex(16)  # 32 characters: Django takes the secret itself as the token
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(
            LUA
            % {
                "codes": ", ".join(f'"{code}"' for code in codes),
                "token": token,
                "reason": urllib.parse.quote(REASON),
            }
        )
    port = _free_port()
    before = _child("count", env)["ratings"]
    server = _serve(env, port)
    try:
        floor_before = _rps(_wrk(f"http://127.0.0.1:{port}/healthz/"))
        out = _wrk(f"http://127.0.0.1:{port}/", script.name)
        floor_after = _rps(_wrk(f"http://127.0.0.1:{port}/healthz/"))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        os.unlink(script.name)
    tally = re.search(r"ACCEPTED (\d+) REFUSED (\d+) SECONDS ([\d.]+)", out)
    accepted, refused, seconds = int(tally[1]), int(tally[2]), float(tally[3])
    stored = _child("count", env)
    floor = (floor_before + floor_after) / 2
    rps = accepted / seconds
    return {
        "accepted_per_s": round(rps, 1),
        "accepted": accepted,
        "refused": refused,
        "stored_in_database": stored["ratings"] - before,
        "bad_reviews_stored": stored["bad"],
        "median_latency": _p50(out),
        "json_floor_rps": round(floor, 1),
        "json_floor_before_after": [round(floor_before, 1), round(floor_after, 1)],
        "share_of_floor": round(rps / floor, 3),
    }


def _postgres_database(url: str) -> str:
    """A database of the bench's own on the server of DATABASE_URL, made anew."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = "zhenggai_bench_ratings"
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return parts._replace(path=f"/{name}").geturl()


def run(database_url: str | None, label: str) -> dict:
    if DATA.exists():
        shutil.rmtree(DATA)
    env = _env(database_url)
    print(f"ratings on {label}: seeding {UNITS * POINTS_PER_UNIT} points")
    codes = _child("seed", env)["codes"]
    figures = {}
    if database_url is None:
        figures["posters_200"] = _child("posters", env)
        print(f"  poster PDF: {figures['posters_200']}")
    print(f"  load: {SECONDS} s of JSON floor, ratings, JSON floor (wrk -t2 -c8)")
    figures[f"gunicorn_{label}"] = load_test(env, codes)
    print(f"  {figures[f'gunicorn_{label}']}")
    return figures


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        print(json.dumps({"seed": seed, "posters": posters, "count": count}[sys.argv[2]]()))
        return
    figures = run(None, "sqlite")
    if os.environ.get("DATABASE_URL"):
        figures.update(run(_postgres_database(os.environ["DATABASE_URL"]), "postgres"))
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results.update({f"ratings_{name}": value for name, value in figures.items()})
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps({k: v for k, v in results.items() if k.startswith("ratings_")}, indent=2))


if __name__ == "__main__":
    main()
