"""The real-name roster: who occupies which quota slot, and the approvals and loans that let them in."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from bianzhi.core.textsearch import GramsContains
from bianzhi.roster.choices import (
    ApprovalStatus,
    Education,
    EntryMode,
    ExitReason,
    Gender,
    HireKind,
    LoanPurpose,
    LoanStatus,
    PersonStatus,
    PoliticalStatus,
    StaffIdentity,
)


class Person(models.Model):
    """One person, by 公民身份号码. The number itself is kept only encrypted (SM4); ``id_hash`` (HMAC-SM3) finds
    it, ``id_masked`` shows it. Status changes only through the staffing services."""

    name = models.CharField(_("姓名"), max_length=40)
    name_pinyin = models.CharField(max_length=240, blank=True, editable=False, db_index=True)
    name_initials = models.CharField(max_length=40, blank=True, editable=False, db_index=True)
    id_hash = models.CharField(max_length=64, unique=True, editable=False)
    id_cipher = models.TextField(editable=False)
    id_masked = models.CharField(_("公民身份号码"), max_length=18, db_index=True, editable=False)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"))
    ethnicity = models.CharField(_("民族"), max_length=20, blank=True)
    native_place = models.CharField(_("籍贯"), max_length=60, blank=True)
    political_status = models.CharField(_("政治面貌"), max_length=2, choices=PoliticalStatus.choices, blank=True)
    work_start_date = models.DateField(_("参加工作时间"), null=True, blank=True)
    education = models.CharField(_("学历"), max_length=2, choices=Education.choices, blank=True)
    degree = models.CharField(_("学位"), max_length=10, blank=True)
    school = models.CharField(_("毕业学校"), max_length=80, blank=True)
    major = models.CharField(_("专业"), max_length=80, blank=True)
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="persons")
    internal_body = models.CharField(_("所在机构"), max_length=60, blank=True)
    identity = models.CharField(_("人员身份"), max_length=4, choices=StaffIdentity.choices, blank=True)
    position = models.CharField(_("职务"), max_length=60, blank=True)
    rank_title = models.CharField(_("职级"), max_length=30, blank=True)
    post_since = models.DateField(_("任现职时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=PersonStatus.choices, db_index=True)
    on_leave = models.BooleanField(_("在编不在岗"), default=False)
    phone_cipher = models.TextField(blank=True, editable=False)
    remarks = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("实名制人员")
        ordering = ["unit_id", "pk"]
        indexes = [models.Index(fields=["name", "birth_date"], name="person_name_birth")]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_masked}）"


# a search by a part of a name reads the index of its pieces on PostgreSQL (migration 0006, core.textsearch)
Person._meta.get_field("name").register_lookup(GramsContains)


class TurnoverLoan(models.Model):
    """``count`` slots of the turnover pool lent to a unit for a term (brief §2.7). Persons on them are listed
    separately (单列); each slot comes back (``returned``) when its person leaves or converts to a normal slot."""

    serial = models.CharField(_("编号"), max_length=40, unique=True)
    pool = models.ForeignKey("quotas.QuotaAccount", on_delete=models.PROTECT, related_name="loans")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("借用单位"), on_delete=models.PROTECT, related_name="loans")
    funding_form = models.CharField(_("经费形式"), max_length=4)
    count = models.PositiveIntegerField(_("借用数量"))
    returned = models.PositiveIntegerField(_("已归还"), default=0)
    purpose = models.CharField(_("用途"), max_length=10, choices=LoanPurpose.choices)
    start_date = models.DateField(_("起始日期"))
    due_date = models.DateField(_("周转期满"))
    status = models.CharField(_("状态"), max_length=10, choices=LoanStatus.choices, default=LoanStatus.ACTIVE)
    closed_on = models.DateField(_("归还日期"), null=True, blank=True)
    document = models.ForeignKey("orgs.Document", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("周转编制借用")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(count__gt=0), name="loan_count_positive"),
            models.CheckConstraint(condition=Q(returned__lte=F("count")), name="loan_returned_le_count"),
            models.CheckConstraint(condition=Q(due_date__gt=F("start_date")), name="loan_term"),
        ]

    def __str__(self) -> str:
        return f"{self.serial} {self.unit.name} {self.count} 名"

    @property
    def outstanding(self) -> int:
        return self.count - self.returned


class Approval(models.Model):
    """用编核准单: a unit asks for ``count`` slots of one (type, funding form); approving reserves them until they
    are used, the approval expires, or it is cancelled (brief §2.1)."""

    serial = models.CharField(_("核准单号"), max_length=40, unique=True, null=True, blank=True)
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("用编单位"), on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey("quotas.QuotaAccount", on_delete=models.PROTECT, related_name="approvals")
    count = models.PositiveIntegerField(_("申请数量"))
    used = models.PositiveIntegerField(_("已使用"), default=0)
    entry_mode = models.CharField(_("拟补充方式"), max_length=4, choices=EntryMode.choices)
    purpose = models.TextField(_("用编理由"))
    status = models.CharField(
        _("状态"), max_length=16, choices=ApprovalStatus.choices, default=ApprovalStatus.DRAFT, db_index=True
    )
    approved_on = models.DateField(_("核准日期"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    closed_on = models.DateField(_("终结日期"), null=True, blank=True)
    review_comment = models.TextField(_("审核意见"), blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("用编核准单")
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(count__gt=0), name="approval_count_positive"),
            models.CheckConstraint(condition=Q(used__lte=F("count")), name="approval_used_le_count"),
        ]

    def __str__(self) -> str:
        return self.serial or f"用编申请 {self.pk}"

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        if self.approved_on is not None and _touches(kwargs.get("update_fields"), APPROVAL_USE_FIELDS):
            _refresh_use(self.account_id)

    @property
    def remaining(self) -> int:
        return self.count - self.used


class ApprovalStep(models.Model):
    """One transition of an approval, with who did it and what they said (the approval page's history)."""

    approval = models.ForeignKey(Approval, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    comment = models.TextField(blank=True)
    actor = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.approval_id}: {self.from_status} → {self.to_status}"

    def get_to_status_label(self) -> str:
        return ApprovalStatus(self.to_status).label


class Occupancy(models.Model):
    """A person in one slot of a unit account over ``[start_date, end_date)``; a slot lent from the turnover pool
    when ``loan`` is set. At most one open occupancy per person (invariant I6)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="occupancies")
    account = models.ForeignKey("quotas.QuotaAccount", on_delete=models.PROTECT, related_name="occupancies")
    loan = models.ForeignKey(TurnoverLoan, null=True, blank=True, on_delete=models.PROTECT, related_name="occupancies")
    approval = models.ForeignKey(Approval, null=True, blank=True, on_delete=models.PROTECT, related_name="occupancies")
    start_date = models.DateField(_("入编时间"))
    end_date = models.DateField(_("出编时间"), null=True, blank=True)
    entry_mode = models.CharField(_("进入方式"), max_length=4, choices=EntryMode.choices)
    hire_kind = models.CharField(_("补缺或新增"), max_length=10, choices=HireKind.choices)
    entry_document = models.ForeignKey(
        "orgs.Document", verbose_name=_("入编依据"), on_delete=models.PROTECT, related_name="+"
    )
    entry_serial = models.CharField(_("入编通知单号"), max_length=40, blank=True)
    override_reason = models.TextField(_("未经核准入编的理由"), blank=True)
    transferred_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="transferred_to"
    )
    exit_reason = models.CharField(_("出编原因"), max_length=4, choices=ExitReason.choices, blank=True)
    exit_document = models.ForeignKey(
        "orgs.Document", verbose_name=_("出编依据"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    exit_serial = models.CharField(_("出编通知单号"), max_length=40, blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("编制占用")
        ordering = ["start_date", "pk"]
        indexes = [models.Index(fields=["account", "start_date"], name="occupancy_account_start")]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(end_date__isnull=True), name="one_open_slot"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")), name="occupancy_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} @ {self.account}"

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        if _touches(kwargs.get("update_fields"), OCCUPANCY_USE_FIELDS):
            _refresh_use(self.account_id)

    @property
    def is_open(self) -> bool:
        return self.end_date is None


class SlotUse(models.Model):
    """实有 / 已核准未入编 / 单列 of one account over ``[valid_from, valid_to)``: derived from the occupancies and
    approvals by ``roster.usage.use_refresh`` whenever they change, never written otherwise (decision 0009)."""

    account = models.ForeignKey("quotas.QuotaAccount", on_delete=models.CASCADE, related_name="use_intervals")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True)
    occupied = models.IntegerField()
    reserved = models.IntegerField()
    listed = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "valid_from"], name="slot_use_account_from")]
        # the intervals in force today (open, or ending after today): the ledger's everyday read, one per account
        indexes = [models.Index(fields=["valid_to"], name="slot_use_to")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.valid_from}–{self.valid_to or ''}: {self.occupied}/{self.reserved}"


# the fields a slot-use interval is derived from: a save that changes none of them leaves the intervals as they are
OCCUPANCY_USE_FIELDS = frozenset(
    {"account", "account_id", "approval", "approval_id", "loan", "loan_id", "start_date", "end_date"}
)
APPROVAL_USE_FIELDS = frozenset({"account", "account_id", "count", "approved_on", "closed_on"})


def _touches(update_fields, fields: frozenset) -> bool:
    return update_fields is None or not fields.isdisjoint(update_fields)


def _refresh_use(account_id: int) -> None:
    # saving a row the intervals derive from rebuilds them in the same transaction: no writer can forget it
    from bianzhi.roster.usage import use_refresh

    use_refresh([account_id])


class PostAssignment(models.Model):
    """A person filling one approved leadership post (实配) over ``[start_date, end_date)``."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="posts")
    account = models.ForeignKey("quotas.LeadershipAccount", on_delete=models.PROTECT, related_name="holders")
    start_date = models.DateField(_("任职时间"))
    end_date = models.DateField(_("免职时间"), null=True, blank=True)
    document = models.ForeignKey("orgs.Document", on_delete=models.PROTECT, related_name="+")
    gaopei_document = models.ForeignKey(
        "orgs.Document",
        verbose_name=_("超配批准文件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("领导职数实配")
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(end_date__isnull=True), name="one_open_post"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.account_id}"


class SerialCounter(models.Model):
    """The last serial number issued per notice kind and year (用编核准、入编、出编、周转)."""

    kind = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="serial_counter_unique")]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last}"


