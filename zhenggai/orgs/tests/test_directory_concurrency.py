"""Two confirmations at once (PostgreSQL, whose read committed lets both read the directory
before either commits): the second waits for the first, then finds the directory changed."""

import threading

import pytest
from django.db import connection, connections

from zhenggai.lib.errors import Conflict
from zhenggai.orgs import directory
from zhenggai.orgs.models import DirectoryImport, Unit
from zhenggai.orgs.tests.directory_helpers import county, upload


@pytest.mark.django_db(transaction=True)
def test_two_previews_confirmed_at_once_apply_one_and_refuse_the_other(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's IMMEDIATE transactions serialise confirmations already")
    first = directory.preview_directory_import(upload(county()), by=None)
    second = DirectoryImport.objects.create(
        original_name="again.xlsx", sha256=first.sha256, plan=first.plan, status="preview"
    )
    # Both confirmations past the fingerprint check before either writes, unless a lock holds
    # the second back (then the first waits out the barrier's timeout alone).
    barrier = threading.Barrier(2, timeout=3)
    applying = directory.apply_plan

    def in_step(plan):
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass
        applying(plan)

    monkeypatch.setattr(directory, "apply_plan", in_step)
    outcomes = {}

    def confirm(record):
        try:
            directory.apply_directory_import(record, by=None)
            outcomes[record.pk] = "applied"
        except Conflict as exc:
            outcomes[record.pk] = exc.message
        except Exception as exc:  # noqa: BLE001 - the failure the test looks for
            outcomes[record.pk] = repr(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm, args=(r,)) for r in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes.values(), key=len) == [
        "applied",
        "预览之后通讯录已有变动（他人修改或另一次导入），为免覆盖，请重新上传表格并核对。",
    ], outcomes
    assert Unit.objects.filter(name="区教育局").count() == 1
    assert sorted(DirectoryImport.objects.values_list("status", flat=True)) == [
        "applied",
        "preview",
    ]
