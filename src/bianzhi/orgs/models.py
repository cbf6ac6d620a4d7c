from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.Model):
    """A body in the county's tree (机关, 事业单位, 乡镇 …).

    ``tree_path`` is a materialised path of primary keys (``/1/5/12/``) so that "this unit and everything
    under it", the question every access check asks, is one indexed prefix match at any depth.
    """

    name = models.CharField(_("机构名称"), max_length=200)
    code = models.CharField(_("机构编码"), max_length=32, unique=True, null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    tree_path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["tree_path"]

    def __str__(self) -> str:
        return self.name

    def path_for_child(self, child_pk: int) -> str:
        return f"{self.tree_path}{child_pk}/"
