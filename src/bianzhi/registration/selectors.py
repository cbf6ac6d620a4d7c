"""Reads of the legal-person register, through the user's scope (the registered unit's subtree)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.accounts.scoping import ensure_unit_in_scope, scope_queryset, sees_whole_county
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.orgs.choices import UnitKind, UnitStatus
from bianzhi.orgs.models import Unit
from bianzhi.orgs.services import search_keys
from bianzhi.registration.choices import DrawState, InstitutionStatus
from bianzhi.registration.models import (
    Application,
    DrawObject,
    InspectionDraw,
    Inspector,
    Institution,
    InstitutionVersion,
)


def institutions_visible_to(user) -> QuerySet[Institution]:
    return scope_queryset(Institution.objects.select_related("unit"), user, path_field="unit__tree_path")


def in_force(day: dt.date) -> Q:
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=day))


def institution_as_of(institution: Institution, day: dt.date) -> InstitutionVersion | None:
    """The registered items in force on ``day``, or None before registration."""
    return institution.versions.select_related("document", "sponsor").filter(in_force(day)).first()


def institutions_as_of(user, day: dt.date, query: str = "") -> QuerySet[InstitutionVersion]:
    """The registered items in force on ``day`` of every institution the user may see, by name (also as
    registered then), pinyin or initials of the unit's name, or code."""
    return versions_matching(
        InstitutionVersion.objects.filter(in_force(day), institution__in=institutions_visible_to(user)), query
    )


def versions_matching(versions: QuerySet[InstitutionVersion], query: str) -> QuerySet[InstitutionVersion]:
    """``versions`` whose name (as registered then, or the unit's), pinyin or initials of the unit's name, or code
    contains ``query`` (blanks ignored), by code."""
    versions = versions.select_related("institution__unit", "sponsor", "document")
    query = "".join(query.split())
    if query:
        pinyin, initials = search_keys(query)
        condition = (
            Q(name__icontains=query)
            | Q(institution__unit__name__icontains=query)
            | Q(institution__uscc__contains=query.upper())
            | Q(institution__unit__name_initials__contains=query.lower())
        )
        if query.isascii():
            condition |= Q(institution__unit__name_pinyin__contains=pinyin)
        else:
            condition |= Q(institution__unit__name_initials__contains=initials) & Q(
                institution__unit__name_pinyin__contains=pinyin
            )
        versions = versions.filter(condition)
    return versions.order_by("institution__uscc")


def units_to_register(user) -> QuerySet[Unit]:
    """Active 事业单位 in the user's scope with no legal-person registration yet (what the register form offers)."""
    units = scope_queryset(Unit.objects.all(), user, path_field="tree_path")
    return units.filter(status=UnitStatus.ACTIVE, kind=UnitKind.SHIYE, institution__isnull=True).order_by("tree_path")


def institution_for(user, pk: int) -> Institution:
    """One institution: a Chinese 404 if there is none, 403 if its unit is outside the user's scope."""
    institution = Institution.objects.select_related("unit").filter(pk=pk).first()
    if institution is None:
        raise BianzhiError(CommonError.NOT_FOUND, what="该法人登记")
    ensure_unit_in_scope(user, institution.unit)
    return institution


def unit_page_context(*, user, unit, day, tab: str) -> dict:
    """The unit page's 基本信息 links to the unit's legal-person registration, if it has one."""
    if tab != "info":
        return {}
    pk = Institution.objects.filter(unit=unit).values_list("pk", flat=True).first()
    return {"unit_registration_url": reverse("registration:institution_detail", args=[pk])} if pk else {}


def applications_visible_to(user) -> QuerySet[Application]:
    """Applications of the units in the user's scope."""
    return scope_queryset(Application.objects.select_related("unit"), user, path_field="unit__tree_path")


def application_for(user, pk: int) -> Application:
    application = Application.objects.select_related("unit", "institution").filter(pk=pk).first()
    if application is None:
        raise BianzhiError(CommonError.NOT_FOUND, what="该登记申请")
    ensure_unit_in_scope(user, application.unit)
    return application


def units_that_may_apply(user, kind: str) -> QuerySet[Unit]:
    """The units in the user's scope that may file an application of ``kind``: 设立 for active 事业单位 not yet
    registered, the others for registered legal persons."""
    if kind == "SETUP":
        return units_to_register(user)
    units = scope_queryset(Unit.objects.all(), user, path_field="tree_path")
    return units.filter(institution__status="REGISTERED").order_by("tree_path")


def current_items(unit: Unit) -> InstitutionVersion | None:
    """The unit's registered items in force now, if it is registered."""
    return (
        InstitutionVersion.objects.filter(institution__unit=unit, valid_to__isnull=True)
        .select_related("sponsor")
        .first()
    )


def unit_for_application(user, pk: str) -> Unit | None:
    """The unit an application form names (None when it names none); 403 for one outside the user's scope."""
    unit = Unit.objects.filter(pk=int(pk)).first() if pk.isdigit() else None
    if unit is not None:
        ensure_unit_in_scope(user, unit)
    return unit


# ---------------------------------------------------------------- 双随机一公开


def require_county_reader(user) -> None:
    """Draws and the inspector pool cover the whole county: only county-wide accounts read them."""
    require_capability(user, Capability.VIEW_BUSINESS)
    if not sees_whole_county(user):
        raise BianzhiError(CommonError.OUT_OF_SCOPE)


def draws_visible_to(user) -> QuerySet[InspectionDraw]:
    require_county_reader(user)
    return InspectionDraw.objects.all()


def draw_for(user, pk: int) -> InspectionDraw:
    draw = draws_visible_to(user).filter(pk=pk).first()
    if draw is None:
        raise BianzhiError(CommonError.NOT_FOUND, what="该抽查")
    return draw


def draw_object_for(user, pk: int) -> DrawObject:
    drawn = (
        DrawObject.objects.filter(pk=pk, draw__in=draws_visible_to(user))
        .select_related("draw", "institution__unit", "record_file")
        .first()
    )
    if drawn is None:
        raise BianzhiError(CommonError.NOT_FOUND, what="该抽查对象")
    return drawn


def draw_objects(draw: InspectionDraw) -> QuerySet[DrawObject]:
    return draw.targets.select_related("institution__unit", "record_file").prefetch_related("inspectors__unit")


def inspectors_visible_to(user) -> QuerySet[Inspector]:
    require_county_reader(user)
    return Inspector.objects.select_related("unit").prefetch_related("relations__institution__unit")


def registered_institutions() -> QuerySet[Institution]:
    return Institution.objects.filter(status=InstitutionStatus.REGISTERED).select_related("unit").order_by("uscc")


def inspection_problems(user=None) -> QuerySet[DrawObject]:
    """The institutions an inspection told to put something right (整改), within the user's scope, latest first: what
    the supervision work follows up."""
    drawn = DrawObject.objects.filter(rectification_required=True).select_related("draw", "institution__unit")
    return scope_queryset(drawn, user, path_field="institution__unit__tree_path").order_by("-draw__drawn_on", "uscc")


def published_draws() -> QuerySet[InspectionDraw]:
    """What the public page shows: the published draws, latest first, with each object's result."""
    objects = DrawObject.objects.select_related("institution__unit").prefetch_related("inspectors").order_by("uscc")
    return (
        InspectionDraw.objects.filter(state=DrawState.PUBLISHED)
        .prefetch_related(Prefetch("targets", queryset=objects))
        .order_by("-published_on", "-number")
    )
