"""`make bench`: `zhenggai backup` and `zhenggai restore` of the 100,000-problem bench database
with 1 GB of stored files (1,000 files of 1 MB, random bytes: like photos and PDFs they do not
compress), on SQLite, or on PostgreSQL when DATABASE_URL is set (scripts/with-postgres).

Each step runs in a child process of its own, as the command line runs it: its time, its peak
resident memory, and the peak of its own children (pg_dump, pg_restore). The backup is timed as a
plain .tar (the default) and as a .tar.gz, to show what compression costs. The restore goes into
a new installation (an empty data directory, or a new PostgreSQL database) and is checked there.

The SQLite database is the one bench/ledger.py seeds (bench/data/100000/), read only; the files
are kept in bench/data/backup/source/ for the next run; the archives and the restored
installation are removed at the end.
"""

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from ledger import DATA, RESULTS  # noqa: E402
from ledger import _env as ledger_env  # noqa: E402
from own_database import child_env, postgres_database  # noqa: E402

SIZE = 100_000
FILES = 1_000
FILE_BYTES = 2**20
WORK = DATA / "backup"
SOURCE = WORK / "source"  # the stored files (and, on PostgreSQL, the seed's marker)
RESTORED = WORK / "restored"
ARCHIVES = WORK / "archives"
PG_SOURCE, PG_RESTORED = "zhenggai_bench_backup", "zhenggai_bench_backup_restored"


def _peak_mb(who=resource.RUSAGE_SELF) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


def _source_env() -> dict:
    if os.environ.get("DATABASE_URL"):
        return child_env(SOURCE, PG_SOURCE)
    env = ledger_env(SIZE)
    env["ZHENGGAI_DATA_DIR"] = str(SOURCE)
    env["DATABASE_URL"] = f"sqlite:///{DATA / str(SIZE) / 'zhenggai.sqlite3'}"
    return env


def _restored_env() -> dict:
    env = ledger_env(SIZE)
    env["ZHENGGAI_DATA_DIR"] = str(RESTORED)
    url = os.environ.get("DATABASE_URL")
    if url:
        import psycopg

        admin = postgres_database(url, "postgres")
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{PG_RESTORED}" WITH (FORCE)')
        env["DATABASE_URL"] = postgres_database(url, PG_RESTORED)
    return env


def _setup() -> None:
    import django

    django.setup()


def seed() -> dict:
    """The 1 GB of files, through the storage (and on PostgreSQL the 100,000 problems), made
    once and reused."""
    _setup()
    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from seed import ensure_seeded

    info = {}
    if not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        info = ensure_seeded(SIZE, SOURCE / "seed")
    started = time.perf_counter()
    written = 0
    for n in range(FILES):
        name = f"evidence/bench/{n:04d}.bin"
        if not default_storage.exists(name) or default_storage.size(name) != FILE_BYTES:
            default_storage.delete(name)
            default_storage.save(name, ContentFile(os.urandom(FILE_BYTES)))
            written += 1
    return info | {"files_written": written, "files_seconds": round(time.perf_counter() - started)}


def seed_ledger() -> dict:
    _setup()
    from seed import ensure_seeded

    return ensure_seeded(SIZE, DATA / str(SIZE))


def _timed(*command: str) -> dict:
    import io

    from django.core.management import call_command

    out = io.StringIO()
    started = time.perf_counter()
    call_command(*command, stdout=out)
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "peak_rss_mb": _peak_mb(),
        "children_peak_rss_mb": _peak_mb(resource.RUSAGE_CHILDREN),
        "said": out.getvalue().strip().splitlines()[0],
    }


def backup(name: str) -> dict:
    _setup()
    archive = ARCHIVES / name
    figures = _timed("backup", "-o", str(archive))
    return figures | {"archive_mb": round(archive.stat().st_size / 2**20, 1)}


def restore() -> dict:
    _setup()
    from django.core.files.storage import default_storage

    from zhenggai.ledger.models import Problem
    from zhenggai.lib.backup import stored_files

    figures = _timed("restore", str(ARCHIVES / "backup.tar"))
    problems = Problem.objects.count()
    files = sum(1 for _ in stored_files(default_storage))
    assert problems >= SIZE and files >= FILES, (problems, files)
    return figures | {"problems": problems, "files": files}


CHILDREN = {"seed": seed, "seed_ledger": seed_ledger, "backup": backup, "restore": restore}


def _child(env: dict, *args: str) -> dict:
    run = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if run.returncode:
        sys.exit(run.stderr)
    return json.loads(run.stdout.strip().splitlines()[-1])


def main() -> None:
    if len(sys.argv) >= 3 and sys.argv[1] == "--child":
        print(json.dumps(CHILDREN[sys.argv[2]](*sys.argv[3:])))
        return
    vendor = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    print(f"backup and restore: {SIZE} problems ({vendor}) and {FILES} files of 1 MB")
    if vendor == "sqlite":  # the database of bench/ledger.py, seeded in its own directory
        print(f"  seeded: {_child(ledger_env(SIZE), 'seed_ledger')}")
    seeded = _child(_source_env(), "seed")
    print(f"  seeded: {seeded}")
    shutil.rmtree(ARCHIVES, ignore_errors=True)
    shutil.rmtree(RESTORED, ignore_errors=True)
    ARCHIVES.mkdir(parents=True)
    try:
        figures = {"vendor": vendor, "files": FILES, "file_mb": FILES * FILE_BYTES // 2**20}
        for key, env, args in (
            ("backup", _source_env(), ["backup", "backup.tar"]),
            ("backup_gzip", _source_env(), ["backup", "backup.tar.gz"]),
            ("restore", _restored_env(), ["restore"]),
        ):
            figures[key] = _child(env, *args)
            print(f"  {figures[key].pop('said')}\n    {key}: {figures[key]}")
    finally:
        shutil.rmtree(ARCHIVES, ignore_errors=True)
        shutil.rmtree(RESTORED, ignore_errors=True)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[f"backup_restore_100k_1gb_{vendor}"] = figures
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
