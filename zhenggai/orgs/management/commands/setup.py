import getpass
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhenggai.lib.errors import Refused
from zhenggai.orgs.first_run import create_first_admin


class Command(BaseCommand):
    help = (
        "First run: create the first inspection office and its administrator (a superuser with "
        "the 巡察办 role on it). Refuses when any user exists."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--office", required=True, help="the inspection office, e.g. 区委巡察办"
        )
        parser.add_argument("--admin", required=True, help="the administrator's login")
        parser.add_argument("--name", default="", help="the administrator's 姓名")
        parser.add_argument(
            "--password-file", help="read the password from this file (else it is prompted for)"
        )

    def handle(self, *args, office, admin, name, password_file=None, **options):
        try:
            user, unit = create_first_admin(
                office=office, username=admin, name=name, password=self._password(password_file)
            )
        except Refused as exc:
            raise CommandError(exc.reason) from None
        self.stdout.write(
            f"Created inspection office {unit.name} and administrator {user.username}."
        )

    def _password(self, path: str | None) -> str:
        if path:
            try:
                return Path(path).read_text().rstrip("\r\n")
            except OSError as exc:
                raise CommandError(f"cannot read {path}: {exc}") from None
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("the passwords do not match")
        return first
