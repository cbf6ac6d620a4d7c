import pytest

from bianzhi.accounts.models import User
from bianzhi.accounts.roles import Role
from bianzhi.accounts.scoping import scope_queryset, unit_in_scope
from bianzhi.accounts.services import user_set_access
from bianzhi.audit.models import AuditEvent
from bianzhi.core.errors import BianzhiError
from bianzhi.orgs.models import Unit
from bianzhi.orgs.selectors import units_visible_to
from tests.factories import make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    education = make_unit("锦绣县教育局")
    school = make_unit("锦绣县第一中学", education)
    school_branch = make_unit("锦绣县第一中学分校", school)
    finance = make_unit("锦绣县财政局")
    return {"education": education, "school": school, "branch": school_branch, "finance": finance}


def test_county_scope_sees_every_unit(tree):
    user = make_user("bianban", Role.BIANBAN_ADMIN, scope_county=True)
    assert units_visible_to(user).count() == 4


def test_unit_scope_sees_its_subtree_at_any_depth_and_nothing_else(tree):
    user = make_user("jiaoyu", Role.UNIT_OPERATOR, scope_unit=tree["education"])
    visible = set(units_visible_to(user).values_list("name", flat=True))
    assert visible == {"锦绣县教育局", "锦绣县第一中学", "锦绣县第一中学分校"}
    assert not unit_in_scope(user, tree["finance"])
    assert unit_in_scope(user, tree["branch"])


def test_scope_of_a_sibling_with_a_common_id_prefix_is_not_leaked(tree):
    # /1/ must not match /10/…: paths end with a slash
    units = [make_unit(f"机构{i}") for i in range(12)]
    user = make_user("u1", Role.UNIT_OPERATOR, scope_unit=units[0])
    assert list(units_visible_to(user)) == [units[0]]


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_admin_roles_see_no_business_data(tree, role):
    user = make_user("admin", role)
    assert units_visible_to(user).count() == 0
    assert not unit_in_scope(user, tree["education"])


def test_user_without_roles_or_inactive_sees_nothing(tree):
    nobody = make_user("nobody")
    assert units_visible_to(nobody).count() == 0
    user = make_user("gone", Role.BIANBAN_ADMIN, scope_county=True)
    user.is_active = False
    assert units_visible_to(user).count() == 0


def test_scope_queryset_works_through_a_foreign_key(tree):
    user = make_user("jiaoyu", Role.UNIT_OPERATOR, scope_unit=tree["school"])
    accounts = User.objects.filter(scope_unit__isnull=False)
    assert list(scope_queryset(accounts, user, path_field="scope_unit__tree_path")) == [user]


@pytest.mark.parametrize(
    ("roles", "kwargs", "code"),
    [
        ([Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN], {}, "accounts.admin_roles_exclusive"),
        ([Role.SECURITY_ADMIN, Role.BIANBAN_ADMIN], {"scope_county": True}, "accounts.admin_roles_exclusive"),
        ([Role.BIANBAN_OPERATOR], {}, "accounts.scope_required"),
        ([Role.UNIT_OPERATOR], {"scope_county": True}, "accounts.unit_operator_needs_unit"),
        (["superman"], {"scope_county": True}, "accounts.unknown_role"),
    ],
)
def test_invalid_role_grants_are_refused_and_change_nothing(tree, roles, kwargs, code):
    security = make_user("anquan", Role.SECURITY_ADMIN)
    target = make_user("target", Role.PARTNER_READONLY, scope_unit=tree["finance"])
    events_before = AuditEvent.objects.count()
    with pytest.raises(BianzhiError) as caught:
        user_set_access(actor=security, user=target, roles=roles, **kwargs)
    assert caught.value.code == code
    target.refresh_from_db()
    assert set(target.role_grants.values_list("role", flat=True)) == {Role.PARTNER_READONLY}
    assert target.scope_unit == tree["finance"]
    assert AuditEvent.objects.count() == events_before


def test_scope_county_and_unit_together_is_refused_by_the_database_too(tree):
    from django.db import IntegrityError, transaction

    user = make_user("x")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=user.pk).update(scope_county=True, scope_unit=tree["school"])


def test_security_admin_cannot_change_own_roles():
    security = make_user("anquan", Role.SECURITY_ADMIN)
    with pytest.raises(BianzhiError) as caught:
        user_set_access(actor=security, user=security, roles=[Role.BIANBAN_ADMIN], scope_county=True)
    assert caught.value.code == "accounts.self_grant"


def test_only_security_admin_grants_roles(tree):
    for role in (Role.BIANBAN_ADMIN, Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN):
        actor = make_user(f"actor-{role}", role, scope_county=role == Role.BIANBAN_ADMIN)
        target = make_user(f"target-{role}")
        with pytest.raises(BianzhiError) as caught:
            user_set_access(actor=actor, user=target, roles=[Role.OVERSIGHT], scope_county=True)
        assert caught.value.code == "common.permission_denied"


def test_role_and_scope_changes_are_audited_with_before_and_after(tree):
    security = make_user("anquan", Role.SECURITY_ADMIN)
    target = make_user("target", Role.OVERSIGHT, scope_county=True)
    user_set_access(
        actor=security, user=target, roles=[Role.UNIT_OPERATOR], scope_unit=tree["school"], reason="岗位调整"
    )
    event = AuditEvent.objects.filter(action="accounts.access_changed", actor=security).get()
    assert event.before == {"roles": ["oversight"], "scope_county": True, "scope_unit_id": None}
    assert event.after == {"roles": ["unit_operator"], "scope_county": False, "scope_unit_id": tree["school"].pk}
    assert event.reason == "岗位调整"


def test_admin_role_grant_clears_business_scope(tree):
    target = make_user("t", Role.BIANBAN_OPERATOR, scope_county=True)
    user_set_access(actor=None, user=target, roles=[Role.AUDIT_ADMIN], scope_county=True)
    target.refresh_from_db()
    assert not target.scope_county and target.scope_unit is None


def test_unit_paths_are_materialised(tree):
    assert tree["branch"].tree_path == f"/{tree['education'].pk}/{tree['school'].pk}/{tree['branch'].pk}/"
    assert tree["branch"].depth == 2
    assert Unit.objects.filter(tree_path__startswith=tree["education"].tree_path).count() == 3
