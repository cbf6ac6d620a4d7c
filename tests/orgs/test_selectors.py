"""Reads of the register and the ledger: forgiving search, the tree and the ledger as they stood on a date, and the
user's scope applied everywhere."""

from __future__ import annotations

import pytest

from bianzhi.accounts.roles import Role
from bianzhi.core.errors import BianzhiError
from bianzhi.lifecycle.services import unit_abolish, unit_merge
from bianzhi.orgs.choices import UnitKind, UnitRank
from bianzhi.orgs.models import Unit
from bianzhi.orgs.sanding import SanDingContent, sanding_publish
from bianzhi.orgs.selectors import (
    subtree_ids_as_of,
    unit_documents,
    unit_for,
    unit_history,
    unit_search,
    version_as_of,
)
from bianzhi.orgs.services import unit_move, unit_rename
from bianzhi.quotas.models import AccountKind, MovementKind
from bianzhi.quotas.selectors import ledger_rows, movements_visible_to, totals_by_type, unit_ledger, unit_movements
from bianzhi.quotas.services import county_account, unit_account
from tests.factories import START, make_unit, make_user
from tests.quotas.support import D1, D2, D3, D4, document, post

pytestmark = pytest.mark.django_db

FINANCE_USCC = "11100000000013127B"


@pytest.fixture
def register(county):
    finance = Unit.objects.get(pk=county.finance.pk)
    Unit.objects.filter(pk=finance.pk).update(uscc=FINANCE_USCC, code="JX-CZ-01", short_name="县财政局")
    county.finance = Unit.objects.get(pk=finance.pk)
    return county


def found(user, query, **options) -> list[str]:
    return sorted(unit_search(user, query, **options).values_list("name", flat=True))


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("jxxczj", ["锦绣县财政局", "锦绣县财政局预算股"]),  # initials
        ("JXXCZJ", ["锦绣县财政局", "锦绣县财政局预算股"]),
        ("caizheng", ["锦绣县财政局", "锦绣县财政局预算股"]),  # full pinyin
        ("yusuangu", ["锦绣县财政局预算股"]),
        ("财政", ["锦绣县财政局", "锦绣县财政局预算股"]),  # part of the name
        ("锦绣县 财政局", ["锦绣县财政局", "锦绣县财政局预算股"]),
        ("预算", ["锦绣县财政局预算股"]),
        ("财正", ["锦绣县财政局", "锦绣县财政局预算股"]),  # a homophone typed by mistake
        (FINANCE_USCC, ["锦绣县财政局"]),  # credit code, any case
        (FINANCE_USCC.lower(), ["锦绣县财政局"]),
        ("jx-cz-01", ["锦绣县财政局"]),  # internal code
        ("县财政局", ["锦绣县财政局", "锦绣县财政局预算股"]),  # short name (and part of names)
        ("gongan", ["锦绣县公安局"]),
        ("xyz", []),
    ],
)
def test_units_are_found_by_pinyin_initials_codes_or_part_of_the_name(register, query, names):
    assert found(None, query) == names


def test_an_empty_query_lists_every_current_unit(register):
    assert len(found(None, "  ")) == 6


def test_closed_units_are_found_only_when_asked_for(register):
    unit_abolish(actor=None, unit=register.budget_office, document=document(D1), effective_date=D1)
    assert found(None, "预算") == []
    assert found(None, "预算", include_inactive=True) == ["锦绣县财政局预算股"]


def test_search_stays_within_the_users_scope(register):
    clerk = make_user("jiaoyu", Role.UNIT_OPERATOR, scope_unit=register.education)
    assert found(clerk, "jxx") == ["锦绣县教育局", "锦绣县第一小学"]
    assert found(clerk, FINANCE_USCC) == []
    for role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
        assert found(make_user(f"admin-{role}", role), "jxx") == []


def test_a_renamed_unit_is_found_by_its_new_name_only(register):
    unit_rename(
        actor=None, unit=register.police, name="锦绣县公安局交通管理局", document=document(D2), effective_date=D2
    )
    assert found(None, "jtgl") == ["锦绣县公安局交通管理局"]
    assert found(None, "jxxgaj") == ["锦绣县公安局交通管理局"]  # initials are a prefix of the new ones


def test_one_unit_is_read_only_within_scope(register):
    clerk = make_user("jiaoyu", Role.UNIT_OPERATOR, scope_unit=register.education)
    assert unit_for(clerk, register.school.pk) == register.school
    with pytest.raises(BianzhiError) as outside:
        unit_for(clerk, register.finance.pk)
    assert (outside.value.code, outside.value.message) == ("common.out_of_scope", "该数据不在您的管理范围内。")
    with pytest.raises(BianzhiError) as missing:
        unit_for(clerk, 987654)
    assert (missing.value.code, missing.value.message) == ("common.not_found", "未找到该机构。")


