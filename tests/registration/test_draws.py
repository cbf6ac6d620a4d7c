"""双随机一公开: the draw (its size, its base, the inspectors it may not send, determinism), every refusal, the notices,
results and publication, the to-do entries, and the verification that finds a draw tampered with."""

from __future__ import annotations

import datetime as dt
import subprocess
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from bianzhi.accounts.roles import Role
from bianzhi.audit.models import AuditEvent
from bianzhi.core.errors import BianzhiError
from bianzhi.core.todo import todo_for
from bianzhi.core.workdays import add_working_days
from bianzhi.orgs.choices import UnitKind
from bianzhi.orgs.documents import DocumentRef
from bianzhi.registration.choices import DrawState, InspectionMethod, InspectionResult, InstitutionStatus
from bianzhi.registration.draws import (
    PoolMember,
    draw_compute,
    draw_create,
    draw_notify,
    draw_object_record,
    draw_publish,
    draw_verify,
    inspector_add,
    inspector_deactivate,
    inspector_relation_declare,
)
from bianzhi.registration.models import DrawObject, InspectionDraw, Institution
from bianzhi.registration.selectors import inspection_problems
from bianzhi.registration.services import institution_register
from tests.factories import make_unit, make_user
from tests.processes import BIANZHI, environment

TODAY = timezone.localdate()
LONG_AGO = dt.date(2021, 1, 4)
USCCS = [f"12330122MB{n:07d}X"[:18] for n in range(1, 201)]


def _members(count: int, conflicts: dict[int, set[str]] | None = None) -> list[PoolMember]:
    return [PoolMember(pk, frozenset((conflicts or {}).get(pk, ()))) for pk in range(1, count + 1)]


# ---------------------------------------------------------------- the algorithm, no database


@pytest.mark.no_database
@pytest.mark.parametrize(
    ("size", "rate", "expected"),
    [(100, "0.02", 2), (101, "0.02", 3), (200, "0.03", 6), (10, "0.01", 1), (1, "0.03", 1), (150, "0.01", 2)],
)
def test_the_number_drawn_is_the_rate_of_the_base_rounded_up_and_at_least_one(size, rate, expected):
    outcome = draw_compute(USCCS[:size], Decimal(rate), "seed", _members(5))
    assert outcome.n == len(outcome.teams) == expected
    assert list(outcome.teams) == sorted(outcome.teams) and set(outcome.teams) <= set(USCCS[:size])


@pytest.mark.no_database
def test_the_same_seed_base_and_pool_give_the_same_draw_whatever_the_order_given():
    first = draw_compute(USCCS, Decimal("0.03"), "2026 摇号 0427", _members(8))
    again = draw_compute(list(reversed(USCCS)), Decimal("0.03"), "2026 摇号 0427", list(reversed(_members(8))))
    assert first == again
    assert draw_compute(USCCS, Decimal("0.03"), "another seed", _members(8)).teams != first.teams


@pytest.mark.no_database
def test_teams_are_two_distinct_inspectors_none_of_them_in_conflict_with_the_object():
    base = USCCS[:100]
    conflicts = {1: set(base), 2: set(base[:50]), 3: set(base[50:])}
    outcome = draw_compute(base, Decimal("0.03"), "s", _members(6, conflicts))
    for uscc, team in outcome.teams.items():
        assert len(set(team)) == 2
        assert all(uscc not in conflicts.get(pk, ()) for pk in team)
        assert 1 not in team


@pytest.mark.no_database
def test_fewer_than_two_eligible_inspectors_refuse_the_whole_draw_naming_the_object():
    base = USCCS[:10]
    with pytest.raises(BianzhiError) as refused:
        draw_compute(base, Decimal("0.01"), "s", _members(2, {2: set(base)}), names={u: "锦绣县图书馆" for u in base})
    assert refused.value.code == "registration.too_few_inspectors"
    assert "锦绣县图书馆" in refused.value.message and "只有 1 名" in refused.value.message


# ---------------------------------------------------------------- the county


def _items(name: str, sponsor=None) -> dict:
    return {
        "name": name,
        "address": "锦绣县人民路 1 号",
        "purpose": "提供公益服务。",
        "legal_representative": "王明",
        "capital": "50",
        "funding_source": "FULL",
        "sponsor": sponsor,
    }


