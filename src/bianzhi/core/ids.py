"""National code validators, pure functions with no database.

* 公民身份号码, GB 11643-1999 (15-digit GB 11643-1989 numbers are upgraded);
* 统一社会信用代码, GB 32100-2015;
* 组织机构代码, GB 11714-1997 (also positions 9–17 of a USCC).

Every validator returns a :class:`CodeCheck`; it never raises on bad input. Errors make a value invalid;
warnings (a legacy organisation code, an upgraded 15-digit number) do not, because historic records carry them. A
region code's first two digits must name a province (GB/T 2260): no province-level code has been abolished since
numbers were first issued, so a number outside them is mistyped or made up. The county part is not checked against
a list (counties are renamed and merged, and old numbers keep their codes).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from bianzhi.core.errors import ErrorCode, IdNumberError, OrgCodeError, UsccError


@dataclass(frozen=True)
class Finding:
    code: str
    message: str

    @classmethod
    def of(cls, error: ErrorCode, **params: Any) -> Finding:
        return cls(error.code, error.format(**params))


@dataclass
class CodeCheck:
    """The outcome of validating one value."""

    input: str
    kind: str
    normalized: str
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "kind": self.kind,
            "valid": self.valid,
            "normalized": self.normalized,
            "errors": [{"code": f.code, "message": f.message} for f in self.errors],
            "warnings": [{"code": f.code, "message": f.message} for f in self.warnings],
            "details": self.details,
        }


_SPACES = re.compile(r"\s+")


def normalize_code(value: str) -> str:
    """Full-width to ASCII (NFKC), drop spaces anywhere, upper-case letters."""
    if not value.isascii():
        value = unicodedata.normalize("NFKC", value)
    return _SPACES.sub("", value).upper()


@cache
def _data(name: str) -> dict[str, Any]:
    return json.loads(resources.files("bianzhi.core.data").joinpath(name).read_text(encoding="utf-8"))


def province_name(region_code: str) -> str | None:
    """The province of a region code (GB/T 2260), or ``None``."""
    return _data("gb2260_provinces.json")["provinces"].get(region_code[:2])


def id_province(region_code: str) -> str | None:
    """Also 83, which 台湾居民居住证 numbers begin with (Hong Kong's and Macao's, 81 and 82, are GB/T 2260 codes)."""
    return province_name(region_code) or _data("gb2260_provinces.json")["residence_permits"].get(region_code[:2])


def _uscc_province(region_code: str) -> str | None:
    """Also 10, the region code of registration authorities at the centre (100000)."""
    return province_name(region_code) or _data("gb2260_provinces.json")["central"].get(region_code[:2])


def uscc_authorities() -> dict[str, Any]:
    return _data("uscc_categories.json")["authorities"]


# ---------------------------------------------------------------- 公民身份号码 (GB 11643)

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"


def _ascii_digits(value: str) -> bool:
    # str.isdigit() also accepts digits of other scripts (e.g. U+19DA), which int() then rejects
    return value.isascii() and value.isdigit()


def id_check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits."""
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def upgrade_id15(id15: str) -> str:
    """GB 11643-1989 → 1999: insert the century '19' after the region code and append the check digit."""
    first17 = id15[:6] + "19" + id15[6:]
    return first17 + id_check_digit(first17)


def validate_id_number(value: str, *, today: dt.date | None = None) -> CodeCheck:
    raw = value
    value = normalize_code(value)
    check = CodeCheck(input=raw, kind="id", normalized=value)
    if not value:
        check.errors.append(Finding.of(IdNumberError.EMPTY))
        return check
    if len(value) == 15:
        if not _ascii_digits(value):
            check.errors.append(Finding.of(IdNumberError.CHARACTERS))
            return check
        value = upgrade_id15(value)
        check.normalized = value
        check.warnings.append(Finding.of(IdNumberError.UPGRADED, normalized=value))
    elif len(value) != 18:
        check.errors.append(Finding.of(IdNumberError.LENGTH, length=len(value)))
        return check
    first17, last = value[:17], value[17]
    if not (_ascii_digits(first17) and (_ascii_digits(last) or last == "X")):
        check.errors.append(Finding.of(IdNumberError.CHARACTERS))
        return check

    region_code = value[:6]
    check.details["region_code"] = region_code
    province = id_province(region_code)
    if province is None:
        check.errors.append(
            Finding.of(IdNumberError.UNKNOWN_PROVINCE, region_code=region_code, province_code=region_code[:2])
        )
    else:
        check.details["province"] = province

    birth_text = f"{value[6:10]}-{value[10:12]}-{value[12:14]}"
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        check.errors.append(Finding.of(IdNumberError.BIRTH_DATE, value=birth_text))
    else:
        check.details["birth_date"] = birth.isoformat()
        if birth > (today or dt.date.today()):
            check.errors.append(Finding.of(IdNumberError.FUTURE_BIRTH, value=birth_text))

    male = int(value[16]) % 2 == 1
    check.details["gender"] = "male" if male else "female"
    check.details["gender_label"] = "男" if male else "女"

    expected = id_check_digit(first17)
    if expected != last:
        check.errors.append(Finding.of(IdNumberError.CHECK_DIGIT, expected=expected, actual=last))
    return check


