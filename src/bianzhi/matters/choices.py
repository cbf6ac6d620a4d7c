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
    IMPLEMENTING = "IMPLEMENTING", _("组织实施")
    IMPLEMENTED = "IMPLEMENTED", _("已实施")
    REPORTED = "REPORTED", _("实施报告")
    CLOSED = "CLOSED", _("已办结")
    RETURNED = "RETURNED", _("退回")
    REJECTED = "REJECTED", _("不予受理")
    NOT_APPROVED = "NOT_APPROVED", _("不予批准")
