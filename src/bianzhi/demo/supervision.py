"""The demo county's 12310 complaints: one in each stage of the procedure — one filed anonymously on the public
form, one named complaint taken by phone waiting for its 拟办 past the deadline (督办 by the daily check), one 交办
and paused while the unit sends its roster, one extended, one not accepted, one concluded, answered, archived and
turned into a rectification item — and the 整改台账: an item in every state, and the ledger's own items for the
county's 超编 and 超职数, opened by the same check ``bianzhi daily`` runs."""

from __future__ import annotations

import datetime as dt

from bianzhi.core.files import Upload
from bianzhi.orgs.choices import UnitKind, UnitStatus
from bianzhi.orgs.models import Unit
from bianzhi.supervision.complaints import (
    complaint_file_add,
    complaint_receive,
    complaint_transition,
    complaints_escalate,
)
from bianzhi.supervision.rectification import (
    complaint_rectification_open,
    rectification_file_add,
    rectification_open,
    rectification_transition,
    rectifications_sync,
)

EVIDENCE = b"%PDF-1.4\n% 12310 demo evidence\n"


def _steps(complaint, today: dt.date, steps) -> None:
    for days_ago, name, inputs in steps:
        complaint = complaint_transition(
            actor=None, complaint=complaint, name=name, day=today - dt.timedelta(days=days_ago), **inputs
        )


def build_supervision(today: dt.date) -> tuple[int, int]:
    """Returns (complaints, rectification items)."""
    complaints, concluded = _complaints(today)
    complaints_escalate(today=today)
    return complaints, _rectifications(today, concluded)


def _complaints(today: dt.date):
    units = list(Unit.objects.filter(status=UnitStatus.ACTIVE, kind=UnitKind.JIGUAN).order_by("pk")[:3])
    first, second, third = ([*units, None, None, None])[:3]

    def receive(days_ago: int, **fields):
        return complaint_receive(actor=None, received_on=today - dt.timedelta(days=days_ago), **fields)

    receive(
        1,
        channel="ONLINE",
        online=True,
        category="ORGANS",
        accused_text="县某服务中心",
        description="网上举报：该中心未经批准增设“综合科”“信息科”两个内设机构。",
    )
    receive(
        30,
        channel="PHONE",
        anonymous=False,
        name="钱文博",
        contact="13800571234",
        category="STAFFING",
        accused_units=[first] if first else [],
        description="来电反映：该单位超编进人，新进三名人员未办理用编核准。",
    )
    paused = receive(
        40,
        channel="LETTER",
        category="APPROVAL",
        accused_units=[second] if second else [],
        description="来信反映：该局副局长职数超过核定数。",
    )
    complaint_file_add(actor=None, complaint=paused, upload=Upload("举报信扫描件.pdf", EVIDENCE))
    _steps(
        paused,
        today,
        [
            (38, "accept", {}),
            (35, "assign", {"handling_type": "DELEGATED", "handling_unit": second, "opinion": "交主管部门核查"}),
            (33, "investigate", {}),
            (5, "pause", {"note": "等待被举报单位报送领导班子任职文件"}),
        ]
        if second
        else [],
    )
    extended = receive(90, channel="VISIT", category="FALSIFY", description="来访反映：实名制信息与实际在岗人员不符。")
    _steps(
        extended,
        today,
        [
            (88, "accept", {}),
            (84, "assign", {"handling_type": "SELF", "opinion": "自办，会同人社部门核对工资名册"}),
            (80, "investigate", {}),
            (10, "extend", {"days": 20, "note": "需与财政、人社数据逐人比对"}),
        ],
    )
    refused = receive(20, channel="PHONE", category="OTHER", description="来电咨询事业单位招聘报名条件。")
    _steps(refused, today, [(19, "refuse", {"reason": "CONSULTATION", "note": "属业务咨询，已告知向人社部门咨询"})])
    done = receive(
        120,
        channel="VISIT",
        anonymous=False,
        name="孔令仪",
        contact="锦绣县城关镇人民路 8 号",
        category="REFORM",
        accused_units=[third] if third else [],
        description="来访反映：该局未按“三定”规定履行安全生产监管职责。",
    )
    _steps(
        done,
        today,
        [
            (118, "accept", {}),
            (
                115,
                "assign",
                {"handling_type": "TRANSFERRED", "handling_party": "县纪委监委", "opinion": "转县纪委监委"},
            ),
            (110, "investigate", {}),
            (
                60,
                "conclude",
                {
                    "finding": "PARTLY",
                    "conclusion": "职责履行不到位，已督促整改",
                    "public_reply": "经核查，举报部分属实，已督促整改。",
                },
            ),
            (55, "feedback", {"note": "书面答复举报人"}),
            (50, "archive", {}),
        ],
    )
    return 6, (done if third else None)