class County:
    def __init__(self):
        self.bianban = make_unit("中共锦绣县委机构编制委员会办公室", day=LONG_AGO)
        self.education = make_unit("锦绣县教育局", day=LONG_AGO)
        self.finance = make_unit("锦绣县财政局", day=LONG_AGO)
        document = DocumentRef("锦编发〔2021〕1号", "关于事业单位登记的批复", LONG_AGO, "锦绣县机构编制委员会")
        self.institutions = [
            institution_register(
                actor=None,
                unit=make_unit(name, parent, kind=UnitKind.SHIYE, day=LONG_AGO),
                items=_items(name, sponsor),
                document=document,
                effective_date=LONG_AGO,
            )
            for name, parent, sponsor in (
                ("锦绣县第一中学", self.education, self.education),
                ("锦绣县第二中学", self.education, self.education),
                ("锦绣县会计服务中心", self.finance, None),
            )
        ]
        self.inspectors = [
            inspector_add(actor=None, name=name, unit=unit)
            for name, unit in (("赵一", self.bianban), ("钱二", self.bianban), ("孙三", self.education))
        ]
        self.staff = make_user("dengji", Role.REGISTRATION, scope_county=True)


@pytest.fixture
def world(county):
    return County()


PLAN = {"checklist": "登记事项\n年度报告", "method": InspectionMethod.DESK, "inspected_by": TODAY}


def _draw(actor=None, **changes) -> InspectionDraw:
    return draw_create(actor=actor, **{"year": TODAY.year, "rate": "0.03", **PLAN, **changes})


def _refused(code: str, service, **kwargs) -> BianzhiError:
    before = (InspectionDraw.objects.count(), AuditEvent.objects.count())
    with pytest.raises(BianzhiError) as refused:
        service(**kwargs)
    assert refused.value.code == code, refused.value.message
    assert (InspectionDraw.objects.count(), AuditEvent.objects.count()) == before
    return refused.value


# ---------------------------------------------------------------- refusals first


@pytest.mark.parametrize("rate", ["0.005", "0.031", "0.05", "abc", "NaN", "", "3"])
def test_a_rate_outside_one_to_three_percent_is_refused(world, rate):
    error = _refused("registration.bad_rate", draw_create, actor=world.staff, year=TODAY.year, rate=rate, **PLAN)
    assert "1% 至 3%" in error.message


@pytest.mark.parametrize("checklist", ["", "  \n \n"])
def test_an_empty_checklist_is_refused(world, checklist):
    plan = {**PLAN, "checklist": checklist}
    _refused("registration.empty_checklist", draw_create, actor=world.staff, year=TODAY.year, rate="0.02", **plan)


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"method": "PHONE"}, "registration.bad_method"),
        ({"inspected_by": TODAY - dt.timedelta(days=1)}, "registration.bad_inspect_by"),
        ({"year": TODAY.year - 2}, "registration.bad_year"),
        ({"year": TODAY.year + 1}, "registration.bad_year"),
        ({"seed": "x" * 201}, "registration.bad_seed"),
        ({"drawn_on": TODAY + dt.timedelta(days=1)}, "registration.future_date"),
    ],
)
def test_bad_plans_are_refused(world, changes, code):
    kwargs = {"actor": world.staff, "year": TODAY.year, "rate": "0.02", **PLAN, **changes}
    _refused(code, draw_create, **kwargs)


def test_an_empty_base_is_refused(world):
    for _ in world.institutions:
        _draw()
    error = _refused("registration.empty_base", _draw, actor=world.staff)
    assert str(TODAY.year) in error.message


def test_too_few_inspectors_refuses_and_keeps_nothing(world):
    inspector_deactivate(actor=None, inspector=world.inspectors[0])
    Institution.objects.exclude(pk=world.institutions[0].pk).update(status=InstitutionStatus.CANCELLED)
    error = _refused("registration.too_few_inspectors", _draw, actor=world.staff)
    assert "锦绣县第一中学" in error.message  # 孙三 of 教育局, its sponsor, stays away: only 钱二 is left
    assert not DrawObject.objects.exists()


def test_only_county_wide_registration_staff_draw(world):
    scoped = make_user("scoped", Role.BIANBAN_OPERATOR, scope_unit=world.education)
    unit = make_user("unit", Role.UNIT_OPERATOR, scope_unit=world.education)
    _refused("common.out_of_scope", _draw, actor=scoped)
    _refused("common.permission_denied", _draw, actor=unit)


# ---------------------------------------------------------------- the draw


