"""Whom a person should ask when the system refuses them (the 403 page), by the roles they hold:
the 整改办 runs the rectification for its unit, so everyone else of the unit is sent to it; the
整改办 itself is sent to those who decide what it may not (the unit's leader, who approves, and
the inspection office, which verifies); the inspecting side to the inspection office or the
system administrator."""

from django.contrib.auth import get_user_model

from zhenggai.lib.names import person_name
from zhenggai.orgs.access import scope_for
from zhenggai.orgs.models import Role, Unit

# At most this many people are named in one place.
NAMED = 3

ANONYMOUS = "请先登录；如需办理，请联系本单位整改办。"
NO_ROLE = "您还没有任何角色，请联系系统管理员为您开通。"
ADMIN = "此操作须由具有相应角色的人员办理，请在系统管理的“角色”中为其开通。"


def _names(unit_ids, role: str) -> str:
    """Who holds `role` on these units (the person's own, usually one), as "（王主任、赵科员）"
    ("等" after the first few), or "" for no one."""
    people = (
        get_user_model()
        .objects.filter(memberships__unit_id__in=unit_ids, memberships__role=role, is_active=True)
        .distinct()
        .order_by("username")
    )
    names = [person_name(user) for user in people[: NAMED + 1]]
    if not names:
        return ""
    shown = "、".join(names[:NAMED]) + ("等" if len(names) > NAMED else "")
    return f"（{shown}）"


def _offices_above(unit_ids) -> list[int]:
    paths = Unit.objects.filter(pk__in=unit_ids).values_list("path", flat=True)
    above = {pk for path in paths for pk in path.strip("/").split("/") if pk}
    return list(
        Unit.objects.filter(pk__in=above, kind=Unit.Kind.OFFICE).values_list("pk", flat=True)
    )


def _units_of_sections(unit_ids) -> list[int]:
    """The units these sections belong to, and their sections (an office kept by 办公室)."""
    parents = list(
        Unit.objects.filter(pk__in=unit_ids, kind=Unit.Kind.SECTION).values_list(
            "parent_id", flat=True
        )
    )
    siblings = Unit.objects.filter(parent_id__in=parents, kind=Unit.Kind.SECTION)
    return parents + list(siblings.values_list("pk", flat=True))


def whom_to_ask(user) -> str:
    """One sentence for the 403 page: whom this person should contact to have it done."""
    if not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    scope = scope_for(user)
    if scope.is_admin:
        return ADMIN
    own = sorted(scope.direct_unit_ids)  # the units they belong to (not the ones they inspect)
    roles = set().union(*(scope.roles[u] for u in own)) if own else set()
    if Role.RECTIFICATION_OFFICE in roles:
        leaders = _names(own, Role.LEADER)
        inspectors = _names(_offices_above(own), Role.INSPECTION_OFFICE)
        return (
            "审定整改方案、同意销号由本单位领导办理，核验销号、修改或撤销问题由巡察办办理。"
            f"如需办理，请联系本单位领导{leaders}或巡察办{inspectors}。"
        )
    if roles & {Role.LEADER, Role.SECTION_STAFF}:
        # Section staff belong to a section: their 整改办 is the unit's (or a section's, such as
        # 办公室), so the units above their sections count too.
        units = own + [u for u in _units_of_sections(own) if u not in own]
        return f"如需办理，请联系本单位整改办{_names(units, Role.RECTIFICATION_OFFICE)}。"
    held = scope.all_roles()
    if Role.INSPECTION_OFFICE in held:
        return "此操作须由被巡察单位办理，或不在您所在巡察机构的范围内；如需调整角色，请联系系统管理员。"
    if Role.DISCIPLINE in held:
        return "纪检监察组可查看台账、提出监督意见；如需办理其他事项，请联系巡察办。"
    return NO_ROLE
