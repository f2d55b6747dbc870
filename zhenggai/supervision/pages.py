"""What the supervision pages show, built in a fixed number of queries."""

from collections import defaultdict
from datetime import timedelta

from django.core.paginator import Paginator
from django.db.models import Case, Count, Exists, IntegerField, Max, OuterRef, Q, Value, When
from django.utils import timezone

from zhenggai.orgs.access import scope_for
from zhenggai.orgs.models import Role
from zhenggai.supervision import services
from zhenggai.supervision.models import (
    Channel,
    Escalation,
    EscalationAttachment,
    Notification,
    NotificationPart,
)

OFFICE_ROLES = (Role.INSPECTION_OFFICE, Role.RECTIFICATION_OFFICE)
PAGE_SIZE = 50
STATUS_ORDER = Case(
    *(When(status=s, then=Value(n)) for n, s in enumerate(Escalation.Status)),
    output_field=IntegerField(),
)


def escalations_for_problem(problem, user) -> list[Escalation]:
    """A problem's orders, each marked with what `user` may do with it and given its answer's
    files (`files`)."""
    escalations = list(
        problem.escalations.select_related(
            "measure", "measure__owner", "issued_by", "answered_by", "decided_by", "office"
        )
        .annotate(has_files=Exists(EscalationAttachment.objects.filter(escalation=OuterRef("pk"))))
        .order_by("-issued_at", "-id")
    )
    files = defaultdict(list)  # read only when some answer has files: no query otherwise
    with_files = [e.pk for e in escalations if e.has_files]
    if with_files:
        for item in EscalationAttachment.objects.filter(escalation_id__in=with_files):
            files[item.escalation_id].append(item)
    for escalation in escalations:
        escalation.files = files[escalation.pk]
        escalation.problem = problem
        escalation.may_answer = services.may_answer(user, escalation)
        escalation.may_decide = services.may_decide(user, escalation)
    return escalations


def label_order_events(events, escalations: list[Escalation]) -> None:
    """Word the history lines about a problem's orders by the order's kind and name the order
    with its office and number (`order`, `order_label`): the stored actions are the same for a
    督办单 and a 催办单. `escalations` are the problem's orders, already read for the page."""
    by_pk = {e.pk: e for e in escalations}
    kind = Escalation._meta.model_name
    for event in events:
        order = by_pk.get(event.object_id) if event.object_type == kind else None
        event.order = order
        event.order_label = order.history_label(event.action) if order else ""


def escalations_awaiting(user) -> dict:
    """Orders waiting for `user`: to answer (as owner or rectification office) and to close
    (issued by them, or as the inspection office)."""
    scope = scope_for(user)
    office_units = scope.units_with(Role.RECTIFICATION_OFFICE)
    inspected = scope.units_with(*services.OVERSEERS)
    orders = (
        Escalation.objects.visible_to(user)
        .select_related("problem", "problem__unit", "office")
        .order_by("due_on")
    )
    to_answer = orders.filter(status=Escalation.Status.OPEN).exclude(issued_by=user)
    to_answer = to_answer.filter(
        Q(measure__owner=user)
        | Q(measure__isnull=True, problem__measures__owner=user, problem__measures__withdrawn=False)
        | Q(problem__unit_id__in=office_units)
    ).distinct()
    to_decide = (
        orders.filter(status=Escalation.Status.ANSWERED)
        .filter(Q(issued_by=user) | Q(problem__unit_id__in=inspected))
        .exclude(answered_by=user)
    )
    return {"orders_to_answer": list(to_answer[:50]), "orders_to_decide": list(to_decide[:50])}


def escalation_page(user, params) -> dict:
    """督办事项: the orders in scope, narrowed by kind (督办单/催办单) and status; the status
    tabs count the orders of the chosen kind. Open orders first, then answered, then closed,
    each newest first (numbers run per office, so the list is in the order they were issued)."""
    status, kind = params.get("status", ""), params.get("kind", "")
    orders = (
        Escalation.objects.visible_to(user)
        .select_related("problem", "problem__unit", "measure", "issued_by", "office")
        .order_by(STATUS_ORDER, "-issued_at", "-id")
    )
    if kind in Escalation.Kind.values:
        orders = orders.filter(kind=kind)
    else:
        kind = ""
    counts = dict(orders.order_by().values_list("status").annotate(n=Count("id")))
    if status in Escalation.Status.values:
        orders = orders.filter(status=status)
    page = Paginator(orders, PAGE_SIZE).get_page(params.get("page"))
    return {
        "page": page,
        "status": status,
        "kind": kind,
        "kinds": Escalation.Kind.choices,
        "statuses": [(s.value, s.label, counts.get(s.value, 0)) for s in Escalation.Status],
        "today": timezone.localdate(),
    }


