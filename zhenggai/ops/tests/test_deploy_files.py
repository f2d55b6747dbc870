"""The deployment files under deploy/ agree with each other and with the application: the
systemd units run programs the package installs, as one user with one environment file; the
worker's arguments are ones it takes; nginx forwards to where gunicorn listens, with the upload
limit the application allows and the headers it reads; the example environment sets only
variables the settings read."""

import configparser
import os
import re
import runpy
import shlex
import shutil
import subprocess  # nosec B404 - systemd-analyze and sh with fixed arguments
import sys
from importlib.util import find_spec
from pathlib import Path

import pytest

from zhenggai.supervision.management.commands.worker import Command as Worker

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"
INSTALLED = "/opt/zhenggai"  # where the units expect the repository (and its .venv)
ENV_FILE = "/etc/zhenggai/zhenggai.env"
SETTINGS = (ROOT / "zhenggai" / "settings.py").read_text()


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # systemd's keys are case-sensitive
    parser.read_string((DEPLOY / "systemd" / name).read_text())
    return parser


def exec_start(name: str) -> list[str]:
    return shlex.split(unit(name)["Service"]["ExecStart"])


def in_repository(path: str) -> Path:
    assert path.startswith(INSTALLED + "/"), path
    return ROOT / path.removeprefix(INSTALLED + "/")


def nginx() -> str:
    return (DEPLOY / "nginx" / "zhenggai.conf").read_text()


def env_example() -> dict[str, str]:
    entries = {}
    for line in (DEPLOY / "zhenggai.env.example").read_text().splitlines():
        match = re.match(r"#?([A-Z][A-Z0-9_]*)=(.*)$", line.strip())
        if match:
            entries[match[1]] = match[2]
    return entries


def test_both_units_run_as_one_user_with_one_environment():
    web, worker = unit("zhenggai-web.service"), unit("zhenggai-worker.service")
    for service in (web["Service"], worker["Service"]):
        assert service["User"] == service["Group"] == "zhenggai"
        assert service["EnvironmentFile"] == ENV_FILE
        assert service["WorkingDirectory"] == env_example()["ZHENGGAI_DATA_DIR"]
        assert env_example()["ZHENGGAI_DATA_DIR"] in service["ReadWritePaths"].split()
        assert f"-{env_example()['ZHENGGAI_BACKUP_DIR']}" in service["ReadWritePaths"].split()
    wrapper = (DEPLOY / "zhenggai").read_text()
    assert f"ZHENGGAI_ENV_FILE:-{ENV_FILE}" in wrapper
    assert f"ZHENGGAI_VENV:-{INSTALLED}/.venv" in wrapper


def test_the_web_unit_runs_gunicorn_with_the_repositorys_config():
    program, *args = exec_start("zhenggai-web.service")
    assert program == f"{INSTALLED}/.venv/bin/gunicorn"
    assert (Path(sys.executable).parent / "gunicorn").exists()  # installed with the package
    assert args[0] == "--config" and in_repository(args[1]).is_file()
    assert find_spec(args[-1]) is not None  # zhenggai.wsgi


def test_the_worker_unit_runs_the_worker_with_arguments_it_takes():
    program, command, *args = exec_start("zhenggai-worker.service")
    assert program == f"{INSTALLED}/.venv/bin/zhenggai" and command == "worker"
    options = Worker().create_parser("zhenggai", "worker").parse_args(args)
    assert options.interval == 5 and not options.once


def test_nginx_forwards_to_gunicorn_with_the_headers_the_application_reads():
    config = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    upstream = re.search(r"upstream zhenggai \{\s*server ([^;\s]+);", nginx())[1]
    assert upstream == config["bind"] == "127.0.0.1:8000"
    assert "proxy_pass http://zhenggai;" in nginx()
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in nginx()  # SECURE_PROXY_SSL_HEADER
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in nginx()
    assert "proxy_set_header Host $host;" in nginx()
    proxies = env_example()["ZHENGGAI_TRUSTED_PROXIES"].split(",")
    assert upstream.split(":")[0] in proxies  # nginx on the same machine is trusted


def test_nginx_allows_the_default_upload_limit():
    default_mb = int(re.search(r'envint\("ZHENGGAI_UPLOAD_MAX_MB", (\d+)\)', SETTINGS)[1])
    assert re.findall(r"client_max_body_size (\d+)m;", nginx()) == [str(default_mb)]
    assert env_example()["ZHENGGAI_UPLOAD_MAX_MB"] == str(default_mb)
    # gunicorn's timeout leaves room for the slowest request nginx waits for.
    read_timeout = int(re.search(r"proxy_read_timeout (\d+)s;", nginx())[1])
    assert read_timeout > runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))["timeout"]


def test_nginx_serves_nothing_from_disk():
    assert not re.search(r"^\s*(root|alias)\s", nginx(), re.MULTILINE)
    assert "/var/lib/zhenggai" not in re.sub(r"#.*", "", nginx())
    assert "return 301 https://" in nginx() and "listen 443 ssl" in nginx()


def test_the_example_environment_sets_only_what_the_settings_read():
    for name in env_example():
        assert f'"{name}"' in SETTINGS, f"{name} is not read by zhenggai/settings.py"


