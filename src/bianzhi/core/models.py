from django.db import models
from django.utils.translation import gettext_lazy as _


class Installation(models.Model):
    """The one county this installation serves (a single row). The demo marks its data as fictional."""

    county_name = models.CharField(_("县（市、区）名称"), max_length=50)
    region_code = models.CharField(_("行政区划代码"), max_length=6)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("本系统所属地区")

    def __str__(self) -> str:
        return self.county_name


def current_installation() -> Installation | None:
    return Installation.objects.order_by("pk").first()
