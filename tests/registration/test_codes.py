"""The 统一社会信用代码 allocator: every code valid under GB 32100 and GB 11714, carrying the county's region code,
never given twice (also not one an imported unit already holds), and a dry run that uses nothing."""

from __future__ import annotations

import io
from contextlib import redirect_stderr

import pytest
from django.core.management import call_command

from bianzhi.accounts.roles import Role
from bianzhi.audit.models import AuditEvent
from bianzhi.core.errors import BianzhiError
from bianzhi.core.ids import uscc_check_char, validate_uscc
from bianzhi.core.integrity import run_all
from bianzhi.core.models import Installation
from bianzhi.registration.codes import checked_uscc, code_for, uscc_issue, uscc_preview
from bianzhi.registration.models import Counter, IssuedCode
from tests.conftest import USES_POSTGRES
from tests.factories import make_unit, make_user
from tests.registration.conftest import REGION

# The allocator issues 2,000 in a row on SQLite (a tenth on PostgreSQL, where each issue costs a round trip more);
# the codes of the first 10,000 numbers it would give are checked without the database, which is where their
# validity comes from (the counter's behaviour under concurrent callers is in test_concurrency.py, on both)
IN_A_ROW = 200 if USES_POSTGRES else 2_000
NUMBERS = 10_000


def _valid_here(code: str) -> None:
    check = validate_uscc(code)
    assert check.valid and not check.warnings, (code, check.errors, check.warnings)
    assert code[:8] == "12" + REGION


def test_codes_issued_in_a_row_are_unique_valid_and_carry_the_region(county):
    codes = [uscc_issue(actor=None, category="2").code for _ in range(IN_A_ROW)]

    assert codes == [code_for("2", REGION, number) for number in range(1, IN_A_ROW + 1)]
    assert len(set(codes)) == IN_A_ROW
    assert IssuedCode.objects.count() == IN_A_ROW
    for code in codes[:: IN_A_ROW // 20]:
        _valid_here(code)


@pytest.mark.no_database
def test_the_first_ten_thousand_codes_are_unique_and_valid():
    codes = [code_for("2", REGION, number) for number in range(1, NUMBERS + 1)]
    assert len(set(codes)) == NUMBERS
    for code in codes:
        _valid_here(code)


def test_each_category_gives_its_prefix_and_the_issue_is_audited(county):
    assert [uscc_issue(actor=None, category=c).code[:2] for c in "1239"] == ["11", "12", "13", "19"]
    assert AuditEvent.objects.filter(action="registration.uscc_issued").count() == 4


def test_a_code_held_by_an_imported_unit_is_stepped_over(county):
    taken = code_for("2", REGION, 1)
    make_unit("锦绣县第一中学", uscc=taken)
    IssuedCode.objects.create(code=code_for("2", REGION, 2), category="2", imported=True)

    assert uscc_preview(category="2") == code_for("2", REGION, 3)
    assert uscc_issue(actor=None, category="2").code == code_for("2", REGION, 3)


def test_the_dry_run_uses_nothing(county):
    first = uscc_preview(category="2")
    assert uscc_preview(category="2") == first
    assert IssuedCode.objects.count() == 0
    assert uscc_issue(actor=None, category="2").code == first


def test_without_a_region_code_nothing_is_issued(db):
    with pytest.raises(BianzhiError) as refused:
        uscc_issue(actor=None, category="2")
    assert refused.value.code == "registration.no_region"
    Installation.objects.create(county_name="锦绣县", region_code="")
    with pytest.raises(BianzhiError, match="行政区划代码"):
        uscc_preview(category="2")


def test_only_registration_staff_issue_codes(county):
    with pytest.raises(BianzhiError) as refused:
        uscc_issue(actor=make_user("hr", Role.UNIT_OPERATOR, scope_unit=make_unit("锦绣县财政局")), category="2")
    assert refused.value.code == "common.permission_denied"
    assert (
        uscc_issue(actor=make_user("dj", Role.REGISTRATION, scope_county=True), category="2").issued_by.username == "dj"
    )


def test_an_unknown_category_is_refused_with_the_choices(county):
    with pytest.raises(BianzhiError) as refused:
        uscc_issue(actor=None, category="5")
    assert refused.value.code == "registration.bad_category"
    assert "2 事业单位" in refused.value.message


@pytest.mark.parametrize(
    "code",
    [
        "123600004910159513",  # 事业单位 registered by 江西省, published as its 法人证书号
        "914403001922038216",
        "9144030071526726XG",
        "91330100799655058B",
        "91350100M000100Y43",
        "1133012200256781X0",
        "12330122MB1634A25K",
    ],
)
def test_published_codes_validate(code):
    check = checked_uscc(code)
    assert check.valid and not check.warnings


def test_a_bad_check_character_is_an_error_a_bad_org_code_only_a_warning():
    with pytest.raises(BianzhiError) as refused:
        checked_uscc("91350100M000100Y4Z")
    assert refused.value.code == "registration.bad_uscc"
    # the 主体标识码 check character altered, the USCC check recomputed: accepted, with a warning
    first17 = "12330122470001230"
    check = checked_uscc(first17 + uscc_check_char(first17))
    assert check.valid and [w.code for w in check.warnings] == ["uscc.org_code_check"]


def test_the_command_prints_the_bare_code_and_issues_only_with_apply(county):
    out = io.StringIO()
    with redirect_stderr(io.StringIO()):
        call_command("uscc", "issue", "--category", "2", stdout=out)
    code = out.getvalue().strip()
    assert validate_uscc(code).valid and IssuedCode.objects.count() == 0

    out = io.StringIO()
    call_command("uscc", "issue", "--category", "2", "--apply", stdout=out)
    assert out.getvalue().strip() == code
    assert IssuedCode.objects.get().code == code


def test_the_check_finds_a_counter_behind_its_codes(county):
    uscc_issue(actor=None, category="2")
    uscc_issue(actor=None, category="2")
    assert run_all()["registration.counter"] == []
    Counter.objects.filter(name="uscc").update(last=1)
    assert [d.message for d in run_all()["registration.counter"]] == ["赋码计数 1 落后于已赋代码 2"]
    assert uscc_issue(actor=None, category="2").code == code_for("2", REGION, 3)  # a counter behind still skips