class RosterImport(models.Model):
    """One run of the roster import (实名制 first load): what was asked, how far it got, and what it found.
    Issues are kept with masked ID numbers only; the uploaded file itself stays in ``var/imports`` (staging)."""

    class State(models.TextChoices):
        QUEUED = "QUEUED", "排队中"
        CHECKING = "CHECKING", "检查中"
        WRITING = "WRITING", "写入中"
        CHECKED = "CHECKED", "检查通过"  # a clean dry run, ready to be confirmed
        IMPORTED = "IMPORTED", "已导入"
        REJECTED = "REJECTED", "未导入"  # bad rows or a bad file: nothing was written
        FAILED = "FAILED", "系统错误"
        INTERRUPTED = "INTERRUPTED", "已中断"  # its process died (killed, server restarted): nothing was written

    FINISHED = (State.CHECKED, State.IMPORTED, State.REJECTED, State.FAILED, State.INTERRUPTED)

    file_name = models.CharField(_("文件名"), max_length=255)
    staged_token = models.CharField(max_length=64, blank=True)
    dry_run = models.BooleanField(_("仅检查"), default=False)
    document = models.JSONField(_("入编依据"), default=dict)  # as typed: number, title, issued_on, issuer
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.QUEUED, db_index=True)
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)  # percent
    rows_total = models.PositiveIntegerField(_("数据行数"), null=True, blank=True)  # an estimate until checked
    rows_checked = models.PositiveIntegerField(_("已检查"), default=0)
    rows_written = models.PositiveIntegerField(_("已写入"), default=0)
    error_count = models.PositiveIntegerField(_("错误"), default=0)
    warning_count = models.PositiveIntegerField(_("提示"), default=0)
    summary = models.JSONField(default=dict)  # what the result page shows: first issues, warnings, accounts
    error_report = models.CharField(_("错误报告"), max_length=500, blank=True)  # path of the .xlsx
    confirms = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    task_id = models.CharField(max_length=64, blank=True)
    worker = models.CharField(max_length=200, blank=True)  # host:pid:start of the process running it (see import_tasks)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("实名制导入")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.file_name}（{self.get_state_display()}）"

    @property
    def finished(self) -> bool:
        return self.state in self.FINISHED
