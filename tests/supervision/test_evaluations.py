"""The evaluations (机构编制执行情况和使用效益评估, 事业单位履职评估) as the office uses them: the scoring rules, the
indicator sets checked when loaded, each refusal (nothing changed), the freeze at 评定, the snapshot that keeps an
old evaluation as it was made, findings turned into rectification items, and the pages, report and API."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.utils import timezone

from bianzhi.accounts.roles import Role
from bianzhi.api.services import api_token_issue
from bianzhi.core.errors import BianzhiError
from bianzhi.orgs.choices import UnitKind
from bianzhi.orgs.models import Document, UnitVersion
from bianzhi.supervision import evaluations as service
from bianzhi.supervision.evaluations import (
    check_set,
    evaluation_compute,
    evaluation_create,
    evaluation_decide,
    evaluation_finding_rectify,
    evaluation_score,
    indicator_sets,
    load_sets,
    rule_score,
)
from bianzhi.supervision.indicators import undocumented_bodies
from bianzhi.supervision.models import Evaluation, EvaluationScore, RectificationItem
from tests.factories import START, make_unit, make_user

DAY = dt.date(2026, 6, 30)
D = Decimal


@pytest.fixture
def office(db):
    bureau = make_unit("锦绣县卫生健康局")
    centre = make_unit("锦绣县城关镇卫生院", bureau, kind=UnitKind.SHIYE)
    other = make_unit("锦绣县财政局")
    return {
        "bureau": bureau,
        "centre": centre,
        "other": other,
        "jiandu": make_user("jiandu", Role.OVERSIGHT, scope_county=True),
        "scoped": make_user("bianban_scoped", Role.BIANBAN_OPERATOR, scope_unit=other),
    }


def _refused(code: str, call, *args, **kwargs) -> None:
    with pytest.raises(BianzhiError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code
    assert any("\u4e00" <= char <= "\u9fff" for char in caught.value.message)


def _qualitative(evaluation) -> list[str]:
    return list(evaluation.scores.filter(method="定性").values_list("code", flat=True))


def _decided(office, **kwargs):
    kwargs.setdefault("version", "2026.1")  # two 定性 indicators; 2026.2 computes E8 from the reconciliation
    evaluation = evaluation_create(actor=office["jiandu"], set_code="EXEC", unit=office["bureau"], as_of=DAY, **kwargs)
    evaluation_compute(actor=office["jiandu"], evaluation=evaluation)
    evaluation_score(
        actor=office["jiandu"],
        evaluation=evaluation,
        scores={code: ("8.5", "基本落实") for code in _qualitative(evaluation)},
    )
    return evaluation_decide(actor=office["jiandu"], evaluation=evaluation)


@pytest.mark.parametrize(
    ("rule", "weight", "value", "expected"),
    [
        ({"type": "deduct", "target": 0, "per": 1, "points": 2}, 20, 0, "20.0"),
        ({"type": "deduct", "target": 0, "per": 1, "points": 2}, 20, 3, "14.0"),
        ({"type": "deduct", "target": 0, "per": 1, "points": 2}, 20, 15, "0.0"),  # floor 0
        ({"type": "deduct", "target": 90, "per": 5, "points": 1, "direction": "below"}, 10, 80, "8.0"),
        ({"type": "deduct", "target": 90, "per": 5, "points": 1, "direction": "below"}, 10, 99, "10.0"),
        ({"type": "deduct", "target": 10, "per": 1, "points": 1, "direction": "both"}, 10, 7, "7.0"),
        ({"type": "linear", "full": 5, "zero": 20}, 25, 3, "25.0"),
        ({"type": "linear", "full": 5, "zero": 20}, 25, D("12.5"), "12.5"),
        ({"type": "linear", "full": 5, "zero": 20}, 25, 40, "0.0"),
        ({"type": "linear", "full": 80, "zero": 20}, 15, 60, "10.0"),  # higher is better
        ({"type": "linear", "full": 80, "zero": 20}, 15, D("33.33"), "3.3"),
    ],
)
def test_scoring_rules(rule, weight, value, expected):
    assert rule_score(rule, D(weight), D(value)) == D(expected)


def test_the_grades_follow_the_configured_thresholds(settings):
    assert [service.grade_of(D(t)) for t in ("90", "89.9", "80", "60", "59.9")] == [
        "优秀",
        "良好",
        "良好",
        "一般",
        "较差",
    ]
    settings.BIANZHI_EVALUATION_GRADES = [(85, "好"), (0, "差")]
    assert [service.grade_of(D(t)) for t in ("85", "84.9")] == ["好", "差"]


def test_the_sets_are_checked_when_loaded_with_a_clear_error(tmp_path):
    sets = indicator_sets()
    kinds = {found["kind"] for found in sets.values()}
    assert kinds == {"EXECUTION", "BENEFIT", "PERFORMANCE"} and len(sets) >= 3
    good = sets[("EXEC", "2026.1")]
    heavy = json.loads(json.dumps(good))
    heavy["indicators"][0]["weight"] = 30
    with pytest.raises(ImproperlyConfigured, match="合计 115，须为 100"):
        check_set(heavy)
    unknown = json.loads(json.dumps(good))
    unknown["indicators"][0]["computation"] = "staff_happiness"
    with pytest.raises(ImproperlyConfigured, match=r"E1.*staff_happiness.*未登记"):
        check_set(unknown)
    path = tmp_path / "sets.json"
    path.write_text(json.dumps({"sets": [good, good]}), encoding="utf-8")
    with pytest.raises(ImproperlyConfigured, match="同一版本出现两次"):
        load_sets(path)


def test_each_refusal_has_its_code_and_changes_nothing(office):
    actor = office["jiandu"]
    future = timezone.localdate() + dt.timedelta(days=1)
    _refused(
        "evaluation.future_date", evaluation_create, actor=actor, set_code="EXEC", unit=office["bureau"], as_of=future
    )
    _refused(
        "evaluation.unknown_set", evaluation_create, actor=actor, set_code="NOPE", unit=office["bureau"], as_of=DAY
    )
    _refused(
        "evaluation.not_institution",
        evaluation_create,
        actor=actor,
        set_code="PERF",
        unit=office["bureau"],
        as_of=DAY,
        category="LIVELIHOOD",
    )
    _refused("supervision.missing", evaluation_create, actor=actor, set_code="PERF", unit=office["centre"], as_of=DAY)
    before = START - dt.timedelta(days=1)
    _refused(
        "evaluation.unit_inactive", evaluation_create, actor=actor, set_code="EXEC", unit=office["bureau"], as_of=before
    )
    _refused(
        "common.out_of_scope",
        evaluation_create,
        actor=office["scoped"],
        set_code="EXEC",
        unit=office["bureau"],
        as_of=DAY,
    )
    assert not Evaluation.objects.exists()

    evaluation = evaluation_create(actor=actor, set_code="EXEC", version="2026.1", unit=office["bureau"], as_of=DAY)
    first, second = _qualitative(evaluation)
    for code, raw in (("evaluation.score_above_weight", "10.5"), ("evaluation.score_negative", "-1")):
        # the good score beside the bad one is not kept either
        _refused(
            code, evaluation_score, actor=actor, evaluation=evaluation, scores={first: ("9", ""), second: (raw, "")}
        )
    _refused(
        "evaluation.score_invalid", evaluation_score, actor=actor, evaluation=evaluation, scores={first: ("九", "")}
    )
    _refused(
        "evaluation.not_qualitative", evaluation_score, actor=actor, evaluation=evaluation, scores={"E2": ("5", "")}
    )
    assert not EvaluationScore.objects.filter(score__isnull=False).exists()
    _refused("evaluation.not_computed", evaluation_decide, actor=actor, evaluation=evaluation)
    evaluation_compute(actor=actor, evaluation=evaluation)
    evaluation_score(actor=actor, evaluation=evaluation, scores={first: ("9", "")})
    _refused("evaluation.qualitative_missing", evaluation_decide, actor=actor, evaluation=evaluation)
    evaluation.refresh_from_db()
    assert (evaluation.state, evaluation.total, evaluation.grade) == ("COMPUTED", None, "")


def test_a_decided_evaluation_is_frozen(office):
    evaluation = _decided(office)
    # nothing lost in an empty county: 8 computed indicators at full marks, 2 定性 at 8.5 of 10
    assert (evaluation.state, evaluation.total, evaluation.grade) == ("DECIDED", D("97.0"), "优秀")
    scores = list(EvaluationScore.objects.filter(evaluation=evaluation).values_list("code", "score"))
    actor = office["jiandu"]
    _refused("evaluation.not_allowed", evaluation_compute, actor=actor, evaluation=evaluation)
    _refused("evaluation.not_allowed", evaluation_score, actor=actor, evaluation=evaluation, scores={"E7": ("1", "")})
    _refused("evaluation.not_allowed", evaluation_decide, actor=actor, evaluation=evaluation)
    assert list(EvaluationScore.objects.filter(evaluation=evaluation).values_list("code", "score")) == scores


def test_an_evaluation_keeps_the_set_it_was_made_with(office, monkeypatch):
    evaluation = evaluation_create(
        actor=office["jiandu"], set_code="EXEC", version="2026.1", unit=office["bureau"], as_of=DAY
    )
    changed = json.loads(json.dumps(indicator_sets()[("EXEC", "2026.1")]))
    changed["version"] = "2027.1"
    changed["indicators"][1]["weight"], changed["indicators"][6]["weight"] = 5, 25
    changed["indicators"][1]["rule"]["points"] = 5
    monkeypatch.setattr(service, "indicator_sets", lambda: {**indicator_sets(), ("EXEC", "2027.1"): changed})
    evaluation_compute(actor=office["jiandu"], evaluation=evaluation)
    evaluation.refresh_from_db()
    assert evaluation.set_version == "2026.1" and evaluation.set_snapshot["indicators"][1]["weight"] == 20
    assert evaluation.scores.get(code="E2").weight == 20
    later = evaluation_create(actor=office["jiandu"], set_code="EXEC", unit=office["bureau"], as_of=DAY)
    assert later.set_version == "2027.1" and later.scores.get(code="E2").weight == 5


def test_findings_become_rectification_items(office):
    # the bureau's founding version cites a document issued a year after it was set up: 机构设置不合规
    later = Document.objects.create(
        number="锦编补〔2026〕1号", title="补办", issued_on=DAY, issuer="锦绣县机构编制委员会"
    )
    UnitVersion.objects.filter(unit=office["centre"]).update(document=later)
    found = undocumented_bodies(office["bureau"], DAY)
    assert found.number == 1 and found.rows[0]["unit"] == "锦绣县城关镇卫生院"
    evaluation = _decided(office)
    assert evaluation.total == D("92.0") and evaluation.scores.get(code="E1").score == D("10.0")
    finding = evaluation.findings.get()
    assert finding.indicator == "E1" and "1 个无设立批准文件" in finding.text and "扣 5.0 分" in finding.text
    item = evaluation_finding_rectify(actor=office["jiandu"], evaluation=evaluation, finding_id=finding.pk)
    assert (item.source, item.evaluation_id, item.unit_id, item.category) == (
        "EVALUATION",
        evaluation.pk,
        office["bureau"].pk,
        "ORGANS",
    )
    _refused(
        "evaluation.finding_rectified",
        evaluation_finding_rectify,
        actor=office["jiandu"],
        evaluation=evaluation,
        finding_id=finding.pk,
    )
    assert RectificationItem.objects.count() == 1


def test_the_pages_the_report_and_the_api(office):
    client = Client()
    client.force_login(office["jiandu"])
    created = client.post(
        "/supervision/evaluations/new/",
        {
            "indicator_set": "PERF:2026.1",
            "unit": "锦绣县城关镇卫生院",
            "as_of": DAY.isoformat(),
            "category": "LIVELIHOOD",
        },
    )
    assert created.status_code == 302, created.content.decode()
    evaluation = Evaluation.objects.get()
    base = f"/supervision/evaluations/{evaluation.pk}/"
    early = client.get(base + "pdf/")  # no report before 评定: the figures may still change
    assert early.status_code == 400 and "evaluation.not_allowed" in early.content.decode()
    assert client.post(base + "compute/").status_code == 302
    bad = client.post(base + "scores/", {"score_P5": "21", "score_P6": "10", "score_P7": "10"})
    assert bad.status_code == 400 and "evaluation.score_above_weight" in bad.content.decode()
    assert client.post(base + "scores/", {"score_P5": "18", "score_P6": "12", "score_P7": "14"}).status_code == 302
    assert client.post(base + "decide/").status_code == 302
    page = client.get(base).content.decode()
    assert "事业单位履职评估" in page and "基本民生服务类" in page and "计算依据" in page and "94.0" in page
    pdf = client.get(base + "pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    listed = client.get("/supervision/evaluations/?kind=PERFORMANCE&grade=优秀").content.decode()
    assert evaluation.title in listed
    assert evaluation.title not in client.get("/supervision/evaluations/?grade=较差").content.decode()
    workbook = client.get("/supervision/evaluations/export/")
    assert workbook.status_code == 200 and workbook["Content-Type"].startswith("application/vnd.openxmlformats")

    token = api_token_issue(actor=None, user=office["jiandu"], name="测试")[1]
    api = Client(headers={"Authorization": f"Bearer {token}"})
    items = api.get("/api/v1/evaluations?kind=PERFORMANCE&year=2026").json()["items"]
    assert [item["id"] for item in items] == [evaluation.pk]
    detail = api.get(f"/api/v1/evaluations/{evaluation.pk}").json()
    assert detail["grade"] == "优秀" and [s["code"] for s in detail["scores"]] == [f"P{n}" for n in range(1, 8)]
    scoped = Client()
    scoped.force_login(office["scoped"])
    assert scoped.get(base).status_code == 403
    assert evaluation.title not in scoped.get("/supervision/evaluations/").content.decode()
