from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PartnerKind(models.TextChoices):
    ORGANIZATION = "organization", "组织部"
    FINANCE = "finance", "财政"
    HR = "hr", "人社"
    AUDIT = "audit", "审计"
    DISCIPLINE = "discipline", "纪委监委"
    OTHER = "other", "其他"


class Partner(models.Model):
    """A partner department (合作部门) that calls the API: its own account, whose tokens are its only way in (the
    account has no usable password), and the networks its calls may come from."""

    name = models.CharField(_("部门名称"), max_length=100, unique=True)
    kind = models.CharField(_("部门类别"), max_length=16, choices=PartnerKind.choices)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("接口账号"), on_delete=models.PROTECT, related_name="partner"
    )
    # CIDR networks, one a line; empty: the global BIANZHI_API_ALLOWED_NETWORKS (itself empty: any address)
    allowed_networks = models.TextField(_("允许的来源网络"), blank=True)
    active = models.BooleanField(_("启用"), default=True)
    notes = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("合作部门")
        verbose_name_plural = _("合作部门")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def networks(self) -> list[str]:
        return [line.strip() for line in self.allowed_networks.splitlines() if line.strip()]


class ApiToken(models.Model):
    """A bearer token for a partner department or a script; it acts with its user's roles and scope.

    Only a keyed hash (HMAC-SM3) of the token is stored: a copy of the database yields no usable token.
    ``prefix`` (the token's first characters) names it in lists, the audit log and ``apitoken revoke``.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("账号"), on_delete=models.PROTECT, related_name="api_tokens"
    )
    name = models.CharField(_("名称"), max_length=100)
    prefix = models.CharField(_("前缀"), max_length=16, unique=True)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    expires_at = models.DateTimeField(_("有效期至"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    # api.scopes.Scope codes: what the token may call (tokens issued before scopes existed were given "full")
    scopes = models.JSONField(_("授权范围"), default=list)
    # calls a minute this token may make; empty: BIANZHI_API_CALLS_PER_MINUTE (a partner's nightly sync may need more)
    calls_per_minute = models.PositiveIntegerField(_("每分钟调用上限"), null=True, blank=True)
    # the last sequence number of the event feed this token was given (read, or pushed and acknowledged)
    last_seq_read = models.PositiveBigIntegerField(_("已读取事件序号"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or ())

    def is_usable(self, now: dt.datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)

    @property
    def last_day(self) -> dt.date | None:
        """The last day the token works, local time (it expires at the midnight that ends it)."""
        if self.expires_at is None:
            return None
        return timezone.localtime(self.expires_at - dt.timedelta(microseconds=1)).date()

    @property
    def call_limit(self) -> int:
        """Calls a minute this token may make (0: no limit)."""
        return self.calls_per_minute or settings.BIANZHI_API_CALLS_PER_MINUTE

    def state(self, now: dt.datetime) -> str:
        if self.revoked_at is not None:
            return "已吊销"
        return "有效" if self.is_usable(now) else "已过期"


class ApiCall(models.Model):
    """One call made with a token, answered or refused: who (the token, its account), what (method, path, status)
    and how many rows the answer held. Kept apart from the audit chain: reads are many, and a change made through
    the API is in the audit log already, under the token's account."""

    token = models.ForeignKey(ApiToken, verbose_name=_("令牌"), on_delete=models.PROTECT, related_name="calls")
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    method = models.CharField(_("方法"), max_length=8)
    path = models.CharField(_("路径"), max_length=255)
    status = models.PositiveSmallIntegerField(_("状态码"))
    rows = models.PositiveIntegerField(_("行数"), default=0)
    client_ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口调用")
        verbose_name_plural = _("接口调用")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status}"


class Webhook(models.Model):
    """Outbound delivery of the event feed to a partner's address (off unless ``BIANZHI_WEBHOOKS``): the events after
    ``delivered_seq`` are posted in pages shaped as ``GET /api/v1/events`` answers, signed with HMAC-SM3, with the
    token's scopes deciding what a page shows. A failed post is retried with back-off by the task worker."""

    token = models.OneToOneField(ApiToken, verbose_name=_("令牌"), on_delete=models.PROTECT, related_name="webhook")
    url = models.URLField(_("推送地址"), max_length=500)
    # the signing key, encrypted (roster.crypto): it must be read back to sign, unlike a token
    secret_cipher = models.TextField(editable=False)
    active = models.BooleanField(_("启用"), default=True)
    delivered_seq = models.PositiveBigIntegerField(_("已送达序号"), default=0)
    failures = models.PositiveIntegerField(_("连续失败次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次重试"), null=True, blank=True)
    # a worker delivering holds this lease, so that two workers never post the same events twice
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("设置时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("事件推送")
        verbose_name_plural = _("事件推送")

    def __str__(self) -> str:
        return f"{self.token.name} → {self.url}"


class WebhookDelivery(models.Model):
    """One post of a page of events: delivered or not, and why."""

    webhook = models.ForeignKey(
        Webhook, verbose_name=_("事件推送"), on_delete=models.CASCADE, related_name="deliveries"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    first_seq = models.PositiveBigIntegerField(_("起始序号"))
    last_seq = models.PositiveBigIntegerField(_("截止序号"))
    events = models.PositiveIntegerField(_("事件数"))
    attempt = models.PositiveIntegerField(_("第几次尝试"))
    status = models.PositiveSmallIntegerField(_("状态码"), null=True, blank=True)
    ok = models.BooleanField(_("送达"))
    error = models.CharField(_("失败原因"), max_length=300, blank=True)
    milliseconds = models.PositiveIntegerField(_("耗时（毫秒）"), default=0)

    class Meta:
        verbose_name = _("推送记录")
        verbose_name_plural = _("推送记录")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.first_seq}–{self.last_seq} {'送达' if self.ok else '失败'}"
