"""Forms of the roster pages; each turns what was typed into the arguments of one service."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bianzhi.core.forms import DateInput, FieldsetsMixin, StyledFormMixin
from bianzhi.orgs.choices import RANK_ORDER, UnitRank, UnitStatus
from bianzhi.orgs.documents import DocumentRef
from bianzhi.orgs.forms import DocumentFieldsMixin, UnitChoiceField
from bianzhi.orgs.models import Unit
from bianzhi.orgs.selectors import unit_search
from bianzhi.quotas.models import FundingForm, PostLevel, QuotaType
from bianzhi.roster.choices import (
    Education,
    EntryMode,
    ExitReason,
    Gender,
    HireKind,
    LoanPurpose,
    PoliticalStatus,
    RosterStatus,
    StaffIdentity,
)
from bianzhi.roster.persons import PersonData
from bianzhi.roster.selectors import DEFAULT_SORT, ROSTER_SORTS, RosterCriteria


def _date(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput())


def _date_filter(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("请按 2026-01-31 的格式填写日期。")},
    )


def _blank(choices) -> list:
    return [("", "—"), *choices]


def _any(choices) -> list:
    return [("", _("全部")), *choices]


def _quota_types() -> list:
    return [(t.code, t.name) for t in QuotaType.objects.order_by("sort_order")]


class UnitFieldMixin:
    """Unit pickers typed as people know the unit, with the shared datalist of unit names."""

    def _setup_units(self, user, *names: str) -> None:
        for name in names:
            self.fields[name].user = user
            self.fields[name].widget.attrs.update(
                {
                    "list": "unit-options",
                    "autocomplete": "off",
                    "placeholder": _("名称或拼音首字母"),
                    "hx-get": reverse("orgs:unit_options"),
                    "hx-trigger": "input changed delay:250ms",
                    "hx-target": "#unit-options",
                    "hx-sync": "this:replace",
                }
            )


class TickedUnlessUnticked(forms.CheckboxInput):
    """A checkbox ticked by default. An unticked box sends nothing, as a first visit does, so the template puts a
    hidden "0" of the same name before it: the last value sent is the box's ("on"), or "0" when it was unticked."""

    def value_from_datadict(self, data, files, name):
        if name not in data:
            return True
        return data.getlist(name)[-1] != "0"


PAGE_SIZES = (20, 50, 100, 200)


@dataclass(frozen=True)
class SortableColumn:
    label: str
    key: str  # ``ROSTER_SORTS`` key; empty for a column that does not sort
    next_sort: str = ""  # what clicking its header asks for
    direction: str = ""  # "ascending" / "descending" when the list is sorted by it (aria-sort)


# the list's columns, in order, with the sort key of each
ROSTER_COLUMNS = (
    (_("姓名"), "name"),
    (_("性别"), "gender"),
    (_("公民身份号码"), ""),
    (_("所在单位"), "unit"),
    (_("职务"), "position"),
    (_("编制类型"), "quota_type"),
    (_("进入方式"), "entry_mode"),
    (_("入编日期"), "entered"),
    (_("出编日期"), "left"),
    (_("状态"), "status"),
)


