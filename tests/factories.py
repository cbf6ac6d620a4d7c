"""Small builders for tests; they go through the services, like the application does."""

from __future__ import annotations

import datetime as dt
import itertools

from bianzhi.accounts.services import user_create, user_set_access
from bianzhi.orgs.choices import InstitutionClass, SystemCategory, UnitKind, UnitNature, UnitRank
from bianzhi.orgs.documents import DocumentRef
from bianzhi.orgs.services import UnitSpec, unit_create

PASSWORD = "Kz7#pWq2x"
START = dt.date(2020, 1, 1)
_serial = itertools.count(1)


def doc(day: dt.date = START, title: str = "测试批复") -> DocumentRef:
    return DocumentRef(f"测编发〔{day.year}〕{next(_serial)}号", title, day, "测试县编委")


def make_unit(
    name: str,
    parent=None,
    *,
    kind: str = UnitKind.JIGUAN,
    rank: str = UnitRank.ZHENGKE,
    day: dt.date = START,
    zhengfa: bool = False,
    cls: str = "",
    **extra,
):
    if kind == UnitKind.SHIYE and not cls:
        cls = InstitutionClass.GY1
    if parent is not None and rank == UnitRank.ZHENGKE and parent.rank != UnitRank.ZHENGKE:
        rank = parent.rank
    spec = UnitSpec(
        name=name,
        system_category=extra.pop("system_category", SystemCategory.ZHENGFU),
        kind=kind,
        nature=UnitNature.SHIYE if kind == UnitKind.SHIYE else UnitNature.XINGZHENG,
        rank=rank,
        parent=parent,
        institution_class=cls,
        is_zhengfa=zhengfa,
        **extra,
    )
    return unit_create(actor=None, spec=spec, document=doc(day), effective_date=day)


def make_user(username: str, *roles, scope_unit=None, scope_county: bool = False, password: str = PASSWORD):
    user = user_create(actor=None, username=username, password=password, full_name=username)
    if roles:
        user = user_set_access(
            actor=None, user=user, roles=list(roles), scope_unit=scope_unit, scope_county=scope_county
        )
    return user
