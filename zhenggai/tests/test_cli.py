"""The `zhenggai` command runs Django's commands with the project's settings."""

import os
import secrets
import subprocess
import sys


def run(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ZHENGGAI_", "DJANGO_"))}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-m", "zhenggai.cli", *args],
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_under_production_settings(tmp_path):
    result = run(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        ZHENGGAI_SECRET_KEY=secrets.token_urlsafe(50),
        ZHENGGAI_ALLOWED_HOSTS="zhenggai.example.gov.cn",
        ZHENGGAI_SITE_URL="https://zhenggai.example.gov.cn",
        ZHENGGAI_DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run("check", ZHENGGAI_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "ZHENGGAI_SECRET_KEY must be set" in result.stderr


def test_a_malformed_variable_is_named_in_english(tmp_path):
    result = run("check", ZHENGGAI_DEBUG="perhaps", ZHENGGAI_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "ZHENGGAI_DEBUG must be true or false" in result.stderr


def test_the_demo_refuses_outside_demo_mode(tmp_path):
    result = run("load_demo", ZHENGGAI_DEBUG="true", ZHENGGAI_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "ZHENGGAI_DEMO" in result.stderr
