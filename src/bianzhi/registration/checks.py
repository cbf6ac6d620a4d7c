"""``bianzhi check``: every registered code valid, recorded as issued and the unit's own; every registered institution
with current items; the code counter never behind a code it issued."""

from __future__ import annotations

from collections.abc import Iterator

from bianzhi.core.ids import validate_uscc
from bianzhi.core.integrity import Drift, register
from bianzhi.registration.choices import InstitutionStatus
from bianzhi.registration.models import Counter, Institution, InstitutionVersion, IssuedCode


@register("registration.codes")
def institution_codes_issued_and_held() -> Iterator[Drift]:
    recorded = dict(IssuedCode.objects.values_list("code", "unit_id"))
    for institution in Institution.objects.select_related("unit").iterator():
        subject = f"法人 {institution.uscc}"
        if not validate_uscc(institution.uscc).valid:
            yield Drift("registration.codes", subject, "统一社会信用代码校验不通过")
        if recorded.get(institution.uscc, -1) not in (None, institution.unit_id):
            yield Drift("registration.codes", subject, "代码的赋码记录缺失或属于其他机构")
        if institution.unit.uscc != institution.uscc:
            yield Drift("registration.codes", subject, f"机构信息中的代码为 {institution.unit.uscc or '空'}")


@register("registration.current_items")
def registered_institutions_have_current_items() -> Iterator[Drift]:
    current = set(InstitutionVersion.objects.filter(valid_to__isnull=True).values_list("institution_id", flat=True))
    for pk, uscc in Institution.objects.filter(status=InstitutionStatus.REGISTERED).values_list("pk", "uscc"):
        if pk not in current:
            yield Drift("registration.current_items", f"法人 {uscc}", "没有现行登记事项")


@register("registration.counter")
def counters_ahead_of_issued_codes() -> Iterator[Drift]:
    last = dict(Counter.objects.filter(name="uscc").values_list("scope", "last"))
    highest: dict[str, int] = {}
    for code in IssuedCode.objects.filter(imported=False).values_list("code", flat=True).iterator():
        body = code[8:16]
        if body.isdigit():
            highest[code[2:8]] = max(highest.get(code[2:8], 0), int(body))
    for region, number in highest.items():
        if last.get(region, 0) < number:
            yield Drift(
                "registration.counter", f"行政区划 {region}", f"赋码计数 {last.get(region, 0)} 落后于已赋代码 {number}"
            )
