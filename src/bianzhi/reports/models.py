"""The annual statistics round (年度机构编制统计报送, brief §8): the county's report on a year as a record that moves
草稿 → 已校验 → 已定稿 → 已报送, and the seven tables frozen when it is finalised. A correction is a new version of
the year; the version it replaces stays as it was. Written only by ``reports.rounds``."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundState(models.TextChoices):
    DRAFT = "DRAFT", _("草稿")
    CHECKED = "CHECKED", _("已校验")
    FINAL = "FINAL", _("已定稿")
    SUBMITTED = "SUBMITTED", _("已报送")


def _actor():
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )


class StatRound(models.Model):
    """One version of the county's statistics on a year, as of 12-31 of that year."""

    year = models.PositiveSmallIntegerField(_("统计年度"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    corrects = models.OneToOneField(
        "self", verbose_name=_("更正的版本"), null=True, blank=True, on_delete=models.PROTECT, related_name="correction"
    )
    correction_reason = models.TextField(_("更正原因"), blank=True)
    as_of = models.DateField(_("统计截至日期"))
    due_on = models.DateField(_("报送期限"))
    state = models.CharField(_("状态"), max_length=12, choices=RoundState.choices, default=RoundState.DRAFT)
    created_by = _actor()
    created_at = models.DateTimeField(auto_now_add=True)
    checked_by = _actor()
    checked_at = models.DateTimeField(_("校验时间"), null=True, blank=True)
    finalised_by = _actor()
    finalised_at = models.DateTimeField(_("定稿时间"), null=True, blank=True)
    submitted_by = _actor()
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_on = models.DateField(_("报送日期"), null=True, blank=True)
    late_reason = models.TextField(_("迟报原因"), blank=True)

    class Meta:
        verbose_name = _("年度机构编制统计报送")
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="stat_round_year_version"),
            models.CheckConstraint(
                condition=models.Q(version=1, corrects__isnull=True) | models.Q(version__gt=1, corrects__isnull=False),
                name="stat_round_correction_has_original",
            ),
            models.CheckConstraint(
                condition=~models.Q(state=RoundState.SUBMITTED) | models.Q(submitted_on__isnull=False),
                name="stat_round_submitted_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(submitted_on__isnull=True)
                | models.Q(submitted_on__lte=models.F("due_on"))
                | ~models.Q(late_reason=""),
                name="stat_round_late_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} 年度机构编制统计（第 {self.version} 版）"

    @property
    def frozen(self) -> bool:
        return self.state in (RoundState.FINAL, RoundState.SUBMITTED)

    @property
    def late(self) -> bool:
        """Sent after the deadline (迟报), so with an explanation letter."""
        return self.submitted_on is not None and self.submitted_on > self.due_on

    def overdue(self, today: dt.date) -> bool:
        return self.state != RoundState.SUBMITTED and self.due_on < today

    @property
    def state_tone(self) -> str:
        return {RoundState.SUBMITTED: "green", RoundState.FINAL: "azure"}.get(self.state, "blue")


class StatSnapshot(models.Model):
    """A table T1–T7 as it stood when its round was finalised (``StatTable.as_dict()``): never written again."""

    round = models.ForeignKey(StatRound, on_delete=models.PROTECT, related_name="snapshots")
    code = models.CharField(_("统计表"), max_length=4)
    data = models.JSONField(_("表内容"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("统计表快照")
        ordering = ["round", "code"]
        constraints = [models.UniqueConstraint(fields=["round", "code"], name="stat_snapshot_once_per_round")]

    def __str__(self) -> str:
        return f"{self.round} · {self.code}"