def run_wrapper(tmp_path: Path, env_text: str, program: str) -> subprocess.CompletedProcess:
    """deploy/zhenggai with a venv whose `zhenggai` is `program` (its Python the tests' own)."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    for name, text in (("zhenggai", program), ("python", f'exec {sys.executable} "$@"\n')):
        (venv / "bin" / name).write_text(f"#!/bin/sh\n{text}")
        (venv / "bin" / name).chmod(0o755)
    env_file = tmp_path / "zhenggai.env"
    env_file.write_text(env_text)
    environment = {
        "PATH": os.environ["PATH"],
        "ZHENGGAI_ENV_FILE": str(env_file),
        "ZHENGGAI_VENV": str(venv),
        "ZHENGGAI_USER": subprocess.check_output(["id", "-un"], text=True).strip(),  # nosec
    }
    return subprocess.run(  # nosec B603 - the wrapper, fixed arguments
        ["sh", str(DEPLOY / "zhenggai"), "doctor", "--json"],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )


def test_the_command_wrapper_runs_the_command_with_the_environment(tmp_path):
    done = run_wrapper(
        tmp_path,
        f"ZHENGGAI_DATA_DIR={tmp_path}\nZHENGGAI_SITE_URL=https://z.example.cn\n"
        "ZHENGGAI_EMAIL_PASSWORD='p a$$ word'\n",
        'echo "$* $ZHENGGAI_SITE_URL $ZHENGGAI_EMAIL_PASSWORD $(pwd)"\n',
    )
    assert done.stdout.strip() == f"doctor --json https://z.example.cn p a$$ word {tmp_path}"


def test_the_command_wrapper_reads_the_environment_as_systemd_does_and_runs_nothing(tmp_path):
    """Not by a shell (as root): a secret with $ ( & ; comes through as written, and a value
    that a shell would run is not run."""
    ran = tmp_path / "ran"
    secret = "$HOME(x&y;z"
    done = run_wrapper(
        tmp_path,
        f"# the secret\nZHENGGAI_SECRET_KEY={secret}\n"
        f"ZHENGGAI_EMAIL_PASSWORD=$(touch {ran})`touch {ran}`; touch {ran}\n"
        f'ZHENGGAI_EMAIL_USER="  a \\"b\\" "\n'
        f"export ZHENGGAI_EMAIL_HOST=mail.example.cn\n",
        'printf "%s|" "$ZHENGGAI_SECRET_KEY" "$ZHENGGAI_EMAIL_PASSWORD" "$ZHENGGAI_EMAIL_USER"'
        ' "${ZHENGGAI_EMAIL_HOST-unset}"\n',
    )
    assert done.stdout.split("|")[:4] == [
        secret,
        f"$(touch {ran})`touch {ran}`; touch {ran}",
        '  a "b" ',
        "unset",  # systemd ignores the line: so does the wrapper, and says so
    ]
    assert not ran.exists()
    assert "line 5: 'export ZHENGGAI_EMAIL_HOST' is not a variable's name" in done.stderr


def test_systemd_accepts_the_units(tmp_path):
    """systemd-analyze verify, on copies pointing at this checkout and an environment file."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    (tmp_path / "zhenggai.env").write_text("ZHENGGAI_SECRET_KEY=x\n")
    venv = Path(sys.executable).parent.parent
    for name in ("zhenggai-web.service", "zhenggai-worker.service"):
        text = (DEPLOY / "systemd" / name).read_text()
        text = text.replace(f"{INSTALLED}/.venv", str(venv)).replace(INSTALLED, str(ROOT))
        text = text.replace(ENV_FILE, str(tmp_path / "zhenggai.env"))
        text = text.replace("User=zhenggai", "User=root").replace("Group=zhenggai", "Group=root")
        (tmp_path / name).write_text(text)
    done = subprocess.run(  # nosec B603 - fixed arguments
        [
            analyze,
            "verify",
            *(str(tmp_path / n) for n in ("zhenggai-web.service", "zhenggai-worker.service")),
        ],
        capture_output=True,
        text=True,
    )
    problems = [
        line
        for line in done.stderr.splitlines()
        # Outside a booted system, systemd cannot look at units the files do not provide.
        if "zhenggai" in line and "postgresql.service" not in line
    ]
    assert done.returncode == 0 and not problems, done.stderr


def test_nginx_accepts_the_site(tmp_path):
    """nginx -t on the site, included in a minimal main configuration, with a throwaway
    certificate in place of the real one."""
    program, openssl = shutil.which("nginx"), shutil.which("openssl")
    if program is None or openssl is None:
        pytest.skip("nginx or openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(  # nosec B603 - fixed arguments
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=zhenggai.example.gov.cn", "-keyout", str(key), "-out", str(cert)],
        capture_output=True,
        check=True,
    )
    site = nginx().replace("/etc/ssl/zhenggai/fullchain.pem", str(cert))
    (tmp_path / "site.conf").write_text(site.replace("/etc/ssl/zhenggai/privkey.pem", str(key)))
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n access_log off;\n include {tmp_path}/site.conf;\n}}\n"
    )
    done = subprocess.run(  # nosec B603 - fixed arguments
        [program, "-t", "-q", "-c", str(main)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
