from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from zhenggai.lib.backup import BackupError, write_backup


def megabytes(size: int) -> str:
    return f"{size / 2**20:,.1f} MB"


class Command(BaseCommand):
    help = (
        "Write the database and every stored file into one archive with a manifest of "
        "checksums: -o FILE.tar (or FILE.tar.gz, compressed: slower, and evidence files are "
        "compressed already). Safe while the application runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, help="the archive to write")
        parser.add_argument("--database", default="default")

    def handle(self, *args, output, database, **options):
        try:
            written = write_backup(
                Path(output), connection=connections[database], storage=default_storage
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Wrote {written.path}: the {written.vendor} database "
            f"({megabytes(written.database_bytes)}) and {written.files} files "
            f"({megabytes(written.file_bytes)}), {megabytes(written.archive_bytes)} in "
            f"{written.seconds:.1f} s."
        )
        if written.vanished:
            self.stdout.write(
                f"{len(written.vanished)} files were deleted while the backup ran and are not "
                f"in it (first: {written.vanished[0]})."
            )
