import datetime as dt
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bianzhi.core.ids import (
    USCC_CHARSET,
    id_check_digit,
    mask_id_number,
    normalize_code,
    upgrade_id15,
    validate_id_number,
    validate_org_code,
    validate_uscc,
)
from bianzhi.demo.codes import id_number, uscc

pytestmark = pytest.mark.no_database
TODAY = dt.date(2026, 11, 28)


def codes(check):
    return [e.code for e in check.errors]


# ---------------------------------------------------------------- 公民身份号码


@pytest.mark.parametrize("value", ["11010519491231002X", "440524188001010014", "513101198201130014"])
def test_published_id_numbers_are_valid(value):
    check = validate_id_number(value, today=TODAY)
    assert check.valid and check.normalized == value


def test_id_details_give_birth_date_gender_and_region():
    details = validate_id_number("11010519491231002X", today=TODAY).details
    assert details["birth_date"] == "1949-12-31"
    assert details["gender"] == "female" and details["gender_label"] == "女"
    assert details["region_code"] == "110105" and details["province"] == "北京市"
    assert validate_id_number("440524188001010014", today=TODAY).details["gender"] == "male"


def test_fifteen_digit_number_is_upgraded_with_a_warning():
    check = validate_id_number("110105491231002", today=TODAY)
    assert check.valid and check.normalized == "11010519491231002X"
    assert [w.code for w in check.warnings] == ["id.upgraded"]


def test_full_width_digits_lower_case_x_and_spaces_are_normalised():
    check = validate_id_number(" １１０１０５１９４９１２３１００２ｘ　", today=TODAY)
    assert check.valid and check.normalized == "11010519491231002X"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "id.empty"),
        ("1101051949123100", "id.length"),
        ("11010519491231002Y", "id.characters"),
        ("1101051949123100XX", "id.characters"),
        ("110105194912310021", "id.check_digit"),
        ("110105194902300028", "id.birth_date"),
    ],
)
def test_bad_id_numbers_are_refused_with_a_stable_code_and_chinese_message(value, code):
    check = validate_id_number(value, today=TODAY)
    assert not check.valid
    assert code in codes(check)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in e.message) for e in check.errors)


def test_check_digit_error_says_what_it_should_be():
    (error,) = validate_id_number("110105194912310021", today=TODAY).errors
    assert "应为 X" in error.message


def test_future_birth_date_is_refused():
    first17 = "11010520270101001"
    check = validate_id_number(first17 + id_check_digit(first17), today=TODAY)
    assert codes(check) == ["id.future_birth"]


@pytest.mark.parametrize("value", ["000000199001010018", "990105194912310023", "201234199001010010"])
def test_a_number_whose_first_two_digits_are_no_province_is_invalid(value):
    check = validate_id_number(value, today=TODAY)
    assert not check.valid and not check.warnings
    message = f"地址码 {value[:6]} 的前两位 {value[:2]} 不是省级行政区划代码（GB/T 2260），请核对号码。"
    assert [(e.code, e.message) for e in check.errors] == [("id.unknown_province", message)]


def test_an_old_fifteen_digit_number_outside_every_province_is_invalid_too():
    check = validate_id_number("990105491231002", today=TODAY)
    assert codes(check) == ["id.unknown_province"]


@pytest.mark.parametrize(
    ("value", "province"),
    [
        ("810000199001010019", "香港特别行政区"),
        ("820000199001010029", "澳门特别行政区"),
        ("830000199001010039", "台湾地区（居住证）"),  # 港澳台居民居住证 numbers
        ("610999199001010012", "陕西省"),  # the demo county's made-up code, in a real province
    ],
)
def test_residence_permits_and_made_up_counties_of_real_provinces_are_valid(value, province):
    check = validate_id_number(value, today=TODAY)
    assert check.valid and check.details["province"] == province


def test_masking_hides_the_birth_date():
    assert mask_id_number("11010519491231002X") == "110105********002X"


generated_ids = st.builds(
    lambda seed, male, birth: id_number(random.Random(seed), region_code="610999", birth=birth, male=male),
    st.integers(0, 2**32),
    st.booleans(),
    st.dates(dt.date(1930, 1, 1), dt.date(2008, 12, 31)),
)


@given(generated_ids)
def test_generated_ids_validate_and_round_trip(value):
    check = validate_id_number(value, today=TODAY)
    assert check.valid, check.errors
    assert validate_id_number(check.normalized, today=TODAY).normalized == check.normalized


@given(generated_ids, st.integers(0, 16), st.integers(1, 9))
def test_any_single_digit_change_is_detected(value, position, delta):
    changed = value[:position] + str((int(value[position]) + delta) % 10) + value[position + 1 :]
    check = validate_id_number(changed, today=TODAY)
    assert not check.valid


