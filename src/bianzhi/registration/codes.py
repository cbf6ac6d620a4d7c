"""The 统一社会信用代码 this 编办 issues (GB 32100-2015): ``1`` (机构编制) + 机构类别 + the county's region code +
a 9-character 主体标识码 (8 characters from the county's counter and the GB 11714 check character) + the GB 32100
check character. A code is issued once: each has an ``IssuedCode`` row, and the counter steps over any code the
database already holds (codes imported with the register). See docs/decisions/0014-uscc-allocator.md."""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.audit.services import audit_record
from bianzhi.core.errors import BianzhiError
from bianzhi.core.ids import CodeCheck, org_code_check_char, uscc_check_char, validate_uscc
from bianzhi.core.models import current_installation
from bianzhi.orgs.models import Unit
from bianzhi.registration.choices import AUTHORITY, category_choices
from bianzhi.registration.errors import RegistrationError
from bianzhi.registration.models import Counter, Institution, IssuedCode

BODY_LIMIT = 10**8  # 8 decimal digits


def _bump(name: str, scope: str) -> int | None:
    # one statement (PostgreSQL, SQLite ≥ 3.35): the counter row stays locked from here to the commit
    table = Counter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last = last + 1 WHERE name = %s AND scope = %s RETURNING last", [name, scope]
        )
        row = cursor.fetchone()
    return row[0] if row else None


def counter_next(name: str, scope: str) -> int:
    """The next number of a counter, safe against concurrent callers; call inside the writing transaction."""
    last = _bump(name, scope)
    while last is None:
        try:
            with transaction.atomic():
                Counter.objects.create(name=name, scope=scope, last=1)
            last = 1
        except IntegrityError:  # another transaction created the counter first
            last = _bump(name, scope)
    return last


def counter_peek(name: str, scope: str) -> int:
    return Counter.objects.filter(name=name, scope=scope).values_list("last", flat=True).first() or 0


def county_region_code() -> str:
    installation = current_installation()
    region = installation.region_code.strip() if installation else ""
    if len(region) != 6 or not region.isdigit():
        raise BianzhiError(RegistrationError.NO_REGION)
    return region


def check_category(category: str) -> str:
    allowed = dict(category_choices())
    if category not in allowed:
        listed = "、".join(f"{code} {label}" for code, label in allowed.items())
        raise BianzhiError(RegistrationError.BAD_CATEGORY, value=category, allowed=listed)
    return category


def code_for(category: str, region: str, number: int) -> str:
    """The code whose 主体标识码 body is ``number`` (8 digits)."""
    body = f"{number:08d}"
    first17 = AUTHORITY + category + region + body + org_code_check_char(body)
    return first17 + uscc_check_char(first17)


def code_taken(code: str) -> bool:
    return (
        IssuedCode.objects.filter(code=code).exists()
        or Unit.objects.filter(uscc=code).exists()
        or Institution.objects.filter(uscc=code).exists()
    )


def uscc_preview(*, category: str) -> str:
    """The code ``uscc_issue`` would give now, without using it (another issue may take it first)."""
    check_category(category)
    region = county_region_code()
    number = counter_peek("uscc", region)
    while True:
        number += 1
        if number >= BODY_LIMIT:
            raise BianzhiError(RegistrationError.CODES_EXHAUSTED)
        code = code_for(category, region, number)
        if not code_taken(code):
            return code


@transaction.atomic
def uscc_issue(*, actor, category: str, unit: Unit | None = None) -> IssuedCode:
    """Issues the next free code of the category: never one issued before or held by a unit in the register."""
    require_capability(actor, Capability.MANAGE_REGISTRATION)
    check_category(category)
    region = county_region_code()
    while True:
        number = counter_next("uscc", region)
        if number >= BODY_LIMIT:
            raise BianzhiError(RegistrationError.CODES_EXHAUSTED)
        code = code_for(category, region, number)
        if not code_taken(code):
            break
    issued = IssuedCode.objects.create(code=code, category=category, unit=unit, issued_by=actor)
    audit_record(actor=actor, action="registration.uscc_issued", obj=issued, after={"code": code, "category": category})
    return issued


def checked_uscc(value: str) -> CodeCheck:
    """An existing code taken into the register: a failing GB 32100 check refuses it; a 主体标识码 failing
    GB 11714 is only a warning (historic codes), returned to the caller to show."""
    check = validate_uscc(value)
    if not check.valid:
        reason = "；".join(finding.message for finding in check.errors)
        raise BianzhiError(RegistrationError.BAD_USCC, value=value, reason=reason)
    return check