def test_the_base_leaves_out_what_this_year_drew_and_what_is_not_registered(world):
    first, second = _draw(), _draw()
    assert first.number == f"{TODAY.year}-01" and second.number == f"{TODAY.year}-02"
    assert len(first.base) == 3 and len(second.base) == 2
    assert not set(first.targets.values_list("uscc", flat=True)) & set(second.base)
    drawn = set(DrawObject.objects.values_list("institution_id", flat=True))
    Institution.objects.exclude(pk__in=drawn).update(status=InstitutionStatus.REVOKED)
    _refused("registration.empty_base", _draw)
    last_year = _draw(year=TODAY.year - 1)
    assert len(last_year.base) == 2  # last year's base: nobody drawn yet, less the revoked one


def test_inspectors_of_the_institution_its_sponsor_or_a_declared_interest_are_never_sent(world):
    school, other_school, centre = world.institutions
    zhao, qian, sun = world.inspectors
    extra = inspector_add(actor=None, name="李四", unit=centre.unit)
    inspector_relation_declare(actor=None, inspector=zhao, institution=other_school, note="配偶在该单位任职")
    teams = {}
    for _ in world.institutions:
        draw = _draw()
        for drawn in draw.targets.all():
            teams[drawn.institution_id] = {i.pk for i in drawn.inspectors.all()}
    assert teams[school.pk] <= {zhao.pk, qian.pk, extra.pk}  # 孙三 works at 教育局, the sponsor
    assert teams[other_school.pk] == {qian.pk, extra.pk}  # and 赵一 declared an interest
    assert teams[centre.pk] <= {zhao.pk, qian.pk, sun.pk}  # 李四 works at the centre itself
    assert all(len(team) == 2 for team in teams.values())


def test_a_public_lottery_result_is_the_seed_and_the_draw_is_recorded_in_the_audit_log(world):
    draw = _draw(actor=world.staff, seed="  0427 1133  ")
    assert (draw.seed, draw.seed_public) == ("0427 1133", True)
    event = AuditEvent.objects.get(action="registration.draw_created")
    assert event.after["seed"] == draw.seed and event.after["base_hash"] == draw.base_hash
    generated = _draw()
    assert len(generated.seed) == 32 and not generated.seed_public


# ---------------------------------------------------------------- notices, results, publication


def test_notice_results_and_publication(world, django_assert_max_num_queries):
    draw = _draw(actor=world.staff, rate="0.03")
    drawn = draw.targets.get()
    _refused(
        "registration.draw_state",
        draw_object_record,
        actor=world.staff,
        drawn=drawn,
        result="NO_PROBLEM",
        findings="",
        inspected_on=TODAY,
    )
    _refused("registration.draw_state", draw_publish, actor=world.staff, draw=draw)
    _refused("registration.notice_before_draw", draw_notify, actor=world.staff, draw=draw, day=TODAY - dt.timedelta(1))
    draw = draw_notify(actor=world.staff, draw=draw, day=TODAY)
    assert draw.state == DrawState.NOTIFIED and draw.targets.get().notice_sent_on == TODAY
    _refused("registration.draw_state", draw_notify, actor=world.staff, draw=draw, day=TODAY)
    error = _refused("registration.result_missing", draw_publish, actor=world.staff, draw=draw)
    assert drawn.institution.unit.name in error.message
    record = {"actor": world.staff, "drawn": drawn, "inspected_on": TODAY}
    _refused("registration.bad_result", draw_object_record, result="FINE", findings="", **record)
    _refused("registration.findings_required", draw_object_record, result="RECTIFY", findings=" ", **record)
    early = {**record, "inspected_on": TODAY - dt.timedelta(days=1)}
    _refused("registration.inspected_before_notice", draw_object_record, result="NO_PROBLEM", findings="", **early)
    recorded = draw_object_record(result=InspectionResult.RECTIFY, findings="年度报告人数不符，责令更正。", **record)
    assert recorded.rectification_required
    draw.refresh_from_db()
    assert draw.state == DrawState.INSPECTED and draw.inspection_ended_on == TODAY
    assert draw.publish_due == add_working_days(TODAY, 20).due
    assert list(inspection_problems()) == [recorded]
    draw = draw_publish(actor=world.staff, draw=draw)
    assert (draw.state, draw.published_on) == (DrawState.PUBLISHED, TODAY)
    _refused("registration.draw_state", draw_object_record, result="NO_PROBLEM", findings="", **record)