def _item_steps(item, today: dt.date, steps) -> None:
    for days_ago, name, inputs in steps:
        if name == "evidence":
            rectification_file_add(actor=None, item=item, upload=Upload(inputs["name"], EVIDENCE))
            continue
        item = rectification_transition(
            actor=None, item=item, name=name, day=today - dt.timedelta(days=days_ago), **inputs
        )


PLAN = {"plan": "一、全面自查；二、制定消化方案并报县委编办；三、按期完成并报送结果。"}
REPORT = {"measures": "已按计划完成整改，相关文件已废止，报送整改报告和佐证材料。"}


def _rectifications(today: dt.date, concluded) -> int:
    units = list(
        Unit.objects.filter(status=UnitStatus.ACTIVE, kind__in=[UnitKind.JIGUAN, UnitKind.SHIYE]).order_by("pk")[3:10]
    )
    if len(units) < 7:
        return rectifications_sync(today=today)

    def item(unit, days_ago, source, category, finding, **extra):
        return rectification_open(
            actor=None,
            unit=unit,
            source=source,
            category=category,
            finding=finding,
            day=today - dt.timedelta(days=days_ago),
            **extra,
        )

    item(units[0], 3, "PATROL", "ORGANS", "县委第二巡察组反馈：该单位自行设立“综合服务中心”，未经机构编制部门批准。")
    notified = item(units[1], 80, "INSPECTION", "APPROVAL", "专项检查发现：该单位自行发文明确两名副职按正科级配备。")
    _item_steps(
        notified,
        today,
        [
            (78, "notify", {"days": 30}),
            (5, "escalate", {"kind": "TALK", "note": "逾期未报整改计划，约谈单位主要负责人"}),
        ],
    )
    planned = item(units[2], 30, "AUDIT", "STAFFING", "县审计局经济责任审计移交：该单位长期借调下属事业单位人员 4 名。")
    _item_steps(planned, today, [(28, "notify", {}), (10, "plan", PLAN)])
    submitted = item(units[3], 60, "DRAW", "FALSIFY", "双随机抽查发现：年度报告填报的从业人数与实名制数据不一致。")
    _item_steps(
        submitted,
        today,
        [
            (58, "notify", {}),
            (50, "plan", PLAN),
            (45, "accept_plan", {}),
            (0, "evidence", {"name": "整改报告.pdf"}),
            (2, "report", REPORT),
        ],
    )
    closed = item(
        units[4], 120, "RECONCILIATION", "FALSIFY", "统计核查发现：机构编制统计报表内设机构数与三定规定不符。"
    )
    _item_steps(
        closed,
        today,
        [
            (118, "notify", {}),
            (110, "plan", PLAN),
            (105, "accept_plan", {}),
            (0, "evidence", {"name": "更正后的统计报表.xlsx"}),
            (80, "report", REPORT),
            (75, "close", {"note": "经核验，已更正并重新报送"}),
        ],
    )
    reopened = item(units[5], 90, "INSPECTION", "INTERFERE", "专项检查发现：该单位规范性文件规定乡镇设立对口机构。")
    _item_steps(
        reopened,
        today,
        [
            (88, "notify", {}),
            (80, "plan", PLAN),
            (78, "accept_plan", {}),
            (0, "evidence", {"name": "废止文件通知.pdf"}),
            (20, "report", REPORT),
            (15, "reopen", {"note": "仅废止一份文件，另一份仍在执行，请一并清理"}),
        ],
    )
    count = 6
    if concluded is not None:
        accused = concluded.accused_units.first()
        from_complaint = complaint_rectification_open(
            actor=None,
            complaint=concluded,
            unit=accused,
            finding="未按“三定”规定履行安全生产监管职责，需明确内设机构分工。",
            day=today - dt.timedelta(days=45),
        )
        _item_steps(from_complaint, today, [(44, "notify", {}), (40, "plan", PLAN), (38, "accept_plan", {})])
        count += 1
    return count + rectifications_sync(today=today)
