from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from zhenggai.lib.errors import Refused
from zhenggai.orgs import directory
from zhenggai.orgs.directory_sheet import write_export, write_workbook

SUMMARY = [
    ("units_create", "units to create"),
    ("units_change", "units to change"),
    ("sections_create", "sections to create"),
    ("people_create", "people to create"),
    ("people_change", "people to change"),
    ("people_reactivate", "people to reactivate"),
    ("people_deactivate", "people to deactivate"),
    ("roles_grant", "roles to grant"),
    ("roles_change", "titles to change"),
    ("roles_revoke", "roles to revoke"),
]


class Command(BaseCommand):
    help = (
        "The directory (通讯录): import a workbook of units, sections, people and roles "
        "(previewed, then applied in one transaction unless --dry-run), export the current "
        "directory in the same shape, or write the empty template. A sheet with errors is not "
        'imported: each is printed as "sheet <name>, row <n>: <message>", the sheet\'s name '
        "and the message being the sheet checker's, in Chinese (as the web page shows them)."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        importing = actions.add_parser("import", help="import a directory workbook")
        importing.add_argument("file")
        importing.add_argument(
            "--dry-run",
            action="store_true",
            help="print the plan (or every error of every row), change nothing",
        )
        for name, what in (("export", "the current directory"), ("template", "the template")):
            writing = actions.add_parser(name, help=f"write {what} as .xlsx")
            writing.add_argument("-o", "--output", required=True)

    def handle(self, *args, action, **options):
        if action == "import":
            return self._import(options["file"], options["dry_run"])
        writer = write_export if action == "export" else write_workbook
        with open(options["output"], "wb") as target:
            writer(target)
        self.stdout.write(f"Wrote {options['output']}.")

    def _import(self, path: str, dry_run: bool) -> None:
        try:
            with open(path, "rb") as handle:
                upload = File(handle, name=Path(path).name)
                upload.size = Path(path).stat().st_size
                plan = directory.plan_directory(directory.read_upload(upload))
                # The command line keeps a record of what it applies only.
                record = (
                    None
                    if plan["errors"] or dry_run
                    else directory.keep_preview(upload, plan, by=None)
                )
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc}") from None
        except Refused as exc:
            raise CommandError(exc.reason) from None
        if plan["errors"]:
            for error in plan["errors"]:
                self.stderr.write(
                    f"sheet {error['sheet']}, row {error['line']}: {error['message']}"
                )
            raise CommandError(f"{len(plan['errors'])} errors in {path}; nothing imported")
        counts = plan["counts"]
        for key, label in SUMMARY:
            self.stdout.write(f"{label}: {counts[key]}")
        if not counts["total"]:
            self.stdout.write("No changes: the directory already matches the sheet.")
        if dry_run:
            self.stdout.write("Dry run: nothing changed.")
            return
        if not counts["total"]:
            return
        try:
            directory.apply_directory_import(record, by=None)
        except Refused as exc:
            raise CommandError(exc.reason) from None
        self.stdout.write(f"Applied ({counts['total']} changes), import record {record.pk}.")
