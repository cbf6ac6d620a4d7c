"""Code sets of the real-name roster (brief §1.8, §2.1–§2.3, §2.7)."""

from __future__ import annotations

from django.db import models


class Gender(models.TextChoices):
    # GB/T 2261.1
    MALE = "1", "男"
    FEMALE = "2", "女"


class PersonStatus(models.TextChoices):
    IN_QUOTA = "IN_QUOTA", "在编"
    OUT = "OUT", "已出编"


class RosterStatus(models.TextChoices):
    """What the list's 状态 filter offers: the person's status, 在编不在岗 among those in post, or everyone."""

    IN_QUOTA = PersonStatus.IN_QUOTA.value, "在编"
    ON_LEAVE = "ON_LEAVE", "在编不在岗"
    OUT = PersonStatus.OUT.value, "已出编"
    ALL = "ALL", "全部"


class StaffIdentity(models.TextChoices):
    CIVIL_SERVANT = "GWY", "公务员"
    CANGONG = "CG", "参公人员"
    MANAGEMENT = "GL", "管理岗"
    PROFESSIONAL = "ZJ", "专业技术岗"
    WORKER = "GQ", "工勤技能岗"


class PoliticalStatus(models.TextChoices):
    # GB/T 4762, full names as the forms require
    CPC = "01", "中国共产党党员"
    CPC_PROBATION = "02", "中国共产党预备党员"
    CYL = "03", "中国共产主义青年团团员"
    OTHER_PARTY = "04", "民主党派成员"
    NONPARTY = "12", "无党派人士"
    MASSES = "13", "群众"


class Education(models.TextChoices):
    DOCTOR = "BS", "博士研究生"
    MASTER = "SS", "硕士研究生"
    BACHELOR = "BK", "本科"
    COLLEGE = "DZ", "大专"
    SECONDARY = "ZZ", "中专"
    HIGH_SCHOOL = "GZ", "高中"
    OTHER = "QT", "其他"


class EntryMode(models.TextChoices):
    KL = "KL", "考试录用"
    GZ = "GZ", "公开招聘"
    DR = "DR", "调入调任"
    JZ = "JZ", "军队转业干部安置"
    TY = "TY", "退役士兵安置"
    YJ = "YJ", "人才引进"
    XD = "XD", "选调生定向"
    QT = "QT", "其他"


class ExitReason(models.TextChoices):
    TX = "TX", "退休"
    CZ = "CZ", "辞职"
    DC = "DC", "调出本县"
    SW = "SW", "死亡"
    CT = "CT", "辞退解聘"
    KC = "KC", "开除"
    ZQ = "ZQ", "转企改制或单位撤销"
    QT = "QT", "其他"


class HireKind(models.TextChoices):
    BACKFILL = "BACKFILL", "补缺"
    NEW = "NEW", "新增"


class ApprovalStatus(models.TextChoices):
    DRAFT = "DRAFT", "草稿"
    SUBMITTED = "SUBMITTED", "已提交"
    UNDER_REVIEW = "UNDER_REVIEW", "审核中"
    RETURNED = "RETURNED", "已退回"
    REJECTED = "REJECTED", "不予核准"
    APPROVED = "APPROVED", "已核准"
    PARTIALLY_USED = "PARTIALLY_USED", "部分使用"
    FULLY_USED = "FULLY_USED", "已用完"
    EXPIRED = "EXPIRED", "已过期"
    CANCELLED = "CANCELLED", "已撤销"


# approvals whose unused slots are reserved (R in brief §1.9)
OPEN_APPROVAL = (ApprovalStatus.APPROVED, ApprovalStatus.PARTIALLY_USED)
# not yet decided: approving would still reserve the slots asked for
UNDECIDED_APPROVAL = (
    ApprovalStatus.DRAFT,
    ApprovalStatus.SUBMITTED,
    ApprovalStatus.UNDER_REVIEW,
    ApprovalStatus.RETURNED,
)
TERMINAL_APPROVAL = (
    ApprovalStatus.REJECTED,
    ApprovalStatus.FULLY_USED,
    ApprovalStatus.EXPIRED,
    ApprovalStatus.CANCELLED,
)


class LoanStatus(models.TextChoices):
    ACTIVE = "ACTIVE", "使用中"
    RETURNED = "RETURNED", "已归还"


class LoanPurpose(models.TextChoices):
    TALENT = "TALENT", "高层次人才"
    URGENT = "URGENT", "急需紧缺"
    TEMPORARY = "TEMPORARY", "阶段性工作"
