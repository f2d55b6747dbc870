"""The rate limit admits at most N attempts per window, also when they all arrive at once."""

import os
import subprocess
import sys
import time

import pytest
from django.db import connection

from zhenggai.lib import ratelimit


def test_n_attempts_pass_then_none_until_reset(db):
    assert [ratelimit.hit("t", "k", 3, 3600) for _ in range(5)] == [True] * 3 + [False] * 2
    assert ratelimit.is_locked("t", "k", 3, 3600)
    assert ratelimit.hit("t", "other", 3, 3600)
    ratelimit.reset("t", "k", 3, 3600)
    assert ratelimit.hit("t", "k", 3, 3600)


def test_a_new_window_starts_afresh(db, monkeypatch):
    now = 1_800_000_000.0
    monkeypatch.setattr(time, "time", lambda: now)
    assert [ratelimit.hit("t", "k", 2, 60) for _ in range(3)] == [True, True, False]
    now += 60
    assert ratelimit.hit("t", "k", 2, 60)


# Several processes of several threads each (every thread has its own database connection)
# wait for one moment, then all try at once.
ATTEMPTS = """
import sys, threading, time
import django
django.setup()
from django.db import connection
from zhenggai.lib import ratelimit
start = float(sys.argv[1])
results = []
def attempt():
    time.sleep(max(0, start - time.time()))
    results.append(ratelimit.hit("concurrent", "one key", 5, 3600))
    connection.close()
threads = [threading.Thread(target=attempt) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
print(sum(results))
"""


def _environment(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZHENGGAI_", "DATABASE_"))}
    env.update(ZHENGGAI_TESTING="true", DJANGO_SETTINGS_MODULE="zhenggai.settings")
    if connection.vendor == "sqlite":
        env["ZHENGGAI_DATA_DIR"] = str(tmp_path)  # a file all processes share
        subprocess.run(
            [sys.executable, "-m", "zhenggai.cli", "migrate", "-v0"], env=env, check=True
        )
    else:  # the test database itself, committed to by transactional_db
        s = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
        )
    return env


def test_concurrent_attempts_cannot_all_pass(transactional_db, tmp_path):
    env = _environment(tmp_path)
    start = str(time.time() + 4)
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", ATTEMPTS, start], env=env, stdout=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    admitted = [int(run.communicate(timeout=120)[0].strip()) for run in runs]
    assert sum(admitted) == 5, admitted


@pytest.mark.parametrize("attempts", [7])
def test_the_login_form_checks_no_password_past_the_limit(client, world, settings, attempts):
    from unittest import mock

    from django.contrib.auth.backends import ModelBackend

    settings.LOGIN_MAX_FAILURES = 5
    with mock.patch.object(ModelBackend, "authenticate", return_value=None) as checked:
        codes = [
            client.post("/login/", {"username": "leader", "password": "x"}).status_code
            for _ in range(attempts)
        ]
    assert codes == [200] * 5 + [429] * 2
    assert checked.call_count == 5
