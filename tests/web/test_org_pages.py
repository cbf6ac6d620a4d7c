"""Register and ledger pages through the Django test client: what each role sees and what forms do."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bianzhi.accounts.roles import Role
from bianzhi.orgs import selectors as org_selectors
from bianzhi.orgs.models import Unit
from bianzhi.quotas.models import AccountKind, FundingForm, Movement, MovementKind
from bianzhi.quotas.services import county_account, movement_post, unit_account
from tests.factories import doc, make_unit, make_user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def county():
    finance = make_unit("锦绣县财政局", uscc="11610999MB0000001C")
    audit = make_unit("锦绣县审计局")
    school = make_unit("锦绣县第一中学", make_unit("锦绣县教育局"), kind="SHIYE")
    movement_post(
        actor=None,
        kind=MovementKind.HEZENG,
        from_account=county_account(AccountKind.AUTHORITY, "XZ"),
        to_account=county_account(AccountKind.POOL, "XZ"),
        amount=50,
        effective_date=dt.date(2020, 1, 1),
        document=doc(),
    )
    movement_post(
        actor=None,
        kind=MovementKind.HEZENG,
        from_account=county_account(AccountKind.POOL, "XZ"),
        to_account=unit_account(finance, "XZ", FundingForm.QE),
        amount=10,
        effective_date=dt.date(2021, 1, 1),
        document=doc(dt.date(2021, 1, 1)),
    )
    return {"finance": finance, "audit": audit, "school": school}


@pytest.fixture
def bianban(client):
    user = make_user("bianban", Role.BIANBAN_ADMIN, scope_county=True)
    client.force_login(user)
    return user


def test_unit_search_forgives_pinyin_initials_and_uscc(client, county, bianban):
    for query in ("jxxczj", "caizheng", "财政", "11610999mb0000001c"):
        html = client.get(reverse("orgs:unit_list"), {"q": query}).content.decode()
        assert "锦绣县财政局" in html, query
        assert "锦绣县审计局" not in html


@pytest.mark.parametrize("query", ["MB0000001", "mb0000001c", "11610999", "A0", "a01", "0101"])
def test_unit_search_finds_part_of_a_uscc_or_a_code(client, county, bianban, query):
    Unit.objects.filter(pk=county["finance"].pk).update(code="A0101")
    Unit.objects.filter(pk=county["audit"].pk).update(code="B0200")
    html = client.get(reverse("orgs:unit_list"), {"q": query}).content.decode()
    assert "锦绣县财政局" in html, query
    assert "锦绣县审计局" not in html, query
    options = client.get(reverse("orgs:unit_options"), {"q": query}).content.decode()
    assert "锦绣县财政局" in options, query


def test_the_bianban_keeps_a_unit_off_the_public_pages_from_its_page(client, county, bianban):
    finance, url = county["finance"], reverse("orgs:unit_change", args=[county["finance"].pk, "disclosure"])
    sub = make_unit("锦绣县财政局票据中心", finance, kind="XIASHE")
    html = client.get(reverse("orgs:unit_detail", args=[finance.pk])).content.decode()
    assert url in html and "实名制公示设置" in html
    form = client.get(url).content.decode()
    assert "当前：公示" in form and 'name="effective_date"' not in form

    fields = {"disclosed": "0", "doc_number": "锦编发〔2026〕88号", "doc_title": "关于涉密单位不予公示的批复"}
    fields |= {"doc_issued_on": "2026-01-05", "doc_issuer": "县编委"}
    refused = client.post(url, {**fields, "reason": " "}).content.decode()
    assert "请填写不予公示的理由" in refused and 'class="invalid-feedback d-block">请填写不予公示的理由' in refused
    assert not Unit.objects.get(pk=finance.pk).disclosure_withheld

    response = client.post(url, {**fields, "reason": "涉密单位"})
    assert response.status_code == 302
    info = client.get(reverse("orgs:unit_detail", args=[finance.pk])).content.decode()
    assert "不公示" in info and "理由：涉密单位，依据：锦编发〔2026〕88号" in info
    below = client.get(reverse("orgs:unit_detail", args=[sub.pk])).content.decode()
    assert "（随上级机构「锦绣县财政局」）" in below and "理由：涉密单位" in below
    documents = client.get(reverse("orgs:unit_detail", args=[finance.pk]), {"tab": "documents"}).content.decode()
    assert "关于涉密单位不予公示的批复" in documents
    assert "当前：不予公示（理由：涉密单位）" in client.get(url).content.decode()


def test_unit_ledger_as_of_a_past_date(client, county, bianban):
    url = reverse("orgs:unit_detail", args=[county["finance"].pk])
    now = client.get(url, {"tab": "ledger"}).content.decode()
    before = client.get(url, {"tab": "ledger", "as_of": "2020-06-30"}).content.decode()
    assert '<td class="num">10</td>' in now
    assert "该日期未核定编制" in before


def test_bad_as_of_date_is_a_chinese_400(client, county, bianban):
    response = client.get(reverse("orgs:unit_detail", args=[county["finance"].pk]), {"as_of": "2026-13-45"})
    assert response.status_code == 400
    assert "日期「2026-13-45」无效" in response.content.decode()


def test_unknown_unit_is_a_chinese_404(client, bianban):
    response = client.get(reverse("orgs:unit_detail", args=[999999]))
    assert response.status_code == 404 and "未找到该机构" in response.content.decode()


def test_unit_operator_sees_only_their_subtree(client, county):
    client.force_login(make_user("jiaoyu", Role.UNIT_OPERATOR, scope_unit=county["school"].parent))
    assert client.get(reverse("orgs:unit_detail", args=[county["school"].pk])).status_code == 200
    response = client.get(reverse("orgs:unit_detail", args=[county["finance"].pk]))
    assert response.status_code == 403 and "该数据不在您的管理范围内" in response.content.decode()
    listing = client.get(reverse("orgs:unit_list"), {"q": "锦绣县"}).content.decode()
    assert "锦绣县第一中学" in listing and "锦绣县财政局" not in listing
    assert client.get(reverse("quotas:movement_new")).status_code == 403


def _movement_post_data(**overrides):
    data = {
        "kind": MovementKind.HUAZHUAN,
        "quota_type": "XZ",
        "from_kind": "UNIT",
        "from_unit": "锦绣县财政局",
        "from_funding": "QE",
        "to_kind": "UNIT",
        "to_unit": "shenji",
        "to_funding": "QE",
        "amount": "3",
        "effective_date": TODAY.isoformat(),
        "doc_number": "锦编发(2026)7号",
        "doc_title": "关于调整编制的通知",
        "doc_issued_on": TODAY.isoformat(),
        "doc_issuer": "县编委",
        "reason": "职能调整",
    }
    return {**data, **overrides}


def test_movement_preview_shows_the_change_and_posts_nothing(client, county, bianban):
    response = client.post(reverse("quotas:movement_preview"), _movement_post_data(to_unit="锦绣县审计局"))
    html = response.content.decode()
    assert "将从锦绣县财政局（全额拨款）划转 3 名行政编制至锦绣县审计局（全额拨款）" in html
    assert Movement.objects.filter(kind=MovementKind.HUAZHUAN).count() == 0


def test_movement_form_posts_with_a_normalised_document_number(client, county, bianban):
    response = client.post(reverse("quotas:movement_new"), _movement_post_data(to_unit="锦绣县审计局"))
    assert response.status_code == 302
    movement = Movement.objects.get(kind=MovementKind.HUAZHUAN)
    assert movement.document.number == "锦编发〔2026〕7号"
    assert movement.to_account.unit == county["audit"]


def test_ambiguous_or_unknown_unit_names_are_explained(client, county, bianban):
    html = client.post(reverse("quotas:movement_preview"), _movement_post_data(to_unit="锦绣县")).content.decode()
    assert "对应多个机构" in html
    html = client.post(reverse("quotas:movement_preview"), _movement_post_data(to_unit="不存在局")).content.decode()
    assert "没有找到与「不存在局」相符的现行机构" in html


def test_refused_movement_keeps_the_form_and_says_why(client, county, bianban):
    response = client.post(reverse("quotas:movement_new"), _movement_post_data(to_unit="锦绣县审计局", amount="11"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "只有 10 名，不足以划出 11 名" in html and "quotas.insufficient" in html
    assert not Movement.objects.filter(kind=MovementKind.HUAZHUAN).exists()


def test_create_rename_and_merge_units_through_forms(client, county, bianban):
    form = {
        "effective_date": TODAY.isoformat(),
        "doc_number": "锦编发〔2026〕20号",
        "doc_title": "关于机构调整的通知",
        "doc_issued_on": TODAY.isoformat(),
        "doc_issuer": "县编委",
    }
    response = client.post(
        reverse("orgs:unit_create"),
        {
            **form,
            "name": "锦绣县数据局",
            "system_category": "ZHENGFU",
            "kind": "JIGUAN",
            "nature": "XINGZHENG",
            "rank": "ZHENGKE",
        },
    )
    assert response.status_code == 302
    new = Unit.objects.get(name="锦绣县数据局")
    response = client.post(
        reverse("orgs:unit_change", args=[new.pk, "rename"]), {**form, "name": "锦绣县数据和政务服务局"}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("orgs:unit_change", args=[county["finance"].pk, "merge"]),
        {**form, "successor": "锦绣县数据和政务服务局", "confirm": "on"},
    )
    assert response.status_code == 302
    finance = Unit.objects.get(pk=county["finance"].pk)
    assert finance.status == "MERGED" and finance.successor.name == "锦绣县数据和政务服务局"
    page = client.get(reverse("orgs:unit_detail", args=[finance.successor.pk]), {"tab": "ledger"}).content.decode()
    assert '<td class="num">10</td>' in page


def test_merge_without_confirmation_is_refused(client, county, bianban):
    response = client.post(
        reverse("orgs:unit_change", args=[county["finance"].pk, "merge"]),
        {
            "effective_date": TODAY.isoformat(),
            "doc_number": "锦编发〔2026〕21号",
            "doc_title": "通知",
            "doc_issued_on": TODAY.isoformat(),
            "doc_issuer": "县编委",
            "successor": "锦绣县审计局",
        },
    )
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
    assert Unit.objects.get(pk=county["finance"].pk).status == "ACTIVE"


def test_county_totals_and_journal(client, county, bianban):
    html = client.get(reverse("quotas:county_totals")).content.decode()
    assert "上级核定总额" in html and '<td class="num">50</td>' in html
    journal = client.get(reverse("quotas:movement_list")).content.decode()
    assert "核增" in journal and "冲正" in journal


def test_the_journal_reads_a_page_in_the_same_few_queries_however_many_movements(client, county, bianban):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("quotas:movement_list")).status_code == 200
        return len(captured)

    queries()  # what a first request reads once (the installation, the quota type names)
    few = queries()
    for unit in (county["audit"], county["finance"]):
        movement_post(
            actor=None,
            kind=MovementKind.HEZENG,
            from_account=county_account(AccountKind.POOL, "XZ"),
            to_account=unit_account(unit, "XZ", FundingForm.QE),
            amount=1,
            effective_date=dt.date(2022, 1, 1),
            document=doc(dt.date(2022, 1, 1)),
        )
    assert queries() == few


@pytest.mark.parametrize("role", [Role.UNIT_OPERATOR, Role.BIANBAN_OPERATOR, Role.OVERSIGHT])
def test_accounts_limited_to_a_subtree_see_their_totals_not_the_countys(client, county, role):
    """上级核定总额 (50), 县机动编制 (40) and the turnover pool are the county's figures, not a unit's."""
    client.force_login(make_user("caizheng", role, scope_unit=county["finance"]))
    for url in (reverse("quotas:county_totals"), reverse("home")):
        html = client.get(url).content.decode()
        for word in ("上级核定总额", "县机动", "周转池", "全县", '<td class="num">50</td>', '<td class="num">40</td>'):
            assert word not in html, (url, word)
    html = client.get(reverse("quotas:county_totals")).content.decode()
    assert "锦绣县财政局及下属单位 · 编制总量" in html and '<td class="num">10</td>' in html


def test_a_county_wide_reader_sees_the_county_totals(client, county):
    client.force_login(make_user("jiancha", Role.OVERSIGHT, scope_county=True))
    html = client.get(reverse("quotas:county_totals")).content.decode()
    assert "上级核定总额" in html and '<td class="num">50</td>' in html and '<td class="num">40</td>' in html


def test_reversal_form(client, county, bianban):
    movement = Movement.objects.filter(to_account__unit=county["finance"]).get()
    response = client.post(
        reverse("quotas:movement_reverse", args=[movement.pk]),
        {
            "doc_number": "锦编发〔2026〕30号",
            "doc_title": "关于更正的通知",
            "doc_issued_on": TODAY.isoformat(),
            "doc_issuer": "县编委",
            "reason": "登记错误",
        },
    )
    assert response.status_code == 302
    assert Movement.objects.filter(reverses=movement).exists()
    again = client.post(
        reverse("quotas:movement_reverse", args=[movement.pk]),
        {
            "doc_number": "锦编发〔2026〕30号",
            "reason": "再次冲正",
        },
    )
    assert "该业务已被冲正，不能重复冲正" in again.content.decode()


def test_a_reversed_movement_offers_no_second_reversal(client, county, bianban):
    movement = Movement.objects.filter(to_account__unit=county["finance"]).get()
    reverse_url = reverse("quotas:movement_reverse", args=[movement.pk])
    assert f'href="{reverse_url}"' in client.get(reverse("quotas:movement_list")).content.decode()
    client.post(
        reverse_url,
        {
            "doc_number": "锦编发〔2026〕31号",
            "doc_title": "关于更正的通知",
            "doc_issued_on": TODAY.isoformat(),
            "doc_issuer": "县编委",
            "reason": "登记错误",
        },
    )
    reversal = Movement.objects.get(reverses=movement)
    journal = client.get(reverse("quotas:movement_list")).content.decode()
    assert f'href="{reverse_url}"' not in journal and "已冲正" in journal
    link = f"{reverse('quotas:movement_list')}?q=%E9%94%A6%E7%BC%96%E5%8F%91%E3%80%942026%E3%80%9531%E5%8F%B7"
    assert f'href="{link}#movement-{reversal.pk}"' in journal and f'id="movement-{reversal.pk}"' in journal
    page = client.get(reverse_url).content.decode()
    assert "该业务已被冲正，不能重复冲正" in page and "确认冲正" not in page and "已冲正" in page


def test_new_sanding_version_from_the_form_and_its_diff(client, county, bianban):
    unit = county["finance"]
    form = {
        "effective_date": TODAY.isoformat(),
        "doc_number": "锦编发〔2026〕40号",
        "doc_title": "三定规定",
        "doc_issued_on": TODAY.isoformat(),
        "doc_issuer": "县委办公室",
    }
    first = {
        **form,
        "duties": "负责财政预算。\n负责国库管理。",
        "bodies": "预算股：编制预算\n国库股：国库集中支付",
        "staffing_xz": "10",
        "leaders_main": "1",
        "leaders_deputy": "2",
    }
    assert client.post(reverse("orgs:sanding_new", args=[unit.pk]), first).status_code == 302
    second = {
        **first,
        "doc_number": "锦编发〔2026〕41号",
        "duties": "负责财政预算。\n负责政府采购监督。",
        "bodies": "预算股：编制预算",
        "staffing_xz": "12",
    }
    assert client.post(reverse("orgs:sanding_new", args=[unit.pk]), second).status_code == 302
    html = client.get(reverse("orgs:unit_detail", args=[unit.pk]), {"tab": "sanding"}).content.decode()
    assert "第 1 版 → 第 2 版的变化" in html
    assert "＋ 负责政府采购监督。" in html and "－ 负责国库管理。" in html
    assert "－ 内设机构 国库股" in html and "XZ：10 → 12" in html


def test_leadership_posts_form_refuses_gaopei_without_the_flag(client, county, bianban):
    unit = county["audit"]
    form = {
        "kind": "HEDING",
        "level": "ZHENG",
        "grade": "ZHENGCHU",
        "amount": "1",
        "effective_date": TODAY.isoformat(),
        "doc_number": "锦编发〔2026〕50号",
        "doc_title": "领导职数",
        "doc_issued_on": TODAY.isoformat(),
        "doc_issuer": "县编委",
    }
    refused = client.post(reverse("quotas:post_movement_new", args=[unit.pk]), form)
    assert "属于高配" in refused.content.decode()
    accepted = client.post(reverse("quotas:post_movement_new", args=[unit.pk]), {**form, "is_gaopei": "on"})
    assert accepted.status_code == 302
    html = client.get(reverse("orgs:unit_detail", args=[unit.pk]), {"tab": "ledger"}).content.decode()
    assert "正处级正职" in html


def test_an_account_without_roles_sees_no_journal_even_with_a_county_scope(county):
    from bianzhi.accounts.services import user_set_access
    from bianzhi.quotas.selectors import movements_visible_to

    user = make_user("former", Role.OVERSIGHT, scope_county=True)
    assert movements_visible_to(user).exists()
    user = user_set_access(actor=None, user=user, roles=[], scope_county=True)
    assert not movements_visible_to(user).exists()


def test_unit_scoped_operator_cannot_create_a_top_level_unit(county):
    from bianzhi.core.errors import BianzhiError
    from bianzhi.orgs.services import UnitSpec, unit_create

    operator = make_user("scoped", Role.BIANBAN_OPERATOR, scope_unit=county["finance"])
    spec = UnitSpec(name="锦绣县新局", system_category="ZHENGFU", kind="JIGUAN", nature="XINGZHENG", rank="ZHENGKE")
    with pytest.raises(BianzhiError) as caught:
        unit_create(actor=operator, spec=spec, document=doc(), effective_date=dt.date(2020, 1, 1))
    assert caught.value.code == "orgs.top_level_needs_county"
    assert not Unit.objects.filter(name="锦绣县新局").exists()


def test_over_long_names_are_refused_in_chinese_not_by_the_database(county):
    from bianzhi.core.errors import BianzhiError
    from bianzhi.orgs.services import UnitSpec, unit_create

    spec = UnitSpec(name="局" * 201, system_category="ZHENGFU", kind="JIGUAN", nature="XINGZHENG", rank="ZHENGKE")
    with pytest.raises(BianzhiError) as caught:
        unit_create(actor=None, spec=spec, document=doc(), effective_date=dt.date(2020, 1, 1))
    assert caught.value.code == "orgs.too_long" and "200" in caught.value.message


def test_the_unit_tree_shows_its_top_level_a_page_at_a_time(client, county, bianban, monkeypatch):
    """A province database has thousands of top-level units: the tree lists them a page at a time."""
    monkeypatch.setattr(org_selectors, "ROOTS_PER_PAGE", 2)
    roots = {"锦绣县财政局", "锦绣县审计局", "锦绣县教育局"}

    def listed(page: int) -> tuple[set[str], str]:
        html = client.get(reverse("orgs:unit_list"), {"page": page}).content.decode()
        return {name for name in roots if f">{name}<" in html}, html

    first, html = listed(1)
    assert len(first) == 2 and "第 1 / 2 页" in html
    second, html = listed(2)
    assert second == roots - first and "第 2 / 2 页" in html
    assert "锦绣县第一中学" not in html  # sub-units open from their parent, not listed at the top
