from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bianzhi.core.textsearch import GramsContains
from bianzhi.orgs.choices import (
    InstitutionClass,
    SystemCategory,
    UnitChange,
    UnitKind,
    UnitNature,
    UnitRank,
    UnitStatus,
)


class Document(models.Model):
    """An approval document (批准文件). Every change to the register or the ledger cites one.

    Its scan or PDF (``file``, kept by ``core.files``) is named by ``file_name``; ``file_text`` is the PDF's text
    layer. ``search_text`` is what the archive's search reads: the 文号, title, issuer and file text folded
    (``orgs.documents.document_search_text``), written by every writer of those fields."""

    number = models.CharField(_("文号"), max_length=100, unique=True)
    title = models.CharField(_("文件标题"), max_length=300)
    issued_on = models.DateField(_("发文日期"), db_index=True)
    issuer = models.CharField(_("发文机关"), max_length=100, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    file = models.ForeignKey(
        "core.StoredFile", verbose_name=_("文件"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField(_("文件名"), max_length=255, blank=True)
    file_text = models.TextField(_("文件文字"), blank=True, editable=False)
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("批准文件")
        ordering = ["-issued_on", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(file__isnull=True, file_name="") | (Q(file__isnull=False) & ~Q(file_name="")),
                name="document_file_named",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


# a search of the archive reads the index of the pieces of its folded text on PostgreSQL (core.textsearch)
Document._meta.get_field("search_text").register_lookup(GramsContains)


class VersionedUnitFields(models.Model):
    """The attributes of a unit that change over time; a unit holds the current ones, versions the history."""

    name = models.CharField(_("机构全称"), max_length=200)
    short_name = models.CharField(_("规范简称"), max_length=100, blank=True)
    other_names = models.JSONField(_("其他名称（加挂牌子）"), default=list, blank=True)
    system_category = models.CharField(_("系统类别"), max_length=16, choices=SystemCategory.choices)
    kind = models.CharField(_("机构类型"), max_length=16, choices=UnitKind.choices)
    nature = models.CharField(_("机构性质"), max_length=16, choices=UnitNature.choices)
    rank = models.CharField(_("机构规格"), max_length=16, choices=UnitRank.choices)
    parent = models.ForeignKey(
        "orgs.Unit", verbose_name=_("上级机构"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sponsor = models.ForeignKey(
        "orgs.Unit", verbose_name=_("举办单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    institution_class = models.CharField(_("事业单位分类"), max_length=8, choices=InstitutionClass.choices, blank=True)
    is_canggong = models.BooleanField(_("参照公务员法管理"), default=False)
    is_zhengfa = models.BooleanField(
        _("政法机关"), default=False, help_text=_("公安、国家安全、法院、检察院、司法行政")
    )
    status = models.CharField(_("状态"), max_length=16, choices=UnitStatus.choices, default=UnitStatus.ACTIVE)

    VERSIONED = (
        "name",
        "short_name",
        "other_names",
        "system_category",
        "kind",
        "nature",
        "rank",
        "parent_id",
        "sponsor_id",
        "institution_class",
        "is_canggong",
        "is_zhengfa",
        "status",
    )

    class Meta:
        abstract = True

    def versioned_values(self) -> dict:
        return {field: getattr(self, field) for field in self.VERSIONED}


class Unit(VersionedUnitFields):
    """A body in the county's register (机关, 事业单位, 乡镇, 内设机构 …), with its current attributes.

    ``tree_path`` is a materialised path of primary keys (``/1/5/12/``) so that "this unit and everything
    under it", the question every access check asks, is one indexed prefix match at any depth.
    """

    parent = models.ForeignKey(
        "self", verbose_name=_("上级机构"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, null=True, blank=True)
    code = models.CharField(_("机构编码"), max_length=32, unique=True, null=True, blank=True)
    established_on = models.DateField(_("设立日期"), null=True, blank=True)
    abolished_on = models.DateField(_("撤销日期"), null=True, blank=True)
    successor = models.ForeignKey(
        "self", verbose_name=_("承继机构"), null=True, blank=True, on_delete=models.PROTECT, related_name="predecessors"
    )
    tree_path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    name_pinyin = models.CharField(max_length=600, blank=True, editable=False, db_index=True)
    name_initials = models.CharField(max_length=200, blank=True, editable=False, db_index=True)
    # 涉密 units (公安、国家安全 …) are kept off the 实名制公示, with their sub-units; set and cleared by
    # orgs.services.unit_set_disclosure, which cites the document and records the reason
    disclosure_withheld = models.BooleanField(_("不予公示"), default=False)
    disclosure_reason = models.CharField(_("不予公示理由"), max_length=500, blank=True)
    disclosure_document = models.ForeignKey(
        Document,
        verbose_name=_("不予公示依据"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["tree_path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=UnitKind.SHIYE) | Q(institution_class=""), name="unit_class_only_for_institutions"
            ),
            # two current units never share a name; merged and abolished ones keep theirs in history
            models.UniqueConstraint(fields=["name"], condition=Q(status=UnitStatus.ACTIVE), name="unit_active_name"),
            models.CheckConstraint(
                condition=Q(disclosure_withheld=False, disclosure_reason="", disclosure_document__isnull=True)
                | (Q(disclosure_withheld=True, disclosure_document__isnull=False) & ~Q(disclosure_reason="")),
                name="unit_disclosure_withheld_with_reason_and_document",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == UnitStatus.ACTIVE

    def path_for_child(self, child_pk: int) -> str:
        return f"{self.tree_path}{child_pk}/"


class UnitVersion(VersionedUnitFields):
    """A unit's attributes during ``[valid_from, valid_to)``; the open version (``valid_to`` null) is current."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="versions")
    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("终止日期"), null=True, blank=True)
    change = models.CharField(_("变化原因"), max_length=16, choices=UnitChange.choices)
    document = models.ForeignKey(Document, verbose_name=_("批准文件"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("机构历史版本")
        ordering = ["unit", "valid_from", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "valid_from"], name="unit_version_unique_start"),
            models.UniqueConstraint(fields=["unit"], condition=Q(valid_to__isnull=True), name="unit_version_one_open"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="unit_version_positive_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.valid_from} 起）"


class SanDingVersion(models.Model):
    """A version of a unit's 三定 (职能配置、内设机构和人员编制规定), tied to the document that issued it."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="sanding_versions")
    version = models.PositiveIntegerField(_("版本"))
    document = models.ForeignKey(Document, verbose_name=_("批准文件"), on_delete=models.PROTECT, related_name="+")
    effective_from = models.DateField(_("施行日期"))
    duties = models.JSONField(_("主要职责"), default=list)  # [{"id": "D1", "text": "…"}]
    internal_bodies = models.JSONField(_("内设机构"), default=list)  # [{"id": "B1", "name": "…", "duties": ["…"]}]
    staffing = models.JSONField(_("人员编制"), default=dict)  # {"XZ": 12, "GQ": 2}
    leadership = models.JSONField(_("领导职数"), default=dict)  # {"正职": 1, "副职": 3}
    other_clauses = models.TextField(_("其他事项"), blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("三定规定版本")
        ordering = ["unit", "-version"]
        constraints = [models.UniqueConstraint(fields=["unit", "version"], name="sanding_version_unique")]

    def __str__(self) -> str:
        return f"{self.unit} 三定 第{self.version}版"
