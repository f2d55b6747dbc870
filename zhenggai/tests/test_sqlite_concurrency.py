"""Two processes writing to the same SQLite file queue for the lock instead of failing."""

import os
import subprocess
import sys

import pytest
from django.db import connection

WRITER = """
import django
django.setup()
from zhenggai.orgs.models import Unit
from zhenggai.orgs.services import create_unit
office = Unit.objects.get(name="并发测试")
import time
from django.db import transaction
for n in range(60):
    # Read, then write, in one transaction: the shape of every ledger service (lock the row,
    # check it, save). Deferred transactions would deadlock here and fail with "locked".
    with transaction.atomic():
        Unit.objects.filter(pk=office.pk).count()
        time.sleep(0.002)
        create_unit(f"{{tag}}-{{n}}", Unit.Kind.UNIT, office)
""".replace("{{", "{").replace("}}", "}")


def _run(env, *args):
    return subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=180
    )


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite file setup")
def test_concurrent_writers_queue_on_sqlite(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZHENGGAI_", "DATABASE_"))}
    env.update(
        ZHENGGAI_DEBUG="true",
        ZHENGGAI_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="zhenggai.settings",
    )
    assert _run(env, "-m", "zhenggai.cli", "migrate", "-v0").returncode == 0
    setup = 'import django; django.setup(); from zhenggai.orgs.services import create_unit; create_unit("并发测试", "office")'
    assert _run(env, "-c", setup).returncode == 0
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", f"tag={tag!r}\n" + WRITER],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("甲", "乙")
    ]
    errors = [w.communicate(timeout=180)[1] for w in writers]
    assert [w.returncode for w in writers] == [0, 0], errors
    count = _run(
        env,
        "-c",
        "import django; django.setup(); from zhenggai.orgs.models import Unit; "
        "print(Unit.objects.filter(kind='unit').count())",
    )
    assert count.stdout.strip() == "120"
