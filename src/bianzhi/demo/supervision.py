"""The demo county's 12310 complaints: one in each stage of the procedure — one filed anonymously on the public
form, one named complaint taken by phone waiting for its 拟办 past the deadline, one 交办 and paused while the
unit sends its roster, one extended, one not accepted, one concluded, answered and archived."""

from __future__ import annotations

import datetime as dt

from bianzhi.core.files import Upload
from bianzhi.orgs.choices import UnitKind, UnitStatus
from bianzhi.orgs.models import Unit
from bianzhi.supervision.complaints import complaint_file_add, complaint_receive, complaint_transition

EVIDENCE = b"%PDF-1.4\n% 12310 demo evidence\n"


def _steps(complaint, today: dt.date, steps) -> None:
    for days_ago, name, inputs in steps:
        complaint = complaint_transition(
            actor=None, complaint=complaint, name=name, day=today - dt.timedelta(days=days_ago), **inputs
        )


def build_supervision(today: dt.date) -> int:
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
    return 6
