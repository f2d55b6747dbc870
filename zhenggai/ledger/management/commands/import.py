import hashlib
import json
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from zhenggai.intake import IntakeError, parse_file
from zhenggai.ledger.imports import import_document, round_kind
from zhenggai.lib.errors import Refused
from zhenggai.orgs.models import Unit
from zhenggai.orgs.services import create_unit
from zhenggai.rounds.models import InspectionRound, RoundDocument


class Command(BaseCommand):
    help = (
        "Parse a document and import its problems into a round of a unit, atomically "
        "(the unit is created if missing; a new round unless --round)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--unit", required=True, help="the inspected unit's name")
        parser.add_argument("--round", type=int, help="import into this round of the unit")
        parser.add_argument(
            "--office",
            help="a unit not yet known is created under this inspection office (by name)",
        )
        parser.add_argument("--force", action="store_true", help="import a file imported before")
        parser.add_argument(
            "--json", action="store_true", help='print {"round": ID, "problems": N}'
        )

    def handle(
        self, *args, file, unit, round=None, office=None, force=False, json=False, **options
    ):
        try:
            document = parse_file(file)
        except IntakeError as exc:
            raise CommandError(str(exc)) from None
        try:
            with transaction.atomic():
                if round is None and not force:
                    self._refuse_a_second_round(file, unit)
                target = self._round(document, unit, round, office)
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
            self.stderr.write(f"warning: {warning.message}")

    def _round(self, document, unit_name: str, round_id, office_name) -> InspectionRound:
        unit = Unit.objects.filter(name=unit_name, kind=Unit.Kind.UNIT).first()
        if round_id is not None:
            found = InspectionRound.objects.filter(pk=round_id).first()
            if found is None or unit is None or found.unit_id != unit.pk:
                raise CommandError(f"round {round_id} is not a round of unit {unit_name!r}")
            return found
        unit = unit or self._new_unit(unit_name, office_name)
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

    def _refuse_a_second_round(self, file: str, unit_name: str) -> None:
        """The same file again, without --round, would make a second round of the same
        problems: refused unless --force."""
        digest = hashlib.sha256(Path(file).read_bytes()).hexdigest()
        earlier = RoundDocument.objects.filter(
            sha256=digest, round__unit__name=unit_name, round__unit__kind=Unit.Kind.UNIT
        ).first()
        if earlier is not None:
            raise CommandError(
                f"{Path(file).name} was imported into round {earlier.round_id} of this unit "
                f"already; add --round {earlier.round_id} --force to import it there again, "
                "or --force for a new round"
            )

    def _new_unit(self, unit_name: str, office_name: str | None) -> Unit:
        """A unit not yet known is created only under a named inspection office: a mistyped
        name must not make a unit that no office oversees and nobody can see."""
        if not office_name:
            known = Unit.objects.filter(kind=Unit.Kind.UNIT).order_by("name")
            names = "、".join(known.values_list("name", flat=True)[:20]) or "none yet"
            raise CommandError(
                f"no unit named {unit_name!r} (units: {names}); to create it, "
                "give --office with the name of the inspection office it answers to"
            )
        office = Unit.objects.filter(name=office_name, kind=Unit.Kind.OFFICE).first()
        if office is None:
            raise CommandError(f"no inspection office named {office_name!r}")
        return create_unit(unit_name, Unit.Kind.UNIT, office)


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)
