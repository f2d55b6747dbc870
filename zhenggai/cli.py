"""The `zhenggai` console script: every Django management command, with the project's settings."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["parse"]:
        # The importer needs no Django: parsing answers fast, on any machine.
        from zhenggai.intake.cli import main as parse

        sys.exit(parse(args[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenggai.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["zhenggai", *args])


if __name__ == "__main__":
    main()