def mask_id_number(value: str) -> str:
    """``110105********002X``: region and last four only, so the birth date stays hidden."""
    if len(value) < 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


# ---------------------------------------------------------------- 组织机构代码 (GB 11714)

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_BODY = re.compile(r"[0-9A-Z]{8}")


def org_code_check_char(body8: str) -> str:
    # letters count as ord - 55 (A=10 … Z=35), the full alphabet, unlike the USCC's 31-character set
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body8, _ORG_WEIGHTS, strict=True))
    c9 = 11 - total % 11
    return "X" if c9 == 10 else "0" if c9 == 11 else str(c9)


def validate_org_code(value: str) -> CodeCheck:
    raw = value
    value = normalize_code(value).replace("-", "")
    check = CodeCheck(input=raw, kind="org", normalized=value)
    if not value:
        check.errors.append(Finding.of(OrgCodeError.EMPTY))
        return check
    if len(value) != 9:
        check.errors.append(Finding.of(OrgCodeError.LENGTH, length=len(value)))
        return check
    body, last = value[:8], value[8]
    if not (_ORG_BODY.fullmatch(body) and (last.isdigit() or last == "X")):
        check.errors.append(Finding.of(OrgCodeError.CHARACTERS))
        return check
    expected = org_code_check_char(body)
    if expected != last:
        check.errors.append(Finding.of(OrgCodeError.CHECK_CHARACTER, expected=expected, actual=last))
    return check


# ---------------------------------------------------------------- 统一社会信用代码 (GB 32100)

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(USCC_CHARSET)}
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


def uscc_check_char(first17: str) -> str:
    total = sum(_USCC_VALUE[c] * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> CodeCheck:
    raw = value
    value = normalize_code(value)
    check = CodeCheck(input=raw, kind="uscc", normalized=value)
    if not value:
        check.errors.append(Finding.of(UsccError.EMPTY))
        return check
    if len(value) != 18:
        check.errors.append(Finding.of(UsccError.LENGTH, length=len(value)))
        return check
    bad = sorted({c for c in value if c not in _USCC_VALUE})
    if bad:
        check.errors.append(Finding.of(UsccError.CHARACTERS, chars="、".join(bad)))
        return check

    authority_code, category_code, region_code, org_code = value[0], value[1], value[2:8], value[8:17]
    authority = uscc_authorities().get(authority_code)
    category = authority["categories"].get(category_code) if authority else None
    if category is None:
        check.errors.append(Finding.of(UsccError.CATEGORY, authority=authority_code, category=category_code))
    else:
        check.details.update(authority=authority["name"], category=category)
    check.details.update(authority_code=authority_code, category_code=category_code)

    if not region_code.isdigit():
        check.errors.append(Finding.of(UsccError.REGION, value=region_code))
    elif (province := _uscc_province(region_code)) is None:
        check.details["region_code"] = region_code
        check.errors.append(
            Finding.of(UsccError.UNKNOWN_PROVINCE, region_code=region_code, province_code=region_code[:2])
        )
    else:
        check.details.update(region_code=region_code, province=province)

    check.details["org_code"] = f"{org_code[:8]}-{org_code[8]}"
    if not validate_org_code(org_code).valid:
        check.warnings.append(Finding.of(UsccError.ORG_CODE_CHECK, org_code=check.details["org_code"]))

    expected = uscc_check_char(value[:17])
    if expected != value[17]:
        check.errors.append(Finding.of(UsccError.CHECK_CHARACTER, expected=expected, actual=value[17]))
    return check


VALIDATORS = {"id": validate_id_number, "uscc": validate_uscc, "org": validate_org_code}
