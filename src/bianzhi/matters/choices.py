from django.db import models
from django.utils.translation import gettext_lazy as _


class MatterKind(models.TextChoices):
    """The kinds of 机构编制事项 (brief §2.4)."""

    SETUP = "SETUP", _("机构设立")
    ABOLISH = "ABOLISH", _("机构撤销")
    MERGE = "MERGE", _("机构合并")
    RENAME = "RENAME", _("机构更名")
    RANK = "RANK", _("规格调整")
    DUTIES = "DUTIES", _("职责调整")
    QUOTA = "QUOTA", _("编制调整")
    POSTS = "POSTS", _("领导职数调整")
    SANDING = "SANDING", _("三定修订")
    OTHER = "OTHER", _("其他")


class MatterState(models.TextChoices):
    """动议 → 论证 → 审议决定 → 组织实施 → 监督问责, step by step."""

    DRAFT = "DRAFT", _("草稿")
    PROPOSED = "PROPOSED", _("动议")
    SUBMITTED = "SUBMITTED", _("已报送")
    REVIEWING = "REVIEWING", _("受理审核")
    STUDYING = "STUDYING", _("论证")
    OFFICE_MEETING = "OFFICE_MEETING", _("室务会")
    DELIBERATING = "DELIBERATING", _("审议")
    DECIDED = "DECIDED", _("已决定")
    IMPLEMENTED = "IMPLEMENTED", _("已实施")
    REPORTED = "REPORTED", _("实施报告")
    CLOSED = "CLOSED", _("已办结")
    RETURNED = "RETURNED", _("退回")
    REJECTED = "REJECTED", _("不予受理")
    NOT_APPROVED = "NOT_APPROVED", _("不予批准")


class Body(models.TextChoices):
    """Who decides a matter (审议决定): the county's 编委, the county Party committee for major matters, or the
    level above when the change is beyond the county's power."""

    BIANWEI = "BIANWEI", _("县委编委会")
    PARTY_COMMITTEE = "PARTY", _("县委常委会")
    UPPER_LEVEL = "UPPER", _("报上级审批")


class Decision(models.TextChoices):
    APPROVED = "APPROVED", _("批准")
    APPROVED_MODIFIED = "MODIFIED", _("修改后批准")
    NOT_APPROVED = "NOT_APPROVED", _("不予批准")


class LegalityItem(models.TextChoices):
    """合法合规性审查: the six questions of the initial check (brief §2.11)."""

    COMPLIANT = "COMPLIANT", _("内容是否合规")
    THOROUGH = "THOROUGH", _("于法是否周延")
    PROCEDURE = "PROCEDURE", _("程序是否严密")
    GENUINE = "GENUINE", _("材料是否真实")
    WORDING = "WORDING", _("行文是否规范")
    COMPLETE = "COMPLETE", _("要件是否齐全")


class AttachmentKind(models.TextChoices):
    MINUTES = "MINUTES", _("集体讨论会议纪要")
    REQUEST = "REQUEST", _("请示正文")
    STUDY = "STUDY", _("论证材料")
    DECISION = "DECISION", _("批复文件")
    REPORT = "REPORT", _("实施情况报告")
    OTHER = "OTHER", _("其他材料")


class ConsultationKind(models.TextChoices):
    """How a matter is studied in 论证 (brief §2.11): 实地调研, 征求意见 of named departments, 专家论证, 风险评估."""

    SURVEY = "SURVEY", _("调研")
    OPINION = "OPINION", _("征求意见")
    EXPERT = "EXPERT", _("专家论证")
    RISK = "RISK", _("风险评估")


class MeetingKind(models.TextChoices):
    OFFICE = "OFFICE", _("编办室务会")
    BIANWEI = "BIANWEI", _("县委编委会")
    PARTY = "PARTY", _("县委常委会")


class MeetingState(models.TextChoices):
    PLANNED = "PLANNED", _("筹备中")
    HELD = "HELD", _("已召开")


class OfficeOutcome(models.TextChoices):
    """What a 室务会 concludes on a matter: put it to the deciding body, or send it back to the unit."""

    FORWARD = "FORWARD", _("同意提请审议")
    RETURN = "RETURN", _("退回修改")


class ReviewState(models.TextChoices):
    """规范性文件审核: a draft is received, reviewed clause by clause, and answered by a letter (复函), unless the
    drafting department withdraws it first."""

    RECEIVED = "RECEIVED", _("收文")
    REVIEWING = "REVIEWING", _("审核中")
    REPLIED = "REPLIED", _("已复函")
    WITHDRAWN = "WITHDRAWN", _("撤回")


class ClauseOpinion(models.TextChoices):
    AGREE = "AGREE", _("同意")
    AMEND = "AMEND", _("修改")
    DELETE = "DELETE", _("删除")


class ReportKind(models.TextChoices):
    """机构编制报告 a unit owes the 编委 / 编办 (brief §2.11)."""

    MAJOR = "MAJOR", _("重大事项报告")
    ANNUAL = "ANNUAL", _("年度执行情况报告")
    IMPLEMENTATION = "IMPLEMENTATION", _("实施情况报告")
    OTHER = "OTHER", _("其他")


class ReportState(models.TextChoices):
    """待报送 → 已报送 → 已确认; a report sent back (退回) is 待报送 again, with the reason."""

    PENDING = "PENDING", _("待报送")
    SUBMITTED = "SUBMITTED", _("已报送")
    ACCEPTED = "ACCEPTED", _("已确认")
