"""Links in reminders use the address the site is served at: `make run PORT=…` passes it to the
worker and the server, and outside debug, demo and tests an unset ZHENGGAI_SITE_URL is warned
about."""

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.core import mail

from zhenggai.ledger import services
from zhenggai.supervision import reminders
from zhenggai.supervision.checks import check_site_url
from zhenggai.supervision.reminders import run_reminders

ROOT = Path(__file__).resolve().parents[3]

# Stands in for the installed console script: records each command with the address it was
# given, and lets the server live a moment so that the worker started beside it records too.
FAKE_ZHENGGAI = """#!/bin/sh
echo "$1 $ZHENGGAI_SITE_URL $*" >> "$(dirname "$0")/calls.log"
if [ "$1" = runserver ]; then sleep 1; fi
"""


def make_run(tmp_path: Path, **variables) -> list[str]:
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    script = venv / "bin" / "zhenggai"
    script.write_text(FAKE_ZHENGGAI)
    script.chmod(0o755)
    (venv / ".installed").touch()  # newer than pyproject.toml: nothing is installed
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZHENGGAI_", "MAKE"))}
    env.update({k: v for k, v in variables.items() if k.startswith("ZHENGGAI_")})
    args = [f"{k}={v}" for k, v in variables.items() if not k.startswith("ZHENGGAI_")]
    result = subprocess.run(
        ["make", "-s", "-C", str(ROOT), "run", f"VENV={venv}", f"ZHENGGAI_DATA_DIR={tmp_path}"]
        + args,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return (venv / "bin" / "calls.log").read_text().splitlines()


needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="no make")


@needs_make
def test_make_run_gives_the_worker_and_server_the_port_it_serves(tmp_path):
    calls = make_run(tmp_path, PORT="8101")
    by_command = {line.split()[0]: line for line in calls}
    assert set(by_command) == {"migrate", "load_demo", "worker", "runserver"}
    for line in calls:
        assert line.split()[1] == "http://127.0.0.1:8101/", line
    assert "--url http://127.0.0.1:8101/" in by_command["load_demo"]
    assert "127.0.0.1:8101" in by_command["runserver"]


@needs_make
def test_make_run_keeps_an_address_given_in_the_environment(tmp_path):
    calls = make_run(tmp_path, PORT="8102", ZHENGGAI_SITE_URL="https://zg.example.gov.cn/")
    assert {line.split()[1] for line in calls} == {"https://zg.example.gov.cn/"}
    assert any("runserver 127.0.0.1:8102" in line for line in calls)


@pytest.fixture
def production(monkeypatch, settings):
    settings.DEBUG = False
    settings.DEMO = False
    monkeypatch.delenv("ZHENGGAI_TESTING", raising=False)
    monkeypatch.delenv("ZHENGGAI_SITE_URL", raising=False)
    return monkeypatch


def test_production_without_a_site_address_is_warned(production):
    [warning] = check_site_url()
    assert warning.id == "supervision.W001"
    assert "ZHENGGAI_SITE_URL" in warning.msg


def test_a_site_address_set_in_production_passes(production):
    production.setenv("ZHENGGAI_SITE_URL", "https://zhenggai.example.gov.cn")
    assert check_site_url() == []


def test_a_malformed_site_address_is_an_error(production):
    production.setenv("ZHENGGAI_SITE_URL", "zhenggai.example.gov.cn")
    [error] = check_site_url()
    assert error.id == "supervision.E001"


@pytest.mark.parametrize("mode", ["DEBUG", "DEMO"])
def test_debug_and_demo_need_no_site_address(production, settings, mode):
    setattr(settings, mode, True)
    assert check_site_url() == []


def test_tests_need_no_site_address(production):
    production.setenv("ZHENGGAI_TESTING", "true")
    assert check_site_url() == []


def test_reminder_links_use_the_site_address(world, settings):
    settings.EMAIL_ENABLED = True
    settings.SITE_URL = "http://127.0.0.1:8101"
    reminders.problem_url.cache_clear()
    world.staff.email = "staff@example.cn"
    world.staff.save()
    problem = world.problem("逾期的问题", deadline=date(2026, 11, 20), approve=True)
    measure = world.measure(problem)
    services.update_measure(
        measure, by=world.leader, base_version=measure.version, owner=world.staff
    )
    try:
        run_reminders(date(2026, 11, 23))
    finally:
        reminders.problem_url.cache_clear()
    body = mail.outbox[0].body
    assert f"http://127.0.0.1:8101/problems/{problem.pk}/" in body
    assert "http://127.0.0.1:8101/my/" in body
    assert ":8000" not in body
