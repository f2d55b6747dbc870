import json
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from zhenggai.intake import IntakeError, parse_file
from zhenggai.ledger.errors import Refused
from zhenggai.ledger.imports import import_document, round_kind
from zhenggai.orgs.models import Unit
from zhenggai.orgs.services import create_unit
from zhenggai.rounds.models import InspectionRound


class Command(BaseCommand):
    help = (
        "Parse a document and import its problems into a round of a unit, atomically "
        "(the unit is created if missing; a new round unless --round)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--unit", required=True, help="the inspected unit's name")
        parser.add_argument("--round", type=int, help="import into this round of the unit")
        parser.add_argument("--force", action="store_true", help="import a file imported before")
        parser.add_argument(
            "--json", action="store_true", help='print {"round": ID, "problems": N}'
        )

    def handle(self, *args, file, unit, round=None, force=False, json=False, **options):
        try:
            document = parse_file(file)
        except IntakeError as exc:
            raise CommandError(str(exc)) from None
        try:
            with transaction.atomic():
                target = self._round(document, unit, round)
                with open(file, "rb") as handle:
                    result = import_document(
                        document,
                        target,
                        by=None,
                        force=force,
                        upload=File(handle, name=Path(file).name),
                    )
        except Refused as exc:
            raise CommandError(exc.reason) from None
        if json:
            self.stdout.write(dumps({"round": target.pk, "problems": len(result.problems)}))
        else:
            self.stdout.write(
                f"Imported {len(result.problems)} problems into round {target.pk} ({target.title})."
            )
        for warning in document.warnings:
            self.stderr.write(f"warning: {warning}")

    def _round(self, document, unit_name: str, round_id: int | None) -> InspectionRound:
        unit = Unit.objects.filter(name=unit_name, kind=Unit.Kind.UNIT).first()
        if round_id is not None:
            found = InspectionRound.objects.filter(pk=round_id).first()
            if found is None or unit is None or found.unit_id != unit.pk:
                raise CommandError(f"round {round_id} is not a round of unit {unit_name!r}")
            return found
        unit = unit or create_unit(unit_name, Unit.Kind.UNIT)
        kind = round_kind(document)
        dates = document.dates
        return InspectionRound.objects.create(
            kind=kind,
            title=(document.title or f"{unit.name}{InspectionRound.Kind(kind).label}整改")[:300],
            inspecting_body="（导入，未注明）",
            unit=unit,
            period_start=dates.get("inspection_start"),
            period_end=dates.get("inspection_end"),
            feedback_date=dates.get("feedback"),
        )


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)
