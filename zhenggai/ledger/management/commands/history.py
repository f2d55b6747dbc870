from django.core.management.base import BaseCommand, CommandError

from zhenggai.ledger.history_chain import UnitChain, parse_expected, verify
from zhenggai.orgs.models import Unit

HELP = (
    "Check the history's hash chains: `history verify` walks each unit's history rows in order "
    "and prints, per unit, OK with the number of rows and the head (UNIT:SEQ:HASH), or the first "
    "broken link (a row changed, missing or slipped in, or a head that does not match); it exits "
    "1 when a chain is broken. Tamper-evident, not tamper-proof: whoever can write to the "
    "database can recompute every hash, so keep the printed heads outside it (with the backups, "
    "on paper) and check them later with --expect UNIT:SEQ:HASH."
)


def expected_head(text: str) -> tuple[int, int, str]:
    try:
        return parse_expected(text)
    except ValueError as exc:
        raise CommandError(f"--expect {exc}") from None


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        check = actions.add_parser("verify", help="verify the hash chains", description=HELP)
        check.add_argument("--unit", type=int, help="only this unit (its id)")
        check.add_argument(
            "--expect",
            action="append",
            default=[],
            metavar="UNIT:SEQ:HASH",
            help="a head printed earlier: the unit's row at SEQ must still carry HASH "
            "(may be given several times)",
        )

    def handle(self, *args, action, unit=None, expect=(), **options):
        expected = [expected_head(text) for text in expect]
        chains = verify(unit, expected)
        if unit is not None and not chains:
            self.stdout.write(f"unit {unit}: no history")
            return
        names = dict(
            Unit.objects.filter(pk__in=[c.unit_id for c in chains]).values_list("pk", "name")
        )
        for chain in chains:
            self.stdout.write(self._line(chain, names.get(chain.unit_id, "?")))
        broken = [c for c in chains if not c.ok]
        rows = sum(c.count for c in chains)
        if broken:
            raise CommandError(
                f"history chain broken in {len(broken)} of {len(chains)} units "
                f"({', '.join(str(c.unit_id) for c in broken)})"
            )
        self.stdout.write(f"all {len(chains)} chains OK, {rows} rows")

    def _line(self, chain: UnitChain, name: str) -> str:
        if chain.ok:
            return f"unit {chain.unit_id} {name}: OK, {chain.count} rows, head {chain.recorded}"
        b = chain.broken
        where = [
            f"seq {b.seq}" if b.seq is not None else "",
            f"event {b.event_id}" if b.event_id else "",
        ]
        if b.at is not None:
            where.append(f"at {b.at.isoformat()}")
        place = ", ".join(w for w in where if w)
        return (
            f"unit {chain.unit_id} {name}: BROKEN after {chain.count} good rows"
            f"{f' at {place}' if place else ''}: {b.kind}: {b.detail}"
        )
