import pytest
from django.contrib.auth.hashers import get_hasher

from bianzhi.accounts.services import user_change_password, user_create
from bianzhi.core.errors import BianzhiError
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("Ab1#", "至少"),
        ("abcdefgh1", "至少 3 类"),
        ("ABCDEFGH", "至少 3 类"),
        ("zhangsan#1A", "用户名"),
    ],
)
def test_weak_passwords_are_refused_in_chinese(password, fragment):
    with pytest.raises(BianzhiError) as caught:
        user_create(actor=None, username="zhangsan", password=password)
    assert caught.value.code == "accounts.weak_password"
    assert fragment in caught.value.message


def test_three_of_four_classes_is_enough():
    user = user_create(actor=None, username="lisi", password="lower+digit9")
    assert user.check_password("lower+digit9")


def test_last_five_passwords_cannot_be_reused():
    user = make_user("wangwu")
    history = [PASSWORD, "Second#Pass2", "Third#Pass3", "Fourth#Pass4", "Fifth#Pass5"]
    for new in history[1:]:
        user_change_password(actor=user, user=user, new_password=new)
    for old in history:
        with pytest.raises(BianzhiError) as caught:
            user_change_password(actor=user, user=user, new_password=old)
        assert "最近 5 次" in caught.value.message
    user_change_password(actor=user, user=user, new_password="Sixth#Pass6")
    # the original password is now six changes old and may be used again
    user_change_password(actor=user, user=user, new_password=PASSWORD)
    assert user.password_history.count() == 5


def test_another_user_cannot_change_my_password():
    me, other = make_user("me"), make_user("other")
    with pytest.raises(BianzhiError) as caught:
        user_change_password(actor=other, user=me, new_password="Brand#New99")
    assert caught.value.code == "common.permission_denied"
    me.refresh_from_db()
    assert me.check_password(PASSWORD)


@pytest.mark.argon2
def test_passwords_are_hashed_with_argon2():
    user = make_user("hashed")
    assert user.password.startswith("argon2$")
    assert get_hasher("default").algorithm == "argon2"