def test_the_subtree_follows_the_tree_as_it_stood(county):
    branch = make_unit("锦绣县第一小学分校", county.school, kind=UnitKind.SHIYE, rank=UnitRank.GUJI, day=D2)
    education, school = county.education, county.school
    assert subtree_ids_as_of(education, D1) == {education.pk, school.pk}  # the branch did not exist yet
    assert subtree_ids_as_of(education, D2) == {education.pk, school.pk, branch.pk}
    unit_move(actor=None, unit=school, new_parent=county.finance, document=document(D3), effective_date=D3)
    assert subtree_ids_as_of(education, D2) == {education.pk, school.pk, branch.pk}
    assert subtree_ids_as_of(education, D3) == {education.pk}
    assert subtree_ids_as_of(county.finance, D3) == {county.finance.pk, county.budget_office.pk, school.pk, branch.pk}
    unit_merge(
        actor=None,
        unit=Unit.objects.get(pk=county.finance.pk),
        successor=education,
        document=document(D4),
        effective_date=D4,
    )
    assert {school.pk, branch.pk, county.budget_office.pk} <= subtree_ids_as_of(education, D4)
    assert school.pk in subtree_ids_as_of(county.finance, D3)


def test_versions_as_of_a_date_and_the_history(county):
    assert version_as_of(county.finance, START.replace(year=2019)) is None
    unit_rename(actor=None, unit=county.finance, name="锦绣县财政和国资局", document=document(D2), effective_date=D2)
    assert version_as_of(county.finance, D1).name == "锦绣县财政局"
    assert version_as_of(county.finance, D2).name == "锦绣县财政和国资局"
    assert [v.name for v in unit_history(county.finance)] == ["锦绣县财政和国资局", "锦绣县财政局"]


def test_the_documents_of_a_unit_are_those_its_versions_sanding_and_movements_cite(county):
    renamed = document(D2, "关于更名的批复")
    unit_rename(actor=None, unit=county.finance, name="锦绣县财政和国资局", document=renamed, effective_date=D2)
    sanding_doc = document(D3, "三定规定")
    sanding_publish(
        actor=None,
        unit=county.finance,
        content=SanDingContent(duties=["管财政。"]),
        document=sanding_doc,
        effective_date=D3,
    )
    granted = document(D3, "关于核定编制的通知")
    post(
        MovementKind.HEZENG,
        county_account(AccountKind.POOL, "XZ"),
        unit_account(county.finance, "XZ", "QE"),
        2,
        D3,
        doc=granted,
    )
    post(MovementKind.HEZENG, county_account(AccountKind.POOL, "XZ"), unit_account(county.police, "XZ", "QE"), 2, D3)
    numbers = set(unit_documents(county.finance).values_list("number", flat=True))
    assert {renamed.number, sanding_doc.number, granted.number} <= numbers
    assert len(numbers) == 4  # and the document that set it up


def test_ledger_rows_follow_scope_and_the_subtree_as_it_stood(county):
    pool = county_account(AccountKind.POOL, "SY")
    post(MovementKind.HEZENG, pool, unit_account(county.school, "SY", "QE"), 30, D1)
    post(MovementKind.HEZENG, pool, unit_account(county.hospital, "SY", "CE"), 12, D1)
    post(MovementKind.HEZENG, county_account(AccountKind.POOL, "XZ"), unit_account(county.education, "XZ", "QE"), 9, D1)
    clerk = make_user("jiaoyu", Role.UNIT_OPERATOR, scope_unit=county.education)
    assert {(r.unit_id, r.quota_type, r.approved) for r in ledger_rows(clerk, D1)} == {
        (county.school.pk, "SY", 30),
        (county.education.pk, "XZ", 9),
    }
    assert len(ledger_rows(None, D1)) == 3
    assert [(t.quota_type, t.approved) for t in totals_by_type(ledger_rows(None, D1))] == [("XZ", 9), ("SY", 42)]
    with pytest.raises(BianzhiError):
        unit_ledger(clerk, county.hospital, D1)
    unit_move(actor=None, unit=county.school, new_parent=None, document=document(D2), effective_date=D2)
    assert [r.unit_id for r in ledger_rows(None, D1, unit=county.education)] == [county.education.pk, county.school.pk]
    assert [r.unit_id for r in ledger_rows(None, D2, unit=county.education)] == [county.education.pk]


def test_the_movement_journal_shows_a_unit_user_only_movements_touching_their_units(county):
    pool = county_account(AccountKind.POOL, "XZ")
    mine = post(MovementKind.HEZENG, pool, unit_account(county.education, "XZ", "QE"), 3, D1)
    post(MovementKind.HEZENG, pool, unit_account(county.finance, "XZ", "QE"), 3, D1)
    post(MovementKind.SHOUHUI, pool, county_account(AccountKind.AUTHORITY, "XZ"), 1, D2)
    clerk = make_user("jiaoyu", Role.UNIT_OPERATOR, scope_unit=county.education)
    assert list(movements_visible_to(clerk)) == [mine]
    assert movements_visible_to(None).count() == 4 + 3  # the county totals, then these three
    assert movements_visible_to(make_user("auditor", Role.AUDIT_ADMIN)).count() == 0
    later = post(MovementKind.HEJIAN, unit_account(county.education, "XZ", "QE"), pool, 1, D3)
    assert unit_movements(clerk, county.education) == [later, mine]