def office_unit_ids(user) -> list[int] | None:
    """Units whose reminders `user` may read: where they are the inspection office or the
    rectification office (None: every unit, for an administrator)."""
    scope = scope_for(user)
    if scope.is_admin:
        return None
    return scope.units_with(*OFFICE_ROLES)


def notifications_visible_to(user):
    """One's own e-mails, and every message about a unit one keeps as an office (an e-mail
    covering several units is listed for each of their offices, who read only their own part:
    `shown_to`)."""
    units = office_unit_ids(user)
    rows = Notification.objects.all()
    if units is not None:
        about_theirs = NotificationPart.objects.filter(
            notification=OuterRef("pk"), unit_id__in=units
        )
        rows = rows.filter(Q(recipient=user) | Q(unit_id__in=units) | Q(Exists(about_theirs)))
    return rows


def shown_to(user, notifications: list[Notification]) -> None:
    """Set `shown_subject` and `shown_body` on each notification: all of it for its recipient,
    an administrator, and the offices of the one unit it concerns; of a message about several
    units, for anyone else, only the sections of the units they keep as an office (one query
    for the page), so no unit's problem titles reach another unit's office."""
    units = office_unit_ids(user)
    partial = [
        n
        for n in notifications
        if units is not None and n.recipient_id != user.pk and n.unit_id not in units
    ]
    parts = defaultdict(list)
    if partial:
        for part in NotificationPart.objects.filter(
            notification_id__in=[n.pk for n in partial]
        ).order_by("notification_id", "id"):
            parts[part.notification_id].append(part)
    for n in notifications:
        n.shown_subject, n.shown_body, n.partial = n.subject, n.body, False
    for n in partial:
        own = [p for p in parts[n.pk] if p.unit_id in units]
        if len(own) == len(parts[n.pk]):  # every unit it concerns is one of the viewer's
            continue
        n.partial = True
        count = sum(p.items for p in own)
        n.shown_subject = f"您所管单位的事项{count}项（此消息另含其他单位的事项，不在此显示）"
        n.shown_body = "\n\n".join(p.text for p in own if p.text)


def channel_health(user) -> list[dict]:
    """Each group robot the user's offices own, with its last outcome and recent failures."""
    units = office_unit_ids(user)
    channels = Channel.objects.select_related("unit").order_by("unit__name", "name")
    if units is not None:
        channels = channels.filter(unit_id__in=units)
    week = timezone.now() - timedelta(days=7)
    failing = (Notification.Status.FAILED, Notification.Status.RETRYING)
    channels = channels.annotate(
        last_sent=Max("notifications__sent_at"),
        failures=Count(
            "notifications",
            filter=Q(notifications__status__in=failing) & Q(notifications__created_at__gte=week),
        ),
    )
    return list(channels)


def notification_page(user, params) -> dict:
    rows = notifications_visible_to(user).select_related("recipient", "run", "channel", "unit")
    status = params.get("status", "")
    problems = (
        Notification.Status.FAILED,
        Notification.Status.RETRYING,
        Notification.Status.UNKNOWN,
    )
    counts = dict(rows.order_by().values_list("status").annotate(n=Count("id")))
    if status == "problems":
        rows = rows.filter(status__in=problems)
    elif status in Notification.Status.values:
        rows = rows.filter(status=status)
    page = Paginator(rows.order_by("-created_at", "-id"), PAGE_SIZE).get_page(params.get("page"))
    page.object_list = list(page.object_list)
    shown_to(user, page.object_list)
    scope = scope_for(user)
    return {
        "page": page,
        "status": status,
        "statuses": [(s.value, s.label, counts.get(s.value, 0)) for s in Notification.Status],
        "problem_count": sum(counts.get(s, 0) for s in problems),
        "channels": channel_health(user),
        "is_office": scope.is_admin
        or any(scope.has_role(u, *OFFICE_ROLES) for u in scope.unit_ids),
    }