class RosterFilterForm(UnitFieldMixin, StyledFormMixin, forms.Form):
    """The roster list's filters, page size and order as GET parameters, so that a link reproduces the list. Missing
    parameters take the defaults (people in post, sub-units included, 50 a page, by unit); a bad value is an error
    beside its filter."""

    DEFAULTS = {"status": RosterStatus.IN_QUOTA, "per_page": "50", "sort": DEFAULT_SORT}

    q = forms.CharField(label=_("搜索"), required=False, max_length=60)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=RosterStatus.choices)
    unit = forms.CharField(label=_("所在单位"), required=False, max_length=200)
    sub = forms.BooleanField(label=_("含下属单位"), required=False, widget=TickedUnlessUnticked)
    quota_type = forms.ChoiceField(label=_("编制类型"), required=False)
    funding_form = forms.ChoiceField(label=_("经费形式"), required=False, choices=_any(FundingForm.choices))
    entry_mode = forms.ChoiceField(label=_("进入方式"), required=False, choices=_any(EntryMode.choices))
    entered_from = _date_filter(_("入编日期（从）"))
    entered_to = _date_filter(_("入编日期（至）"))
    left_from = _date_filter(_("出编日期（从）"))
    left_to = _date_filter(_("出编日期（至）"))
    per_page = forms.TypedChoiceField(
        label=_("每页"),
        required=False,
        coerce=int,
        choices=[(str(size), size) for size in PAGE_SIZES],
        error_messages={"invalid_choice": _("每页人数只能是 20、50、100 或 200。")},
    )
    sort = forms.ChoiceField(
        label=_("排序"),
        required=False,
        widget=forms.HiddenInput,
        choices=[(f"{sign}{key}", key) for key in ROSTER_SORTS for sign in ("", "-")],
        error_messages={"invalid_choice": _("无法按「%(value)s」排序，请点击列标题选择排序。")},
    )

    def __init__(self, data, *, user):
        data = data.copy()
        for name, value in self.DEFAULTS.items():
            if not data.get(name):
                data[name] = value
        super().__init__(data)
        self.user = user
        self.fields["quota_type"].choices = _any(_quota_types())
        self.fields["q"].widget.attrs["placeholder"] = _("姓名、拼音、身份证号（可只输后四位）")
        self._setup_units(user, "unit")
        self.fields["unit"].widget.attrs["placeholder"] = _("名称、拼音首字母或代码")

    def clean_unit(self) -> Unit | None:
        """The unit typed or picked: its full name, or any text that finds units of one subtree in the user's scope
        (``jyj`` finds 教育局 and its 股室, so 教育局), abolished ones too: their people stay on the roster."""
        text = self.cleaned_data["unit"].strip()
        if not text:
            return None
        found = unit_search(self.user, text, include_inactive=True)
        named = sorted(found.filter(name=text), key=lambda unit: unit.status != UnitStatus.ACTIVE)
        top = named[0] if named else found.order_by("tree_path").first()
        if top is None:
            raise forms.ValidationError(
                _("没有找到与「{text}」相符的机构，或该机构不在您的管理范围内。").format(text=text)
            )
        if not named and found.exclude(tree_path__startswith=top.tree_path).exists():
            names = "、".join(unit.name for unit in found.order_by("depth", "tree_path")[:5])
            raise forms.ValidationError(
                _("「{text}」对应多个机构（{names}…），请从列表中选择全称。").format(text=text, names=names)
            )
        return top

    def clean(self):
        data = super().clean()
        for start, end in (("entered_from", "entered_to"), ("left_from", "left_to")):
            if data.get(start) and data.get(end) and data[start] > data[end]:
                self.add_error(end, _("截止日期早于起始日期。"))
        in_post = data.get("status") in (RosterStatus.IN_QUOTA, RosterStatus.ON_LEAVE)
        if in_post and (data.get("left_from") or data.get("left_to")):
            self.add_error("left_from", _("在编人员没有出编日期：按出编日期查询时，请把状态选为「已出编」或「全部」。"))
        return data

    def full_clean(self):
        super().full_clean()  # marks the fields in error red
        for name in self.errors:
            if name in self.fields:  # and has their message read out with them
                self.fields[name].widget.attrs["aria-describedby"] = f"{self[name].auto_id}_error"

    def criteria(self) -> RosterCriteria:
        data = self.cleaned_data
        sort = data["sort"]
        return RosterCriteria(
            query=data["q"],
            status=data["status"],
            unit=data["unit"],
            include_subunits=data["sub"],
            quota_type=data["quota_type"],
            funding_form=data["funding_form"],
            entry_mode=data["entry_mode"],
            entered_from=data["entered_from"],
            entered_to=data["entered_to"],
            left_from=data["left_from"],
            left_to=data["left_to"],
            sort=sort.removeprefix("-"),
            descending=sort.startswith("-"),
        )

    def page_size(self) -> int:
        return self.cleaned_data.get("per_page") or int(self.DEFAULTS["per_page"])

    def columns(self) -> list[SortableColumn]:
        """The headers, each with the order a click on it asks for: ascending first, then the other way round."""
        current = self.data["sort"]
        found = []
        for label, key in ROSTER_COLUMNS:
            if not key:
                found.append(SortableColumn(label, key))
            elif current == key:
                found.append(SortableColumn(label, key, f"-{key}", "ascending"))
            elif current == f"-{key}":
                found.append(SortableColumn(label, key, key, "descending"))
            else:
                found.append(SortableColumn(label, key, key))
        return found


