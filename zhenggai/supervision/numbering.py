"""Numbers of supervision and reminder orders: 〔2026〕第12号, per issuing office, kind and year,
with no gap and no repeat however many are issued at once.

The number is taken inside the transaction that creates the order, by incrementing the
counter's row with one UPDATE: on PostgreSQL the row lock makes a second issuer wait for the
first to commit; on SQLite (transactions begin IMMEDIATE, see settings) the write lock does the
same. A transaction that rolls back gives its number back with it, so numbers have no gaps.
"""

from django.db import IntegrityError, transaction
from django.db.models import F

from zhenggai.ledger.models import Problem
from zhenggai.orgs.models import Membership, Unit
from zhenggai.supervision.models import OrderCounter
from zhenggai.supervision.models.escalations import OFFICE_ROLES  # numbered as their office


def issuing_office(user, problem: Problem, issued_as: str) -> Unit:
    """The office whose number an order of `user`, acting as `issued_as`, carries: for the
    inspection or evaluation office, the nearest unit above the problem's where the user holds
    that role; for the unit's rectification office (and the system), the unit itself."""
    if issued_as not in OFFICE_ROLES or user is None:
        return problem.unit
    path = problem.unit.path
    held = (
        Membership.objects.filter(user=user, role=issued_as)
        .select_related("unit")
        .order_by("-unit__path")
    )
    for membership in held:
        if path.startswith(membership.unit.path):
            return membership.unit
    return problem.unit  # an administrator acting as the office: the unit's own number


def next_serial(office: Unit, kind: str, year: int) -> int:
    """Take the next number of `office`'s orders of `kind` in `year`; call it inside the
    transaction that saves the order (an error says so, rather than risk a gap)."""
    return next_serials(office, kind, year, 1)[0]


def next_serials(office: Unit, kind: str, year: int, count: int) -> range:
    """Take the next `count` numbers at once (the reminder run's 催办单 of one office), in one
    UPDATE of the counter: the same lock, the same no-gap promise as one at a time."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_serials must run inside the orders' transaction")
    if count < 1:
        raise ValueError(f"cannot take {count} numbers")
    counters = OrderCounter.objects.filter(office=office, kind=kind, year=year)
    if not counters.update(last=F("last") + count):
        try:
            with transaction.atomic():  # a savepoint: losing the race to create is not fatal
                OrderCounter.objects.create(office=office, kind=kind, year=year, last=count)
                return range(1, count + 1)
        except IntegrityError:
            counters.update(last=F("last") + count)
    last = counters.values_list("last", flat=True).get()
    return range(last - count + 1, last + 1)
