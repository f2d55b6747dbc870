"""What the public's side contributes to other pages: opinions still to be triaged."""

from django.db.models import Count

from zhenggai.public.models import Opinion


def opinions_waiting(unit_ids) -> list[dict]:
    """Rounds of these units whose published notice has opinions from the public not yet
    triaged, with how many."""
    return list(
        Opinion.objects.filter(notice__round__unit_id__in=unit_ids, status=Opinion.Status.NEW)
        .values("notice__round_id", "notice__round__title")
        .annotate(count=Count("id"))
        .order_by("notice__round_id")[:50]
    )


def new_opinions(round) -> int:
    return Opinion.objects.filter(notice__round=round, status=Opinion.Status.NEW).count()


def new_opinions_on(notice) -> int:
    if notice.pk is None:
        return 0
    return Opinion.objects.filter(notice=notice, status=Opinion.Status.NEW).count()
