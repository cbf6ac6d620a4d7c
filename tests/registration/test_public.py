"""The published legal-person register, no login: search by name, pinyin, initials or code; an institution's items,
certificates, credit and history of changes; the page a certificate's QR code opens (有效, 已作废, 已过期, 查无此证书);
the 异常名录 and 黑名单 with their removals; a per-client limit; and nothing of a withheld unit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from bianzhi.accounts.roles import Role
from bianzhi.orgs.choices import UnitKind
from bianzhi.registration.credit import credit_record
from bianzhi.registration.models import Certificate
from tests.factories import doc, make_unit, make_user
from tests.registration.support import CHANGED, REISSUED, START, build_register, register

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def published(county):
    return build_register()


def _search(client, query: str = "", **params) -> str:
    response = client.get(reverse("registration_public:institution_search"), {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def _verify(client, certificate: Certificate):
    return client.get(
        reverse("registration_public:certificate_verify", args=[certificate.institution.uscc, certificate.serial])
    )


def _detail(client, uscc: str):
    return client.get(reverse("registration_public:institution_detail", args=[uscc]))


# ---------------------------------------------------------------- refusals first


def test_unknown_codes_serials_and_lists_are_a_chinese_404(published, client):
    response = _detail(client, "123301229999999999")
    assert response.status_code == 404
    assert "未找到统一社会信用代码为 123301229999999999 的事业单位法人公示信息" in response.content.decode()
    url = reverse("registration_public:certificate_verify", args=[published.library.uscc, "事证第000000000000000号"])
    response = client.get(url)
    assert response.status_code == 404
    assert "查无此证书" in response.content.decode()
    # a real serial under another institution's code is no certificate either
    url = reverse("registration_public:certificate_verify", args=[published.museum.uscc, published.copy.serial])
    assert client.get(url).status_code == 404
    response = client.get(reverse("registration_public:credit_list", args=["whitelist"]))
    assert response.status_code == 404 and "没有这份名录" in response.content.decode()


def test_the_public_pages_take_no_writes(published, client):
    response = client.post(reverse("registration_public:institution_search"), {"q": "图书馆"})
    assert response.status_code == 405


def test_a_withheld_units_institutions_are_not_published(published, client):
    assert "锦绣县公安信息中心" not in _search(client)
    assert "没有符合条件的事业单位法人" in _search(client, published.secret.uscc)
    assert _detail(client, published.secret.uscc).status_code == 404
    secret_certificate = published.secret.certificates.get()
    response = _verify(client, secret_certificate)
    assert response.status_code == 404 and "查无此证书" in response.content.decode()
    credit_record(
        actor=None, institution=published.secret, action="list", reason="未报送年度报告", document=doc(), day=TODAY
    )
    html = client.get(reverse("registration_public:credit_list", args=["abnormal"])).content.decode()
    assert "锦绣县博物馆" in html and "锦绣县公安信息中心" not in html and published.secret.uscc not in html


def test_too_many_requests_get_a_chinese_429(published, client, settings):
    settings.BIANZHI_PUBLIC_PAGES_PER_MINUTE = 3
    for _ in range(3):
        assert client.get(reverse("registration_public:institution_search")).status_code == 200
    response = _detail(client, published.library.uscc)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "同一地址每分钟只能查询有限次数" in response.content.decode()


# ---------------------------------------------------------------- search


@pytest.mark.parametrize("query", ["图书馆", "  图书 馆 ", "tsg", "TSG", "tushuguan", "jinxiuxiantushu"])
def test_search_by_name_pinyin_and_initials(published, client, query):
    html = _search(client, query)
    assert "锦绣县图书馆" in html and "锦绣县博物馆" not in html


def test_search_by_code_or_a_part_of_it(published, client):
    html = _search(client, published.museum.uscc.lower())
    assert "锦绣县博物馆" in html and "锦绣县图书馆" not in html
    assert "锦绣县博物馆" in _search(client, published.museum.uscc[-6:])
    assert "没有符合条件的事业单位法人" in _search(client, "不存在的单位")


def test_the_list_is_paginated_with_a_total(published, client):
    parent = make_unit("锦绣县卫生健康局", day=START)
    for number in range(22):
        register(make_unit(f"锦绣县第{number + 1}卫生院", parent, kind=UnitKind.SHIYE, day=START))
    first = _search(client, "卫生院")
    assert "共 22 个事业单位法人" in first and "第 1 页，共 2 页" in first
    second = _search(client, "卫生院", page=2)
    assert second.count("卫生院</a>") == 2


# ---------------------------------------------------------------- an institution


def test_an_institutions_page_shows_items_certificates_credit_and_changes(published, client):
    html = _detail(client, published.library.uscc).content.decode()
    for expected in (
        published.library.uscc,
        "锦绣县图书馆",
        "锦绣县新华路 18 号",
        "图书借阅、阅读推广。",
        "吴芳",
        "80.00 万元",
        "财政全额拨款",
        "锦绣县文化和旅游局",
        "已登记",
        "正常",
        published.reissued.serial,
        published.original.serial,
        "证书遗失，补领",
        "设立登记",
    ):
        assert expected in html, expected
    assert "已作废" in html and "有效" in html
    # the history says when and which items changed, not to what: the former legal representative is not named
    assert f"{CHANGED:%Y-%m-%d}</td><td>住所、法定代表人</td>" in html
    assert "周敏" not in html


def test_a_listed_institutions_page_shows_the_listing_with_date_and_reason(published, client):
    html = _detail(client, published.museum.uscc).content.decode()
    assert "列入异常名录" in html and f"{CHANGED:%Y-%m-%d} 起" in html and "未按规定报送年度报告" in html


# ---------------------------------------------------------------- verification


def test_verification_of_a_valid_certificate_shows_the_items_on_it(published, client):
    response = _verify(client, published.copy)
    html = response.content.decode()
    assert response.status_code == 200
    assert "有效" in html and published.copy.serial in html and "副本" in html
    assert "锦绣县新华路 18 号" in html and "吴芳" in html


def test_a_reprint_voids_the_old_serial_and_its_page_says_so(published, client):
    html = _verify(client, published.original).content.decode()
    assert "已作废" in html and f"已于 {REISSUED:%Y-%m-%d} 作废（证书遗失，补领）" in html
    assert "为有效证书" not in html
    html = _verify(client, published.reissued).content.decode()
    assert "为有效证书" in html and "已作废" not in html


def test_an_expired_certificate_says_so(published, client):
    Certificate.objects.filter(pk=published.copy.pk).update(valid_until=TODAY - dt.timedelta(days=1))
    html = _verify(client, published.copy).content.decode()
    assert "已过期" in html and "为有效证书" not in html


def test_the_staff_page_shows_the_void_certificate_with_its_reason_and_the_new_one(published, client):
    client.force_login(make_user("dengji", Role.REGISTRATION, scope_county=True))
    html = client.get(reverse("registration:institution_detail", args=[published.library.pk])).content.decode()
    assert published.original.serial in html and published.reissued.serial in html
    assert "证书遗失，补领" in html
    assert reverse("registration:certificate_pdf", args=[published.library.pk, published.reissued.pk]) in html


# ---------------------------------------------------------------- the lists


def _listed_after(client, which: str, published, action: str, reason: str) -> str:
    """The ``which`` list once the museum's credit took the step ``action`` today."""
    credit_record(
        actor=None, institution=published.museum, action=action, reason=reason, document=doc(TODAY), day=TODAY
    )
    return client.get(reverse("registration_public:credit_list", args=[which])).content.decode()