class SlotRequestForm(UnitFieldMixin, StyledFormMixin, forms.Form):
    """Which slots an application asks for: what the figures beside the application form follow as it is filled."""

    unit = UnitChoiceField(label=_("用编单位"), max_length=200)
    quota_type = forms.ChoiceField(label=_("编制类型"))
    funding_form = forms.ChoiceField(label=_("经费形式"), choices=_blank(FundingForm.choices))
    count = forms.IntegerField(label=_("申请数量（名）"), min_value=1, max_value=500)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quota_type"].choices = _quota_types()
        self._setup_units(user, "unit")

    def slot_request(self) -> dict:
        """What of unit, type, funding form and count is valid so far (a bound form, after ``is_valid``)."""
        data = self.cleaned_data
        return {key: data.get(key) for key in ("unit", "quota_type", "funding_form", "count") if data.get(key)}


class ApprovalForm(SlotRequestForm):
    entry_mode = forms.ChoiceField(label=_("拟补充方式"), choices=EntryMode.choices)
    purpose = forms.CharField(label=_("用编理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    submit_now = forms.BooleanField(label=_("保存后立即提交编办审核"), required=False, initial=True)


class CommentForm(StyledFormMixin, forms.Form):
    comment = forms.CharField(
        label=_("审核意见"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PersonFieldsMixin(forms.Form):
    name = forms.CharField(
        label=_("姓名"), max_length=40, help_text=_("中间和前后不能有空格；少数民族姓名用间隔号「·」。")
    )
    id_number = forms.CharField(label=_("公民身份号码"), max_length=30)
    gender = forms.ChoiceField(label=_("性别"), choices=_blank(Gender.choices), required=False)
    birth_date = _date(_("出生日期"), required=False)
    ethnicity = forms.CharField(label=_("民族"), max_length=20, required=False, help_text=_("写全称，如「汉族」。"))
    political_status = forms.ChoiceField(label=_("政治面貌"), choices=_blank(PoliticalStatus.choices), required=False)
    education = forms.ChoiceField(label=_("学历"), choices=_blank(Education.choices), required=False)
    work_start_date = _date(_("参加工作时间"), required=False)
    identity = forms.ChoiceField(label=_("人员身份"), choices=_blank(StaffIdentity.choices), required=False)
    internal_body = forms.CharField(label=_("所在机构"), max_length=60, required=False)
    position = forms.CharField(label=_("职务"), max_length=60, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)

    DETAIL_FIELDS = ("ethnicity", "political_status", "education", "identity", "internal_body", "position", "phone")

    def person_data(self) -> PersonData:
        data = self.cleaned_data
        details = {key: data[key] for key in self.DETAIL_FIELDS if data.get(key)}
        if data.get("work_start_date"):
            details["work_start_date"] = data["work_start_date"]
        return PersonData(data["name"], data["id_number"], data.get("gender") or "", data.get("birth_date"), details)


class OnboardForm(UnitFieldMixin, FieldsetsMixin, StyledFormMixin, PersonFieldsMixin, DocumentFieldsMixin):
    source = forms.ChoiceField(label=_("编制来源"))
    start_date = _date(_("入编时间"))
    entry_mode = forms.ChoiceField(label=_("进入方式"), choices=EntryMode.choices)
    hire_kind = forms.ChoiceField(label=_("补缺或新增"), choices=HireKind.choices, initial=HireKind.NEW)
    override_unit = UnitChoiceField(label=_("入编单位（无核准单时）"), required=False, max_length=200)
    override_type = forms.ChoiceField(label=_("编制类型（无核准单时）"), required=False)
    override_funding = forms.ChoiceField(
        label=_("经费形式（无核准单时）"), required=False, choices=_blank(FundingForm.choices)
    )
    override_reason = forms.CharField(
        label=_("未经核准入编的理由"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    confirm_duplicate = forms.BooleanField(label=_("已核实：与同名同出生日期的人员不是同一人"), required=False)

    # where the slot comes from first, then who, then on what authority
    fieldsets = (
        (
            _("编制（使用哪个编制）"),
            (
                "source",
                "override_unit",
                "override_type",
                "override_funding",
                "override_reason",
                "start_date",
                "entry_mode",
                "hire_kind",
            ),
        ),
        (
            _("人员"),
            (
                "name",
                "id_number",
                "gender",
                "birth_date",
                "ethnicity",
                "political_status",
                "education",
                "work_start_date",
                "identity",
                "internal_body",
                "position",
                "phone",
                "confirm_duplicate",
            ),
        ),
        (_("文件依据"), ("doc_number", "doc_title", "doc_issued_on", "doc_issuer")),
    )

    def __init__(self, *args, user=None, approvals=(), loans=(), may_override=False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (
                f"a{a.pk}",
                _("{serial}：{unit}·{type}（{funding}）余 {remaining} 名").format(
                    serial=a.serial,
                    unit=a.unit.name,
                    type=a.account.quota_type.name,
                    funding=a.account.get_funding_form_display(),
                    remaining=a.remaining,
                ),
            )
            for a in approvals
        ]
        choices += [
            (f"l{loan.pk}", _("周转编制 {serial}：{unit}").format(serial=loan.serial, unit=loan.unit.name))
            for loan in loans
        ]
        if may_override:
            choices.append(("override", _("无用编核准单（编办办理，须注明理由）")))
        self.fields["source"].choices = choices
        self.fields["override_type"].choices = _blank(_quota_types())
        self._setup_units(user, "override_unit")
        if not may_override:
            for name in ("override_unit", "override_type", "override_funding", "override_reason"):
                del self.fields[name]

    @staticmethod
    def initial_from(approval) -> dict:
        """入编 started from an approval: its slot is the source, its 拟补充方式 the entry mode."""
        return {"source": f"a{approval.pk}", "entry_mode": approval.entry_mode}


class OffboardForm(StyledFormMixin, DocumentFieldsMixin):
    end_date = _date(_("出编时间"))
    reason = forms.ChoiceField(label=_("出编原因"), choices=ExitReason.choices)
    note = forms.CharField(label=_("说明"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    field_order = ["end_date", "reason", "doc_number", "doc_title", "doc_issued_on", "doc_issuer", "note"]


class ApprovalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.serial}：{obj.unit.name}·{obj.account.quota_type.name} 余 {obj.remaining} 名"


class TransferForm(UnitFieldMixin, StyledFormMixin, DocumentFieldsMixin):
    unit = UnitChoiceField(label=_("转入单位"), max_length=200)
    quota_type = forms.ChoiceField(label=_("编制类型"))
    funding_form = forms.ChoiceField(label=_("经费形式"), choices=FundingForm.choices)
    approval = ApprovalChoiceField(
        label=_("依据的用编核准单"),
        queryset=None,
        required=False,
        empty_label=_("不使用核准单（转入单位须有空编）"),
        help_text=_("须是转入单位、编制类型和经费形式的核准单。"),
    )
    effective_date = _date(_("转编时间"))
    reason = forms.CharField(label=_("事由"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    field_order = ["unit", "quota_type", "funding_form", "approval", "effective_date", "doc_number", "doc_title"]

    def __init__(self, *args, user=None, approvals=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quota_type"].choices = _quota_types()
        self.fields["approval"].queryset = approvals
        self._setup_units(user, "unit")


class RestoreForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("更正理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class LeaveForm(StyledFormMixin, forms.Form):
    on_leave = forms.BooleanField(label=_("在编不在岗（长期病休、离岗待退等，仍占用编制）"), required=False)
    reason = forms.CharField(label=_("说明"), max_length=500, required=False)


class PersonEditForm(StyledFormMixin, forms.Form):
    """The details a unit keeps up to date; the 编办 also sees the locked fields."""

    name = forms.CharField(label=_("姓名"), max_length=40)
    id_number = forms.CharField(label=_("公民身份号码"), max_length=30, required=False, help_text=_("留空表示不修改。"))
    work_start_date = _date(_("参加工作时间"), required=False)
    ethnicity = forms.CharField(label=_("民族"), max_length=20, required=False)
    native_place = forms.CharField(label=_("籍贯"), max_length=60, required=False)
    political_status = forms.ChoiceField(label=_("政治面貌"), choices=_blank(PoliticalStatus.choices), required=False)
    education = forms.ChoiceField(label=_("学历"), choices=_blank(Education.choices), required=False)
    degree = forms.CharField(label=_("学位"), max_length=10, required=False)
    school = forms.CharField(label=_("毕业学校"), max_length=80, required=False)
    major = forms.CharField(label=_("专业"), max_length=80, required=False)
    internal_body = forms.CharField(label=_("所在机构"), max_length=60, required=False)
    identity = forms.ChoiceField(label=_("人员身份"), choices=_blank(StaffIdentity.choices), required=False)
    position = forms.CharField(label=_("职务"), max_length=60, required=False)
    rank_title = forms.CharField(label=_("职级"), max_length=30, required=False)
    post_since = _date(_("任现职时间"), required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    remarks = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(label=_("修改说明"), max_length=500, required=False)

    LOCKED = ("name", "id_number", "work_start_date")

    def __init__(self, *args, locked_editable: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not locked_editable:
            for name in self.LOCKED:
                del self.fields[name]

    def changes(self, person, phone: str) -> dict:
        """Only what differs from the record, so a unit's save never touches a locked field."""
        data, changes = self.cleaned_data, {}
        for key in self.fields:
            value = data.get(key)
            if key == "reason" or (key == "id_number" and not value):
                continue
            current = phone if key == "phone" else getattr(person, key, None)
            if key == "id_number" or (value or None) != (current or None):
                changes[key] = value if value is not None else ""
        return changes


class PostAssignForm(StyledFormMixin, DocumentFieldsMixin):
    level = forms.ChoiceField(label=_("正副职"), choices=PostLevel.choices)
    grade = forms.ChoiceField(label=_("职级"), choices=[(r, UnitRank(r).label) for r in RANK_ORDER])
    start_date = _date(_("任职时间"))
    gaopei_number = forms.CharField(
        label=_("超职数配备批准文号"), max_length=100, required=False, help_text=_("仅在职数已配满、经批准超配时填写。")
    )
    field_order = ["level", "grade", "start_date", "doc_number", "doc_title", "doc_issued_on", "doc_issuer"]

    def gaopei_ref(self) -> DocumentRef | None:
        number = self.cleaned_data.get("gaopei_number")
        return DocumentRef(number) if number else None


class LoanForm(UnitFieldMixin, StyledFormMixin, DocumentFieldsMixin):
    unit = UnitChoiceField(label=_("借用单位"), max_length=200)
    quota_type = forms.ChoiceField(label=_("编制类型"))
    funding_form = forms.ChoiceField(label=_("经费形式"), choices=FundingForm.choices)
    count = forms.IntegerField(label=_("借用数量（名）"), min_value=1, max_value=200)
    purpose = forms.ChoiceField(label=_("用途"), choices=LoanPurpose.choices)
    start_date = _date(_("起始日期"))
    due_date = _date(_("周转期满"))
    field_order = ["unit", "quota_type", "funding_form", "count", "purpose", "start_date", "due_date"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quota_type"].choices = _quota_types()
        self._setup_units(user, "unit")
