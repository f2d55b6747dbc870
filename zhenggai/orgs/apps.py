from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


def _create_cache_table(sender, using, **kwargs):
    # The login rate limit's cache lives in the database; `migrate` alone must make it ready.
    call_command("createcachetable", database=using, verbosity=0)


class OrgsConfig(AppConfig):
    name = "zhenggai.orgs"
    label = "orgs"
    verbose_name = "组织与人员"

    def ready(self):
        post_migrate.connect(_create_cache_table, sender=self)
