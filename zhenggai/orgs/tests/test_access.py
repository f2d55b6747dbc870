"""Who sees which units: the one place access is decided."""

from zhenggai.ledger.models import Problem
from zhenggai.orgs.access import scope_for
from zhenggai.orgs.models import Role


def test_inspection_office_sees_the_units_below_it(world):
    scope = scope_for(world.inspector)
    assert scope.unit_ids == {world.unit.pk}
    assert scope.has_role(world.unit.pk, Role.INSPECTION_OFFICE)


def test_section_staff_see_their_units_ledger_and_know_their_section(world):
    scope = scope_for(world.staff)
    assert scope.unit_ids == {world.unit.pk}
    assert scope.section_ids(world.unit.pk) == {world.section.pk}
    assert not scope.has_role(world.unit.pk, Role.LEADER)


def test_an_outsider_sees_only_their_own_unit(world):
    world.problem()
    world.problem(round=world.outside_round)
    assert scope_for(world.outsider).unit_ids == {world.outside_unit.pk}
    visible = Problem.objects.visible_to(world.outsider)
    assert {p.unit_id for p in visible} == {world.outside_unit.pk}


def test_admins_see_everything_and_the_anonymous_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    world.problem()
    assert Problem.objects.visible_to(world.admin).count() == 1
    assert Problem.objects.visible_to(AnonymousUser()).count() == 0


def test_an_inactive_user_sees_nothing(world):
    world.problem()
    world.leader.is_active = False
    world.leader.save()
    world.leader.__dict__.pop("_zhenggai_scope", None)
    assert Problem.objects.visible_to(world.leader).count() == 0


def test_a_large_scope_filters_by_subquery_with_the_same_result(world, monkeypatch):
    from zhenggai.orgs import access

    world.problem()
    world.problem(round=world.outside_round)
    for user in (world.inspector, world.staff, world.outsider):
        inline = set(Problem.objects.visible_to(user))
        monkeypatch.setattr(access, "INLINE_IDS", 0)
        assert set(Problem.objects.visible_to(user)) == inline
        monkeypatch.setattr(access, "INLINE_IDS", 100)


def test_a_units_own_roles_do_not_reach_units_below_it(world):
    """A bureau's leader and rectification office act on the bureau, not on units under it."""
    from zhenggai.orgs.models import Unit
    from zhenggai.orgs.services import create_unit
    from zhenggai.testing import grant, make_user

    child = create_unit("区科技局下属中心", Unit.Kind.UNIT, world.unit)
    assert not scope_for(world.leader).can_read(child.pk)
    assert not scope_for(world.rect_office).can_read(child.pk)
    world.inspector.__dict__.pop("_zhenggai_scope", None)
    assert scope_for(world.inspector).can_read(child.pk)  # the office's reach goes down
    watcher = make_user("watcher")
    grant(watcher, world.unit, Role.DISCIPLINE)
    assert scope_for(watcher).unit_ids == {world.unit.pk, child.pk}
