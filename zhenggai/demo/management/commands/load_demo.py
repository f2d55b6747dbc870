from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhenggai.demo import tracking as tracking_demo
from zhenggai.demo import two_factor as two_factor_demo
from zhenggai.demo.load import PASSWORD, USERS, load_demo
from zhenggai.orgs.models import Unit
from zhenggai.public import tracking

ROLE_NAMES = dict((u[0], u[2].label) for u in USERS) | {"admin": "系统管理员 (Django admin)"}


class Command(BaseCommand):
    help = "Load the demo (five seed documents as rounds, one user per role). Demo mode only."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (but print the logins) when data exists already",
        )
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args, if_empty=False, url="", **options):
        if not settings.DEMO:
            raise CommandError(
                "the demo loads only with ZHENGGAI_DEMO=true (it creates "
                "accounts with a published password)"
            )
        if Unit.objects.exists():
            if not if_empty:
                raise CommandError("the database is not empty; the demo loads only into a new one")
        else:
            result = load_demo()
            self.stdout.write(f"Loaded {len(result['rounds'])} demo rounds.")
        self.stdout.write(f"\n整改闭环 demo: {url}\nLogins (password: {PASSWORD}):")
        for username, role in ROLE_NAMES.items():
            self.stdout.write(f"  {username:<12} {role}")
        self.stdout.write(f"Published notices (no login): {url.rstrip('/')}/public/notices/")
        self.stdout.write(
            f"An answered public opinion: code {tracking.grouped(tracking_demo.CODE)} "
            f"at {url.rstrip('/')}/public/opinions/track/"
        )
        self.stdout.write(
            f"The directory (通讯录; admin): {url.rstrip('/')}/directory/ — "
            "`zhenggai history verify` checks the history's hash chain."
        )
        for line in two_factor_demo.describe():
            self.stdout.write(line)