def test_the_abnormal_list_and_its_removals(published, client):
    url = reverse("registration_public:credit_list", args=["abnormal"])
    html = client.get(url).content.decode()
    assert "锦绣县博物馆" in html and "未按规定报送年度报告" in html and f"{CHANGED:%Y-%m-%d}" in html
    assert "没有移出记录" in html
    html = _listed_after(client, "abnormal", published, "remove", "已补报年度报告")
    assert "目前没有列入的单位" in html
    assert "锦绣县博物馆" in html and "已补报年度报告" in html and f"{TODAY:%Y-%m-%d}" in html


def test_the_blacklist(published, client):
    url = reverse("registration_public:credit_list", args=["blacklist"])
    assert "目前没有列入的单位" in client.get(url).content.decode()
    html = _listed_after(client, "blacklist", published, "blacklist", "列入异常名录满两年仍未整改")
    assert "锦绣县博物馆" in html and "列入异常名录满两年仍未整改" in html
    abnormal = client.get(reverse("registration_public:credit_list", args=["abnormal"])).content.decode()
    assert "锦绣县博物馆" not in abnormal


def test_the_public_home_links_to_the_register(published, client):
    html = client.get(reverse("disclosure:unit_list")).content.decode()
    assert reverse("registration_public:institution_search") in html
    html = _search(client)
    assert reverse("registration_public:credit_list", args=["abnormal"]) in html
    assert reverse("disclosure:unit_list") in html