def test_the_to_do_list_asks_for_results_then_for_publication(world):
    draw = draw_notify(actor=None, draw=_draw(), day=TODAY)
    [item] = [item for item in todo_for(world.staff, TODAY) if item.kind == "双随机抽查"]
    assert "1 个对象未录入检查结果" in item.title and item.due == TODAY
    draw_object_record(actor=None, drawn=draw.targets.get(), result="NO_PROBLEM", findings="", inspected_on=TODAY)
    [item] = [item for item in todo_for(world.staff, TODAY) if item.kind == "双随机抽查"]
    assert "待公示" in item.title and item.due == add_working_days(TODAY, 20).due
    assert not item.overdue(TODAY) and item.overdue(item.due + dt.timedelta(days=1))
    unit = make_user("unit", Role.UNIT_OPERATOR, scope_unit=world.education)
    assert not [item for item in todo_for(unit, TODAY) if item.kind == "双随机抽查"]


# ---------------------------------------------------------------- verification


def _published(world) -> InspectionDraw:
    draw = draw_notify(actor=None, draw=_draw(rate="0.03"), day=TODAY)
    for drawn in draw.targets.all():
        draw_object_record(actor=None, drawn=drawn, result="NO_PROBLEM", findings="", inspected_on=TODAY)
    return draw_publish(actor=None, draw=draw)


def test_verify_agrees_with_an_untouched_draw_whatever_changed_in_the_pool_since(world, capsys):
    draw = _published(world)
    for inspector in world.inspectors:
        inspector_deactivate(actor=None, inspector=inspector)  # later changes do not matter
    assert draw_verify(draw) == []
    call_command("draw", "verify", draw.number)
    assert f"抽查 {draw.number} 核验一致" in capsys.readouterr().out


def _verify_fails(draw, capsys) -> str:
    with pytest.raises(SystemExit) as exited:
        call_command("draw", "verify", draw.number)
    assert exited.value.code == 1
    return capsys.readouterr().err


def test_verify_names_a_changed_base(world, capsys):
    draw = _published(world)
    InspectionDraw.objects.filter(pk=draw.pk).update(base=draw.base[:-1])
    assert "基数名单已被改动" in _verify_fails(draw, capsys)


def test_verify_names_a_changed_seed(world, capsys):
    draw = _published(world)
    InspectionDraw.objects.filter(pk=draw.pk).update(seed="another seed")
    err = _verify_fails(draw, capsys)
    assert "随机种子已被改动" in err and "registration.draw_mismatch" in err


def test_verify_names_a_changed_object_team_or_result(world, capsys):
    draw = _published(world)
    drawn = draw.targets.get()
    others = [i for i in world.inspectors if i not in drawn.inspectors.all()]
    drawn.inspectors.set([others[0], *list(drawn.inspectors.all())[:1]])
    assert "检查组不一致" in _verify_fails(draw, capsys)
    DrawObject.objects.filter(pk=drawn.pk).update(result=InspectionResult.OTHER)
    assert "公示后被改动" in _verify_fails(draw, capsys)
    swapped = next(i for i in world.institutions if i.uscc != drawn.uscc)
    DrawObject.objects.filter(pk=drawn.pk).update(institution=swapped, uscc=swapped.uscc)
    err = _verify_fails(draw, capsys)
    assert f"记录中的 {swapped.uscc} 不是按种子抽中的" in err and f"应抽中 {drawn.uscc}" in err


def test_verify_of_an_unknown_number_is_a_clean_refusal(world, capsys):
    with pytest.raises(SystemExit):
        call_command("draw", "verify", "1999-01")
    assert "common.not_found" in capsys.readouterr().err


@pytest.mark.django_db(transaction=True)
def test_the_bianzhi_command_verifies_a_draw_in_its_own_process(county):
    County()
    draw = _draw()
    result = subprocess.run(
        [BIANZHI, "draw", "verify", draw.number], capture_output=True, text=True, env=environment(), timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"抽查 {draw.number} 核验一致"
    InspectionDraw.objects.filter(pk=draw.pk).update(seed="tampered")
    result = subprocess.run(
        [BIANZHI, "draw", "verify", draw.number], capture_output=True, text=True, env=environment(), timeout=120
    )
    assert result.returncode == 1 and "随机种子已被改动" in result.stderr and "Traceback" not in result.stderr


def test_bianzhi_check_reports_a_tampered_draw_and_an_institution_drawn_twice_a_year(world):
    from bianzhi.core.integrity import run_all

    first, second = _draw(), _draw()
    assert run_all()["registration.draws"] == []
    taken = first.targets.get()
    DrawObject.objects.filter(draw=second).update(institution=taken.institution, uscc=taken.uscc)
    messages = [(d.subject, d.message) for d in run_all()["registration.draws"]]
    assert (f"法人 {taken.uscc}", f"{TODAY.year} 年度被抽取 2 次") in messages
    assert any(subject == f"抽查 {second.number}" and "不是按种子抽中的" in m for subject, m in messages)
