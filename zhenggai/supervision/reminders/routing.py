"""Who is reminded of an item: its owners, and as it grows late (or has no owner) the staff of
its lead section, its responsible leader and the unit's rectification office."""

from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model

from zhenggai.orgs.models import Membership, Role
from zhenggai.supervision.reminders.items import AS_LEADER, AS_OFFICE, AS_OWNER, AS_SECTION, Item


class Recipients:
    """The people who can be told, read once per run: every active user, the staff of each
    section, and the rectification offices of each unit."""

    def __init__(self):
        self.active = set(
            get_user_model().objects.filter(is_active=True).values_list("id", flat=True)
        )
        self.section_staff: dict[int, list[int]] = defaultdict(list)
        self.offices: dict[int, list[int]] = defaultdict(list)
        members = Membership.objects.filter(
            role__in=[Role.SECTION_STAFF, Role.RECTIFICATION_OFFICE], user__is_active=True
        ).values_list("role", "unit_id", "unit__kind", "unit__parent_id", "user_id")
        for role, unit_id, kind, parent_id, user_id in members:
            if role == Role.SECTION_STAFF:
                self.section_staff[unit_id].append(user_id)
            else:  # an office held on a section (often 办公室) serves the unit it belongs to
                self.offices[parent_id if kind == "section" else unit_id].append(user_id)

    def route(self, item: Item, owners, section, leader) -> list[tuple[list[int], str]]:
        """The owners always; the lead section and the leader as the item grows late; the
        section when nobody owns it; the rectification office when nobody else can be told.
        Returns who hears of it in which role, each person once (in their first role)."""
        told: set[int] = set()
        routed = []
        for users, role, when in self._candidates(item, owners, section, leader):
            fresh = [u for u in users if u not in told] if when else []
            told.update(fresh)
            if fresh:
                routed.append((fresh, role))
        return routed

    def _candidates(self, item: Item, owners, section, leader) -> list[tuple[list, str, bool]]:
        """Each role's people, and whether the item reaches them."""
        owners = [o for o in owners if o in self.active]
        staff = self.section_staff.get(section, []) if section else []
        return [
            (owners, AS_OWNER, True),
            (
                staff,
                AS_SECTION,
                not owners or item.late_by(settings.ESCALATE_SECTION_WORKDAYS),
            ),
            (
                [leader] if leader in self.active else [],
                AS_LEADER,
                item.late_by(settings.ESCALATE_LEADER_WORKDAYS),
            ),
            (self.offices.get(item.unit_id, []), AS_OFFICE, not owners and not staff),
        ]
