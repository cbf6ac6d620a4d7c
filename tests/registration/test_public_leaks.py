"""No public page gives away a person's ID number, mobile number or birth date. The register's legal representatives
are persons of the roster too, with ID numbers and phones on file; every page of the public URL configurations
(``registration_public`` and ``disclosure``, walked, so a page added later is requested too) is fetched with real
arguments and searched for them, and for anything shaped like one."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from bianzhi.disclosure import urls as disclosure_urls
from bianzhi.registration import public_urls
from bianzhi.registration.public_views import LISTS
from bianzhi.roster import staffing
from tests.disclosure.test_public import hire, workbook_text
from tests.registration.support import build_register
from tests.roster.support import approved, give_slots

pytestmark = pytest.mark.django_db

# 18 characters, the 17 first digits, standing alone (a USCC is 18 characters of digits and capitals too: told
# apart by the birth date an ID number carries at positions 7 to 14)
ID_SHAPED = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# (name, birth, phone): the legal representatives of the register and a colleague
PEOPLE = [
    ("周敏", dt.date(1984, 7, 9), "13812345678"),
    ("吴芳", dt.date(1991, 11, 23), "15900001111"),
    ("孙立", dt.date(1975, 2, 28), "18688886666"),
    ("钱进", dt.date(1968, 12, 1), "17712340000"),
]


def _has_birth_date(candidate: str) -> bool:
    try:
        born = dt.date(int(candidate[6:10]), int(candidate[10:12]), int(candidate[12:14]))
    except ValueError:
        return False
    return dt.date(1900, 1, 1) <= born <= timezone.localdate()


@pytest.fixture
def world(county):
    register = build_register()
    units = [register.library.unit, register.library.unit, register.museum.unit, register.secret.unit]
    secrets = []
    for unit in dict.fromkeys(units):
        give_slots(unit, 2, type_code="SY")
    for unit, (name, birth, phone) in zip(units, PEOPLE, strict=True):
        slot = staffing.Slot(approval=approved(unit, 1, type_code="SY", today=dt.date(2022, 2, 1)))
        occupancy, number, _birth = hire(slot, name, birth=birth, phone=phone, position="馆长")
        secrets.append((number, occupancy.person.id_masked, birth, phone))
    return register, secrets


def _samples(register) -> list[dict]:
    """URL arguments by the names the public URL patterns use: each pattern is requested with every sample whose
    names are exactly its parameters."""
    institutions = [register.library, register.museum, register.secret]
    certificates = [c for institution in institutions for c in institution.certificates.all()]
    return [
        {},
        *({"pk": institution.unit_id} for institution in institutions),
        *({"pk": institution.unit.parent_id} for institution in institutions),
        *({"uscc": institution.uscc} for institution in institutions),
        *({"uscc": c.institution.uscc, "serial": c.serial} for c in certificates),
        *({"which": which} for which in LISTS),
    ]


def _public_urls(register, queries: list[str]) -> list[str]:
    samples, urls = _samples(register), []
    for namespace, module in (("registration_public", public_urls), ("disclosure", disclosure_urls)):
        for pattern in module.urlpatterns:
            names = set(pattern.pattern.converters)
            chosen = [sample for sample in samples if set(sample) == names]
            assert chosen, f"{namespace}:{pattern.name} 的参数 {sorted(names)} 没有样例，请在 _samples 中补上"
            for kwargs in chosen:
                url = reverse(f"{namespace}:{pattern.name}", kwargs=kwargs)
                urls += [url, *(f"{url}?q={query}" for query in queries)]
    return urls


def _text(response) -> str:
    if response["Content-Type"] == XLSX:
        return workbook_text(response.content)
    return response.content.decode()


def test_no_public_page_shows_an_id_number_a_mobile_number_or_a_birth_date(world, client, settings):
    settings.BIANZHI_PUBLIC_PAGES_PER_MINUTE = 0
    settings.BIANZHI_PUBLIC_DOWNLOADS_PER_MINUTE = 0
    register, secrets = world
    # searching by a secret finds nothing and shows nothing more than the query typed
    queries = ["周敏", "zm", register.library.uscc]
    urls = _public_urls(register, queries)
    assert len(urls) > 20
    seen = 0
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        seen += response.status_code == 200
        text = _text(response)
        for number, masked, birth, phone in secrets:
            for secret in (number, masked, phone, birth.isoformat(), f"{birth.year}年{birth.month}月{birth.day}日"):
                assert secret not in text, (url, secret)
        assert not [m for m in ID_SHAPED.findall(text) if _has_birth_date(m)], url
        assert not MOBILE.findall(text), url
    assert seen > 15  # the samples reach real pages, not only 404s
    # the names are published: the legal representative on the register, the persons on the 实名制公示
    assert "周敏" in _text(
        client.get(
            reverse(
                "registration_public:certificate_verify",
                args=[register.original.institution.uscc, register.original.serial],
            )
        )
    )


def test_the_patterns_recognise_what_they_look_for(world):
    _register, secrets = world
    number, _masked, _birth, phone = secrets[0]
    assert [m for m in ID_SHAPED.findall(f"号码 {number}。") if _has_birth_date(m)] == [number]
    assert not [m for m in ID_SHAPED.findall(f"代码 {_register.library.uscc}") if _has_birth_date(m)]
    assert MOBILE.findall(f"电话：{phone}") == [phone]
