"""`make bench`: one day's reminder run over the 100,000-problem bench ledger.

The bench ledger (bench/seed.py) is copied to bench/data/reminders/ and given people: a
rectification office in each unit, one staff member per section who owns that section's
measures, and e-mail addresses. Then the day's run is timed (planning the digests and sending
them through Django's in-memory mail backend, so the figure is the system's own work, not an SMTP
server's), and timed again to show that a second start sends nothing. Figures go to
bench/results.json under "reminders".
"""

import json
import os
import resource
import shutil
import sys
import time
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
SIZE = 100_000


def prepare() -> None:
    """Seed the bench ledger (in its own directory) if needed."""
    os.environ.update(ZHENGGAI_DATA_DIR=str(DATA / str(SIZE)))
    import django

    django.setup()
    sys.path.insert(0, str(HERE))
    from seed import ensure_seeded

    ensure_seeded(SIZE, DATA / str(SIZE))


def add_people() -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from zhenggai.orgs.models import Membership, Role, Unit

    User = get_user_model()
    with transaction.atomic():
        units = list(Unit.objects.filter(kind=Unit.Kind.UNIT).values_list("id", flat=True))
        sections = list(Unit.objects.filter(kind=Unit.Kind.SECTION).values_list("id", "parent_id"))
        users = [User(username=f"zgb{u}", email=f"zgb{u}@bench.cn") for u in units]
        users += [User(username=f"ks{s}", email=f"ks{s}@bench.cn") for s, _ in sections]
        User.objects.bulk_create(users, batch_size=2000)
        ids = dict(User.objects.filter(email__endswith="@bench.cn").values_list("username", "id"))
        memberships = [
            Membership(user_id=ids[f"zgb{u}"], unit_id=u, role=Role.RECTIFICATION_OFFICE)
            for u in units
        ] + [
            Membership(user_id=ids[f"ks{s}"], unit_id=s, role=Role.SECTION_STAFF)
            for s, _ in sections
        ]
        Membership.objects.bulk_create(memberships, batch_size=2000)
        with connection.cursor() as cursor:
            # Each measure is owned by the staff member of its lead section.
            cursor.execute(
                """UPDATE ledger_measure SET owner_id = (
                       SELECT m.user_id FROM orgs_membership m
                       WHERE m.unit_id = ledger_measure.lead_section_id AND m.role = %s)""",
                [Role.SECTION_STAFF],
            )
            cursor.execute("ANALYZE")
    return {"people": len(users)}


def run() -> dict:
    from django.conf import settings
    from django.core import mail
    from django.db.models import Q
    from django.utils import timezone

    from zhenggai.ledger.models import Measure, State
    from zhenggai.supervision.deadlines import official_calendar
    from zhenggai.supervision.models import Notification
    from zhenggai.supervision.reminders import run_reminders

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.EMAIL_ENABLED = True
    mail.outbox = []
    open_measures = Measure.objects.filter(
        Q(problem__state__in=[State.PLAN_PENDING, State.IN_PROGRESS, State.SUBMITTED]),
        withdrawn=False,
        completed_on__isnull=True,
    ).count()
    # A working day, so that nobody's default quiet rest days hold the run back.
    day = timezone.localdate()
    calendar = official_calendar()
    while not calendar.is_workday(day):
        day += timedelta(days=1)
    # Timed without tracemalloc (which slows every allocation several times); the peak is the
    # growth of the process's resident set over the run.
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    result = run_reminders(day)
    first = time.perf_counter() - started
    peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024
    sent = len(mail.outbox)
    started = time.perf_counter()
    again = run_reminders(day)
    second = time.perf_counter() - started
    return {
        "open_measures": open_measures,
        "items": result["items"],
        "notifications": Notification.objects.count(),
        "sent": sent,
        "run_seconds": round(first, 2),
        "rss_growth_mb": round(peak / 2**20, 1),
        "second_run_seconds": round(second, 2),
        "second_run_sent": len(mail.outbox) - sent,
        "second_run_result": again,
    }


def main() -> None:
    if sys.argv[1:] == ["--child"]:
        prepare()
        from django.db import connections

        connections.close_all()
        target = DATA / "reminders"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(DATA / str(SIZE), target)
        os.environ["ZHENGGAI_DATA_DIR"] = str(target)
        os.execv(sys.executable, [sys.executable, __file__, "--measure"])
    if sys.argv[1:] == ["--measure"]:
        import django

        django.setup()
        info = add_people()
        figures = {**info, **run()}
        print(json.dumps(figures, ensure_ascii=False))
        return
    import subprocess

    env = dict(os.environ, ZHENGGAI_DEMO="true", PYTHONPATH=str(ROOT))
    env.pop("DATABASE_URL", None)
    env["DJANGO_SETTINGS_MODULE"] = "zhenggai.settings"
    output = subprocess.run(
        [sys.executable, __file__, "--child"], env=env, check=True, capture_output=True, text=True
    ).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    results_file = HERE / "results.json"
    results = json.loads(results_file.read_text()) if results_file.exists() else {}
    results["reminders"] = figures
    results_file.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    print(
        f"reminder run over {figures['open_measures']:,} open measures: "
        f"{figures['run_seconds']} s, {figures['items']:,} items, {figures['sent']:,} digests, "
        f"resident set +{figures['rss_growth_mb']} MB; second start {figures['second_run_seconds']} s, "
        f"{figures['second_run_sent']} sent"
    )


if __name__ == "__main__":
    main()
