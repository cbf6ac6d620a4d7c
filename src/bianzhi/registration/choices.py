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


class ApplicationKind(models.TextChoices):
    SETUP = "SETUP", _("设立登记")
    CHANGE = "CHANGE", _("变更登记")
    CANCEL = "CANCEL", _("注销登记")
    REISSUE = "REISSUE", _("证书补领")
    RENEW = "RENEW", _("证书换领")


class ApplicationState(models.TextChoices):
    DRAFT = "DRAFT", _("草稿")
    SUBMITTED = "SUBMITTED", _("已提交，待受理")
    NEEDS_CORRECTION = "NEEDS_CORRECTION", _("待补正")
    ACCEPTED = "ACCEPTED", _("已受理，审查中")
    NOT_ACCEPTED = "NOT_ACCEPTED", _("不予受理")
    REVIEWED = "REVIEWED", _("已审查，待核准")
    APPROVED = "APPROVED", _("已核准，待发（缴）证")
    REJECTED = "REJECTED", _("不予登记")
    CERT_ISSUED = "CERT_ISSUED", _("已发（缴）证，待公告")
    PUBLISHED = "PUBLISHED", _("已公告")
    CLOSED = "CLOSED", _("已办结")
    WITHDRAWN = "WITHDRAWN", _("已撤回")


class CancelTrigger(models.TextChoices):
    """注销登记的事由 (brief §6.4)."""

    SPONSOR_DISSOLVED = "SPONSOR_DISSOLVED", _("举办单位决定解散")
    MERGED_OR_SPLIT = "MERGED_OR_SPLIT", _("因合并、分立解散")
    BY_LAW = "BY_LAW", _("依照法律、法规和章程规定解散")
    ORDERED = "ORDERED", _("被行政机关依法责令撤销")
    REVOKED = "REVOKED", _("法人登记被撤销或证书被吊销")
    OTHER = "OTHER", _("其他原因")


class AnnualReportState(models.TextChoices):
    """年度报告 (brief §6.6). 逾期未报 is not stored: it is what a report not sent is once the window has closed
    (``annual.overdue_institutions``)."""

    NOT_SUBMITTED = "NOT_SUBMITTED", _("未报送")
    SUBMITTED = "SUBMITTED", _("已报送")
    RETURNED = "RETURNED", _("已退回")
    ACCEPTED = "ACCEPTED", _("已审核")
    PUBLISHED = "PUBLISHED", _("已公示")


class SanctionStep(models.TextChoices):
    """The steps against an institution that did not report in time, in their order (brief §6.6)."""

    WARNING = "WARNING", _("书面警告")
    WITHHOLD = "WITHHOLD", _("暂扣证书及印章、责令限期改正")
    REVOKE = "REVOKE", _("撤销登记")


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


class FilingKind(models.TextChoices):
    """备案 after the certificate is issued (brief §6.1): the seal's impression, the basic bank account, and the legal
    representative's signature or seal."""

    SEAL = "SEAL", _("印章印迹")
    BANK_ACCOUNT = "BANK_ACCOUNT", _("基本账户")
    SIGNATURE = "SIGNATURE", _("法定代表人签字（印章）印迹")
