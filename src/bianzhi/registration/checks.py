"""``bianzhi check``: every registered code valid, recorded as issued and the unit's own; every registered institution
with current items; the code counter never behind a code it issued; every 双随机 draw reproducible."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count

from bianzhi.core.ids import validate_uscc
from bianzhi.core.integrity import Drift, register
from bianzhi.registration.choices import InstitutionStatus
from bianzhi.registration.draws import draw_verify
from bianzhi.registration.models import Counter, DrawObject, InspectionDraw, Institution, InstitutionVersion, IssuedCode


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


@register("registration.draws")
def draws_recompute_and_draw_each_institution_once_a_year() -> Iterator[Drift]:
    """Every draw recomputes from its seed, base and pool as recorded (``bianzhi draw verify``), and no institution
    is drawn twice in one year."""
    for draw in InspectionDraw.objects.order_by("number").iterator():
        for problem in draw_verify(draw):
            yield Drift("registration.draws", f"抽查 {draw.number}", problem)
    twice = (
        DrawObject.objects.values("draw__year", "uscc").annotate(draws=Count("draw", distinct=True)).filter(draws__gt=1)
    )
    for row in twice:
        yield Drift("registration.draws", f"法人 {row['uscc']}", f"{row['draw__year']} 年度被抽取 {row['draws']} 次")
