import re

import pytest
from django.db import transaction
from django.urls import reverse

from bianzhi.accounts.roles import Role
from bianzhi.demo.county import DemoSpec, build_demo
from tests.factories import make_user

pytestmark = pytest.mark.django_db
EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["'](?:https?:)?//""", re.IGNORECASE)


@pytest.fixture(scope="class")
def demo_county(django_db_setup, django_db_blocker):
    """The demo county, built once for the class inside a transaction rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo(DemoSpec(units=60))
        yield
        transaction.set_rollback(True)


# one worker runs the class, so the county is built once under pytest-xdist too
@pytest.mark.usefixtures("demo_county")
@pytest.mark.xdist_group("demo_pages")
class TestDemoCountyPages:
    @pytest.mark.parametrize(
        ("role", "url_name"),
        [
            (None, "accounts:login"),
            (Role.BIANBAN_ADMIN, "home"),
            (Role.UNIT_OPERATOR, "home"),
            (Role.SECURITY_ADMIN, "accounts:user_list"),
            (Role.AUDIT_ADMIN, "audit:event_list"),
            (Role.BIANBAN_ADMIN, "accounts:password_change"),
        ],
    )
    def test_no_page_references_an_external_host(self, client, role, url_name):
        if role is not None:
            from bianzhi.accounts.models import User

            client.force_login(User.objects.filter(role_grants__role=role).first())
        html = client.get(reverse(url_name)).content.decode()
        assert not EXTERNAL.findall(html)
        assert "锦绣县" in html and "演示数据" in html


@pytest.mark.demo_content
def test_demo_is_deterministic_and_marks_itself_fictional(client):
    counts = build_demo(DemoSpec(units=60))
    tokens = counts.pop("api_tokens")
    assert [department for department, _name, _plaintext in tokens] == [
        "县委组织部",
        "县财政局",
        "县人力资源和社会保障局",
        "县审计局",
        "县纪委监委",
    ]
    # 60 units set up in 2019, one split off in 2023; a report task for each unit but the internal bodies
    assert counts == {
        "units": 61,
        "users": 9,
        "matters": 39,
        "normative_reviews": 4,
        "report_tasks": 26,
        "institutions": 0,
        "complaints": 6,
        "rectifications": 7,  # one per state, one more from a complaint; no people, so no ledger item
    }
    from bianzhi.orgs.models import Unit

    names = list(Unit.objects.filter(code__gt="").order_by("code").values_list("name", flat=True)[:3])
    assert names == ["中共锦绣县委办公室", "中共锦绣县委办公室秘书股", "中共锦绣县委办公室督查股"]
    client.force_login(make_user("viewer", Role.OVERSIGHT, scope_county=True))
    assert "虚构的演示数据" in client.get("/").content.decode()


def test_database_engine_is_the_one_under_test():
    import os

    from django.db import connection

    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected


@pytest.mark.django_db
def test_a_host_name_not_allowed_gets_the_chinese_400_page_not_a_500(client):
    """Refused before the session is read (no request.user yet), the error page must still render."""
    response = client.get(reverse("accounts:login"), HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "请求无效，请检查后重试。" in response.content.decode()
