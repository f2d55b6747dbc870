from datetime import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils import timezone

from zhenggai.lib.backup import BackupError, restore_backup, verify_archive
from zhenggai.ops.management.commands.backup import megabytes
from zhenggai.rounds.models import InspectionRound


def in_use_tables() -> dict[str, str]:
    """The tables whose rows mean the installation is in use (and must not be overwritten)."""
    return {
        get_user_model()._meta.db_table: "users",
        InspectionRound._meta.db_table: "rounds",
    }


class Command(BaseCommand):
    help = (
        "Restore an archive of `zhenggai backup` into an empty installation (no user and no "
        "round yet, an empty storage). Every checksum is verified before anything is written. "
        "Stop the web server and the worker first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument(
            "--verify-only",
            action="store_true",
            help="check the archive's checksums and write nothing",
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, archive, verify_only, database, **options):
        try:
            if verify_only:
                return self.verify(Path(archive))
            restored = restore_backup(
                Path(archive),
                connection=connections[database],
                storage=default_storage,
                in_use=in_use_tables(),
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        made = restored.manifest
        self.stdout.write(
            f"Restored {archive} (made {_local(made['created_at'])} by Zhenggai "
            f"{made['zhenggai_version']}): the {made['vendor']} database "
            f"({megabytes(restored.database_bytes)}) and {restored.files} files "
            f"({megabytes(restored.file_bytes)}) in {restored.seconds:.1f} s."
        )
        if restored.pending_migrations:
            self.stdout.write(
                f"This version has {len(restored.pending_migrations)} migrations the archive's "
                "database has not: run `zhenggai migrate` now."
            )
        self.stdout.write("Start the web server and the worker again.")

    def verify(self, archive: Path) -> None:
        manifest = verify_archive(archive)
        self.stdout.write(
            f"{archive} is whole: the {manifest['vendor']} database and "
            f"{len(manifest['files'])} files match their checksums (made "
            f"{_local(manifest['created_at'])} by Zhenggai {manifest['zhenggai_version']})."
        )


def _local(moment: str) -> str:
    """The archive's time (ISO 8601, UTC) in the installation's time zone, as "2026-12-03 04:27"."""
    try:
        return f"{timezone.localtime(datetime.fromisoformat(moment)):%Y-%m-%d %H:%M %Z}"
    except (TypeError, ValueError):
        return str(moment)
