"""The roster file as offices send it: its columns, the other spellings of their headers and values that old systems'
exports use, the limits of a file, and the upload help that tells offices all this. Kept apart so the page can say
what is accepted without loading the import itself."""

from __future__ import annotations

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from bianzhi.core.tabular import Column, Schema, file_size_label
from bianzhi.core.tabular.rows import column_choices
from bianzhi.quotas.models import FundingForm
from bianzhi.roster.choices import Education, EntryMode, Gender, PoliticalStatus, StaffIdentity

MAX_ROWS = 1_000_000
MAX_FILE_BYTES = 200 * 1024 * 1024

COLUMNS = (
    Column("name", "姓名", ("人员姓名",), required=True),
    Column("id_number", "公民身份号码", ("身份证号", "身份证号码", "身份证", "证件号码"), required=True),
    Column("gender", "性别", choices=Gender),
    Column("birth_date", "出生日期", ("出生年月",)),
    Column("unit", "单位名称", ("单位", "所在单位", "工作单位")),
    Column("uscc", "统一社会信用代码", ("信用代码", "社会信用代码", "单位统一社会信用代码")),
    Column("quota_type", "编制类型", ("占用编制情况", "编制性质"), required=True),
    Column("funding_form", "经费形式", ("经费来源", "经费类型"), required=True, choices=FundingForm),
    Column("start_date", "入编时间", ("入编日期",), required=True),
    Column("entry_mode", "进入方式", ("进入形式", "进入来源", "入编方式"), required=True, choices=EntryMode),
    Column("ethnicity", "民族"),
    Column("political_status", "政治面貌", choices=PoliticalStatus),
    Column("education", "学历", ("最高学历",), choices=Education),
    Column("position", "职务", ("现任职务",)),
    Column("rank_title", "职级", ("现任职级",)),
    Column("internal_body", "所在机构", ("内设机构", "所在科室")),
    Column("identity", "人员身份", ("岗位类别", "身份类别"), choices=StaffIdentity),
    Column("work_start_date", "参加工作时间", ("参加工作日期",)),
    Column("phone", "联系电话", ("电话", "手机", "手机号码")),
    Column("remarks", "备注"),
)
SCHEMA = Schema(COLUMNS, key=("name", "id_number"), ignored=("序号",), strict=False)
TEXT_FIELDS = ("ethnicity", "position", "rank_title", "internal_body", "remarks")
# Spellings found in old systems' exports, besides each code's own label and the code itself.
_VARIANTS = {
    "gender": {Gender.MALE: ("男性", "M"), Gender.FEMALE: ("女性", "F")},
    "funding_form": {FundingForm.QE: ("全额",), FundingForm.CE: ("差额",), FundingForm.ZS: ("自筹",)},
    "entry_mode": {
        EntryMode.KL: ("考录", "录用"),
        EntryMode.GZ: ("招聘", "公开招考"),
        EntryMode.DR: ("调入", "调任", "调动"),
        EntryMode.JZ: ("军转", "军转干部", "军队转业"),
        EntryMode.TY: ("退役士兵", "退伍士兵安置"),
        EntryMode.YJ: ("引进", "人才引进"),
        EntryMode.XD: ("选调生", "选调", "定向"),
    },
    "political_status": {
        PoliticalStatus.CPC: ("中共党员",),
        PoliticalStatus.CPC_PROBATION: ("中共预备党员", "预备党员"),
        PoliticalStatus.CYL: ("共青团员", "团员"),
    },
    "education": {
        Education.DOCTOR: ("博士",),
        Education.MASTER: ("硕士", "研究生"),
        Education.BACHELOR: ("大学本科", "大学"),
        Education.COLLEGE: ("大学专科", "专科"),
        Education.SECONDARY: ("中等专科",),
    },
    "identity": {
        StaffIdentity.CANGONG: ("参公",),
        StaffIdentity.MANAGEMENT: ("管理", "管理人员"),
        StaffIdentity.PROFESSIONAL: ("专技", "专业技术", "专业技术人员"),
        StaffIdentity.WORKER: ("工勤", "工勤人员", "工勤技能"),
    },
}
CHOICES = column_choices(COLUMNS, _VARIANTS)  # built once: messages name the allowed labels
# Quota types are rows, not choices: their other spellings, by code.
QUOTA_TYPE_VARIANTS = {
    "XZ": ("行政",),
    "ZFZX": ("政法专项", "政法编制"),
    "SY": ("事业",),
    "GQ": ("工勤编制", "工勤", "机关工勤"),
}


def accepted_headers_help() -> str:
    """The upload field's help; the column names are the files' own words and stay as they are."""
    return format_lazy(
        gettext_lazy(
            "Excel 工作簿（.xlsx）或 CSV 文件，不超过 {size}、{rows} 万行。"
            "必填列：{required}，以及单位名称或统一社会信用代码；可选列：{optional}。"
            "也可用常见写法，如身份证号、单位、经费来源；表头上方的标题行会自动跳过，合并单元格视为每行相同，"
            "其他列不导入。"
        ),
        size=file_size_label(MAX_FILE_BYTES),
        rows=MAX_ROWS // 10_000,
        required="、".join(c.label for c in COLUMNS if c.required),
        optional="、".join(c.label for c in COLUMNS if not c.required and c.field not in ("unit", "uscc")),
    )
