"""`zhenggai doctor`: Chinese lines marked ✓, ! or ✗, a JSON report for monitoring, and an exit
status that is non-zero exactly when a check fails."""

import json
import os
import subprocess  # nosec B404 - the installed console script, fixed arguments
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError

from zhenggai.ops import doctor
from zhenggai.supervision import heartbeat

ZHENGGAI = Path(sys.executable).with_name("zhenggai")


@pytest.fixture(autouse=True)
def no_heartbeat(db):
    """The cache table outlives the tests that flush the database: start without a beat."""
    cache.delete(heartbeat.KEY)


def run(*args: str) -> str:
    out = StringIO()
    call_command("doctor", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_failed_check_is_marked_and_raises():
    out = StringIO()
    with pytest.raises(CommandError, match="1 check"):
        call_command("doctor", "--only", "worker", stdout=out)
    text = out.getvalue()
    assert "后台服务\n  ✗ 没有后台服务" in text
    assert "处理：启动它：sudo systemctl enable --now zhenggai-worker" in text
    assert "1 项有错（✗）" in text


@pytest.mark.django_db
def test_no_failure_no_error(settings):
    heartbeat.beat("w" * 32, 30)
    text = run("--only", "worker", "storage")
    assert "  ✓ 后台服务在运行" in text and "✗" not in text.replace("（✗）", "")


@pytest.mark.django_db
def test_the_json_report(settings):
    heartbeat.beat("w" * 32, 30)
    report = json.loads(run("--json", "--only", "storage", "worker"))
    assert set(report) == {"ok", "host", "checked_at", "counts", "results"}
    assert report["ok"] is True
    assert report["counts"]["fail"] == 0
    assert sum(report["counts"].values()) == len(report["results"])
    first = report["results"][0]
    assert set(first) == {"area", "check", "status", "message", "hint"}
    assert first["area"] == "storage" and first["status"] in {"ok", "warn", "fail"}


@pytest.mark.django_db
def test_a_check_that_breaks_is_a_failure_of_its_area(monkeypatch):
    def broken():
        raise RuntimeError("the store is on fire")

    monkeypatch.setitem(doctor.AREAS, "storage", ("文件存储", broken))
    (result,) = doctor.run_checks(["storage"])
    assert (result.area, result.status) == ("storage", doctor.FAIL)
    assert "the store is on fire" in result.message


@pytest.mark.parametrize(
    ("environment", "status"),
    [
        ({"ZHENGGAI_DEMO": "true"}, 0),  # no scheduled backup in a demo: fine
        (
            {"ZHENGGAI_SECRET_KEY": "k" * 10 + "abcdefghij" * 5, "ZHENGGAI_BACKUP_DIR": "/nowhere"},
            1,
        ),
    ],
)
def test_the_exit_status_of_the_console_script(tmp_path, environment, status):
    if not ZHENGGAI.exists():
        pytest.skip("the zhenggai console script is not installed beside this interpreter")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHENGGAI_")}
    env.update(environment, ZHENGGAI_DATA_DIR=str(tmp_path))
    done = subprocess.run(  # nosec B603 - fixed arguments
        [str(ZHENGGAI), "doctor", "--json", "--only", "backups"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == status, done.stderr
    assert json.loads(done.stdout)["ok"] is (status == 0)