@given(st.dates(dt.date(1900, 1, 1), dt.date(1999, 12, 31)), st.integers(0, 999))
def test_upgrading_a_15_digit_number_keeps_the_birth_date(birth, sequence):
    id15 = f"610999{birth:%y%m%d}{sequence:03d}"
    check = validate_id_number(id15, today=TODAY)
    assert check.valid and check.normalized == upgrade_id15(id15)
    assert check.details["birth_date"] == birth.isoformat()


@given(st.text(max_size=30))
def test_validation_never_raises_on_any_text(text):
    for validate in (validate_id_number, validate_uscc, validate_org_code):
        result = validate(text).as_dict()
        assert result["valid"] == (not result["errors"])


# ---------------------------------------------------------------- 统一社会信用代码


@pytest.mark.parametrize(
    "value",
    [
        "123600004910159513",
        "914403001922038216",
        "9144030071526726XG",
        "91330100799655058B",
        "91350100M000100Y43",
        "1133012200256781X0",
        "12330122470001235B",
        "12330122MB1634A25K",
        "13330122004112368Q",
        "19330122571234564A",
    ],
)
def test_published_and_fixture_usccs_are_valid(value):
    check = validate_uscc(value)
    assert check.valid and not check.warnings, (check.errors, check.warnings)


def test_uscc_details():
    details = validate_uscc("12330122470001235B").details
    assert details["authority"] == "机构编制" and details["category"] == "事业单位"
    assert details["region_code"] == "330122" and details["org_code"] == "47000123-5"


def test_lower_case_uscc_is_normalised():
    assert validate_uscc("12330122mb1634a25k").normalized == "12330122MB1634A25K"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("91350100M000100Y4Z", "uscc.characters"),
        ("91350100M000100Y44", "uscc.check_character"),
        ("1233012247000123", "uscc.length"),
        ("1433012247000123" + "5B", "uscc.category"),
    ],
)
def test_bad_usccs_are_refused(value, code):
    assert code in codes(validate_uscc(value))


def test_unknown_authority_category_pair_is_an_error_even_with_a_correct_check_character():
    first17 = "15330122470001235"
    from bianzhi.core.ids import uscc_check_char

    check = validate_uscc(first17 + uscc_check_char(first17))
    assert codes(check) == ["uscc.category"]


@pytest.mark.parametrize("region_code", ["000000", "990000", "830000", "201234"])
def test_a_uscc_registered_outside_every_province_is_invalid(region_code):
    from bianzhi.core.ids import uscc_check_char

    first17 = f"12{region_code}470001235"
    check = validate_uscc(first17 + uscc_check_char(first17))
    assert [(e.code, e.message) for e in check.errors] == [
        (
            "uscc.unknown_province",
            f"第 3–8 位登记管理机关行政区划码 {region_code} 的前两位 {region_code[:2]} 不是省级行政区划代码"
            "（GB/T 2260），也不是中央登记管理机关的 10，请核对代码。",
        )
    ]


def test_a_uscc_of_a_central_registration_authority_is_valid():
    check = validate_uscc("11100000000013127D")  # 公安部: registered at the centre, region code 100000
    assert check.valid and check.details["province"] == "中央"
    assert validate_uscc("12330122470001235B").details["province"] == "浙江省"


def test_legacy_organisation_code_is_only_a_warning():
    from bianzhi.core.ids import uscc_check_char

    first17 = "12330122470001236"  # GB 11714 check of 47000123 is 5, not 6
    check = validate_uscc(first17 + uscc_check_char(first17))
    assert check.valid
    assert [w.code for w in check.warnings] == ["uscc.org_code_check"]


generated_usccs = st.builds(
    lambda seed, category: uscc(random.Random(seed), region_code="610999", category=category),
    st.integers(0, 2**32),
    st.sampled_from("123"),
)


@given(generated_usccs, st.integers(0, 16), st.integers(1, 30))
def test_any_single_character_change_of_a_uscc_is_detected(value, position, delta):
    changed_char = USCC_CHARSET[(USCC_CHARSET.index(value[position]) + delta) % 31]
    changed = value[:position] + changed_char + value[position + 1 :]
    assert not validate_uscc(changed).valid


@given(generated_usccs)
def test_generated_usccs_are_valid(value):
    check = validate_uscc(value)
    assert check.valid and not check.warnings


# ---------------------------------------------------------------- 组织机构代码


def test_org_code_with_hyphen():
    check = validate_org_code("42660260-7")
    assert check.valid and check.normalized == "426602607"


@pytest.mark.parametrize(("value", "code"), [("42660260-8", "org.check_character"), ("4266026", "org.length")])
def test_bad_org_codes(value, code):
    assert codes(validate_org_code(value)) == [code]


def test_normalize_code_handles_full_width_letters():
    assert normalize_code("ａｂ－１") == "AB-1"
