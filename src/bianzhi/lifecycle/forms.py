"""The forms of 合并, 撤销 and 分设: each cites a document, and asks to confirm what will move."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bianzhi.core.forms import style_fields
from bianzhi.lifecycle.services import SplitPart
from bianzhi.orgs.forms import DOCUMENT_FIELDS, LifecycleForm, UnitChoiceField, UnitCreateForm
from bianzhi.quotas.models import FundingForm
from bianzhi.quotas.selectors import quota_type_names, unit_ledger
from bianzhi.roster.models import Occupancy


class MergeForm(LifecycleForm):
    successor = UnitChoiceField(label=_("并入机构"), max_length=200)
    confirm = forms.BooleanField(
        label=_("我已核对：本机构的下属机构、编制、领导职数和在编人员将全部划入并入机构，本机构状态改为已合并。")
    )
    field_order = ["successor", *DOCUMENT_FIELDS, "confirm"]

    def service_kwargs(self) -> dict:
        return {"unit": self.unit, "successor": self.cleaned_data["successor"], **self.common_kwargs()}


class AbolishForm(LifecycleForm):
    confirm = forms.BooleanField(
        label=_("我已核对：本机构的编制将收回县机动编制，领导职数收回，本机构状态改为已撤销。")
    )
    field_order = [*DOCUMENT_FIELDS, "confirm"]

    def service_kwargs(self) -> dict:
        return {"unit": self.unit, **self.common_kwargs()}


class SplitForm(UnitCreateForm):
    """分设 one new unit: its register entry, how many of each kind of slot it takes, and who goes with them."""

    abolish_original = forms.BooleanField(
        label=_("分设后撤销原机构（原机构剩余编制收回县机动编制；原机构不能再有在编人员）"), required=False
    )

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, unit=unit, **kwargs)
        self.fields["name"].label = _("新机构全称")
        self.slot_fields, self.person_fields = [], []
        names = quota_type_names()
        for row in unit_ledger(self.user, unit, timezone.localdate()):
            if row.approved <= 0:
                continue
            key = f"slots_{row.quota_type}_{row.funding_form}"
            self.fields[key] = forms.IntegerField(
                label=_("划出名额：{type}（{funding}）").format(
                    type=names.get(row.quota_type, row.quota_type), funding=FundingForm(row.funding_form).label
                ),
                min_value=0,
                max_value=row.approved,
                required=False,
                help_text=_("原机构核定 {approved} 名，实有 {occupied} 名").format(
                    approved=row.approved, occupied=row.occupied
                ),
            )
            self.slot_fields.append((key, row.quota_type, row.funding_form))
        held = Occupancy.objects.filter(account__unit=unit, end_date__isnull=True, loan__isnull=True)
        for occupancy in held.select_related("person", "account").order_by("person__name_pinyin"):
            key = f"person_{occupancy.person_id}"
            self.fields[key] = forms.BooleanField(
                label=_("随新机构转出：{name}（{masked}，{type}）").format(
                    name=occupancy.person.name,
                    masked=occupancy.person.id_masked,
                    type=names.get(occupancy.account.quota_type_id),
                ),
                required=False,
            )
            self.person_fields.append((key, occupancy.person))
        style_fields(self)  # the fields added here, as the mixin styled the declared ones
        self.order_fields(
            [*self.field_order[: -len(DOCUMENT_FIELDS)], *(k for k, *_ in self.slot_fields)]
            + [k for k, _ in self.person_fields]
            + [*DOCUMENT_FIELDS, "abolish_original"]
        )

    def service_kwargs(self) -> dict:
        created = super().service_kwargs()
        data = self.cleaned_data
        part = SplitPart(
            spec=created["spec"],
            quotas=[(code, funding, data[key]) for key, code, funding in self.slot_fields if data.get(key)],
            persons=[person for key, person in self.person_fields if data.get(key)],
        )
        return {
            "unit": self.unit,
            "parts": [part],
            "abolish_original": data["abolish_original"],
            "document": created["document"],
            "effective_date": created["effective_date"],
            "reason": created["reason"],
        }
