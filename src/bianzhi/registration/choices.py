from django.db import models
from django.utils.translation import gettext_lazy as _

from bianzhi.core.ids import uscc_authorities

# 登记管理部门代码 of the 机构编制 authorities (GB 32100-2015): the county 编办 issues codes under it
AUTHORITY = "1"


def category_choices() -> list[tuple[str, str]]:
    """机构类别 of the 机构编制 authorities, from the shipped code table (core/data/uscc_categories.json)."""
    return list(uscc_authorities()[AUTHORITY]["categories"].items())


class InstitutionStatus(models.TextChoices):
    REGISTERED = "REGISTERED", _("已登记")
    CANCELLED = "CANCELLED", _("已注销")
    REVOKED = "REVOKED", _("已撤销登记")


class FundingSource(models.TextChoices):
    FULL = "FULL", _("财政全额拨款")
    PARTIAL = "PARTIAL", _("财政差额补助")
    SELF = "SELF", _("自收自支")
    OTHER = "OTHER", _("其他")


class CertificateKind(models.TextChoices):
    ORIGINAL = "ORIGINAL", _("正本")
    COPY = "COPY", _("副本")


class CreditState(models.TextChoices):
    NORMAL = "NORMAL", _("正常")
    WARNED = "WARNED", _("书面警告")
    ABNORMAL_LISTED = "ABNORMAL_LISTED", _("列入异常名录")
    BLACKLISTED = "BLACKLISTED", _("列入黑名单")
    REVOKED = "REVOKED", _("撤销登记")


class InspectionMethod(models.TextChoices):
    DESK = "DESK", _("书面审查")
    ON_SITE = "ON_SITE", _("实地核查")
    ONLINE = "ONLINE", _("网络监测")


class DrawState(models.TextChoices):
    DRAWN = "DRAWN", _("已抽取")
    NOTIFIED = "NOTIFIED", _("已通知")
    INSPECTED = "INSPECTED", _("已检查")
    PUBLISHED = "PUBLISHED", _("已公示")


class InspectionResult(models.TextChoices):
    """抽查结果 (brief §6.7)."""

    NO_PROBLEM = "NO_PROBLEM", _("未发现问题")
    RECTIFY = "RECTIFY", _("发现问题已责令整改")
    MISMATCH = "MISMATCH", _("登记事项与实际不符")
    NO_ANNUAL_REPORT = "NO_ANNUAL_REPORT", _("未按规定公示年报")
    UNREACHABLE = "UNREACHABLE", _("查无下落（失联）")
    OTHER = "OTHER", _("其他")
