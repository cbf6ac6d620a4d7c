"""合并, 撤销 and 分设 on the unit page: offered among the register's changes (orgs.hooks.UNIT_ACTIONS) and served
by the same view, so they sit beside 更名 and 隶属调整 for the user."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from bianzhi.lifecycle import forms, services
from bianzhi.orgs.hooks import UnitAction, register_unit_action

register_unit_action(
    "split",
    UnitAction(
        forms.SplitForm,
        services.unit_split,
        gettext_lazy("分设"),
        gettext_lazy("已登记分设，所列编制和人员已划入新机构。"),
        50,
    ),
)
register_unit_action(
    "merge",
    UnitAction(
        forms.MergeForm,
        services.unit_merge,
        gettext_lazy("合并"),
        gettext_lazy("已登记合并，编制、领导职数和人员已划入并入机构。"),
        60,
    ),
)
register_unit_action(
    "abolish",
    UnitAction(
        forms.AbolishForm,
        services.unit_abolish,
        gettext_lazy("撤销"),
        gettext_lazy("已登记撤销，编制已收回县机动编制。"),
        70,
    ),
)
