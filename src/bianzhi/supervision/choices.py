"""The code lists of 12310 complaints (brief §7.1, §7.2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    PHONE = "PHONE", _("电话")
    LETTER = "LETTER", _("来信")
    VISIT = "VISIT", _("来访")
    ONLINE = "ONLINE", _("网络")


class Category(models.TextChoices):
    """The violations of the 机构编制工作条例 (brief §7.1)."""

    REFORM = "REFORM", _("不贯彻落实机构改革和重大决策部署，不按照“三定”规定履行职责")
    ORGANS = "ORGANS", _("擅自设立、撤销、合并机构或者变更机构名称、规格、性质、职责权限，变相增设机构或者提高规格")
    STAFFING = "STAFFING", _("擅自增加编制种类、突破编制总额、改变编制使用范围、挤占挪用基层编制")
    APPROVAL = "APPROVAL", _("违规审批机构编制、核定领导职数")
    FALSIFY = "FALSIFY", _("伪造、虚报、瞒报、拒报机构编制统计、登记管理、实名制等数据")
    INTERFERE = "INTERFERE", _("违规在规章和规范性文件中规定机构编制事项，干预机构设置、职能配置和编制配备")
    OTHER = "OTHER", _("其他违反机构编制纪律的行为")


class NotAcceptedReason(models.TextChoices):
    """Why a complaint is not accepted (brief §7.1)."""

    LITIGATION = "LITIGATION", _("属于诉讼、仲裁、行政复议范围")
    OTHER_DEPARTMENT = "OTHER_DEPARTMENT", _("个人就业安置、身份待遇、社保接续等，属其他部门职责")
    BYPASS = "BYPASS", _("越级走访")
    REPEATED = "REPEATED", _("同一事实重复举报，已经复查")
    CONSULTATION = "CONSULTATION", _("信息公开申请或业务咨询")
    OTHER = "OTHER", _("其他不属于受理范围的情形")


class HandlingType(models.TextChoices):
    SELF = "SELF", _("自办")
    DELEGATED = "DELEGATED", _("交办")
    TRANSFERRED = "TRANSFERRED", _("转办")


class Finding(models.TextChoices):
    TRUE = "TRUE", _("属实")
    PARTLY = "PARTLY", _("部分属实")
    FALSE = "FALSE", _("不属实")


class ComplaintState(models.TextChoices):
    RECEIVED = "RECEIVED", _("已登记，待受理")
    NOT_ACCEPTED = "NOT_ACCEPTED", _("不予受理")
    ACCEPTED = "ACCEPTED", _("已受理，待拟办")
    ASSIGNED = "ASSIGNED", _("已拟办，待调查")
    INVESTIGATING = "INVESTIGATING", _("调查核实中")
    CONCLUDED = "CONCLUDED", _("已办结")
    FEEDBACK_SENT = "FEEDBACK_SENT", _("已反馈")
    ARCHIVED = "ARCHIVED", _("已归档")


class Source(models.TextChoices):
    """Where a rectification item was found (brief §7.3)."""

    INSPECTION = "INSPECTION", _("监督检查")
    COMPLAINT = "COMPLAINT", _("12310 举报")
    DRAW = "DRAW", _("双随机抽查")
    EVALUATION = "EVALUATION", _("评估")
    PATROL = "PATROL", _("巡察")
    AUDIT = "AUDIT", _("审计")
    RECONCILIATION = "RECONCILIATION", _("统计核查与数据比对")
    LEDGER = "LEDGER", _("台账自动发现")


class RectificationState(models.TextChoices):
    OPEN = "OPEN", _("待下达整改通知")
    NOTIFIED = "NOTIFIED", _("已下达通知，待报整改计划")
    PLAN_SUBMITTED = "PLAN_SUBMITTED", _("已报整改计划，待审核")
    IN_PROGRESS = "IN_PROGRESS", _("整改中")
    SUBMITTED = "SUBMITTED", _("已报整改结果，待核验销号")
    REOPENED = "REOPENED", _("核验未通过，继续整改")
    CLOSED = "CLOSED", _("已销号")


class Escalation(models.TextChoices):
    TALK = "TALK", _("约谈")
    NOTICE = "NOTICE", _("通报")
    REFER = "REFER", _("问责移送")


class InspectionKind(models.TextChoices):
    SPECIAL = "SPECIAL", _("专项检查")
    ROUTINE = "ROUTINE", _("日常检查")
    JOINT = "JOINT", _("联合检查")


class InspectionState(models.TextChoices):
    PLANNED = "PLANNED", _("计划")
    UNDER_WAY = "UNDER_WAY", _("实施中")
    COMPLETED = "COMPLETED", _("已完成")


class CheckResult(models.TextChoices):
    COMPLIANT = "COMPLIANT", _("符合")
    NONCOMPLIANT = "NONCOMPLIANT", _("不符合")
    NOT_APPLICABLE = "NOT_APPLICABLE", _("不适用")


class JointSource(models.TextChoices):
    """The other checks a campaign is combined with (brief §7.3, 宝山)."""

    AUDIT = "AUDIT", _("审计")
    PATROL = "PATROL", _("巡察")
    APPOINTMENT = "APPOINTMENT", _("选人用人专项检查")


class EvaluationKind(models.TextChoices):
    """Kept apart (brief §7.4): 执行情况 asks whether the rules were followed, 使用效益 what the slots achieve;
    履职评估 (brief §2.12) is that of one 事业单位."""

    EXECUTION = "EXECUTION", _("机构编制执行情况评估")
    BENEFIT = "BENEFIT", _("机构编制使用效益评估")
    PERFORMANCE = "PERFORMANCE", _("事业单位履职评估")


class InstitutionCategory(models.TextChoices):
    """The class of a 事业单位 in a 履职评估 (brief §2.12, 宿迁)."""

    TECHNICAL = "TECHNICAL", _("技术服务类")
    REGULATORY = "REGULATORY", _("监管服务类")
    LIVELIHOOD = "LIVELIHOOD", _("基本民生服务类")
    SUPPORT = "SUPPORT", _("机关保障服务类")


class EvaluationState(models.TextChoices):
    DRAFT = "DRAFT", _("草稿（自查自评、录入）")
    COMPUTED = "COMPUTED", _("已计算")
    DECIDED = "DECIDED", _("已评定")
    REPORTED = "REPORTED", _("已报送")


class IndicatorMethod(models.TextChoices):
    QUANTITATIVE = "定量", _("定量")
    QUALITATIVE = "定性", _("定性")
