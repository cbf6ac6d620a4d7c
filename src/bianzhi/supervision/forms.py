"""Forms of the 12310 complaints and the 整改台账: each collects what a service takes; the service decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bianzhi.core.forms import DateInput, StyledFormMixin
from bianzhi.orgs.forms import UnitChoiceField
from bianzhi.supervision.choices import Category, Channel, Escalation, Finding, HandlingType, NotAcceptedReason, Source

STAFF_CHANNELS = [(c.value, c.label) for c in Channel if c != Channel.ONLINE] + [(Channel.ONLINE, Channel.ONLINE.label)]


class ComplaintForm(StyledFormMixin, forms.Form):
    """举报登记表: what the staff take down from a call, a letter or a visit."""

    received_on = forms.DateField(label=_("收到日期"), widget=DateInput())
    channel = forms.ChoiceField(label=_("举报方式"), choices=STAFF_CHANNELS)
    anonymous = forms.BooleanField(label=_("匿名举报"), required=False, initial=True)
    name = forms.CharField(label=_("举报人姓名"), max_length=100, required=False)
    contact = forms.CharField(label=_("联系方式"), max_length=100, required=False)
    accused_unit = UnitChoiceField(label=_("被举报单位"), max_length=200, required=False)
    accused_text = forms.CharField(label=_("被举报单位（系统外或补充说明）"), max_length=200, required=False)
    category = forms.ChoiceField(label=_("问题类别"), choices=Category.choices)
    description = forms.CharField(label=_("举报内容"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accused_unit"].user = user

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        unit = data.pop("accused_unit")
        return {**data, "accused_units": [unit] if unit is not None else []}


class PublicComplaintForm(StyledFormMixin, forms.Form):
    category = forms.ChoiceField(label=_("问题类别"), choices=Category.choices)
    accused_text = forms.CharField(label=_("被举报单位"), max_length=200, required=False)
    description = forms.CharField(label=_("举报内容"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000)
    name = forms.CharField(
        label=_("姓名（选填）"), max_length=100, required=False, help_text=_("不填姓名和联系方式即为匿名举报。")
    )
    contact = forms.CharField(label=_("联系电话或地址（选填）"), max_length=100, required=False)
    answer = forms.CharField(label=_("验证题"), max_length=5)


class TrackForm(StyledFormMixin, forms.Form):
    code = forms.CharField(label=_("查询码"), max_length=20)


class StepForm(StyledFormMixin, forms.Form):
    """The facts of one step; each step uses the fields it needs (``FIELDS``)."""

    day = forms.DateField(label=_("办理日期"), widget=DateInput(), required=False)
    reason = forms.ChoiceField(
        label=_("不予受理理由"), choices=[("", "——"), *NotAcceptedReason.choices], required=False
    )
    handling_type = forms.ChoiceField(label=_("办理方式"), choices=[("", "——"), *HandlingType.choices], required=False)
    handling_unit = UnitChoiceField(label=_("承办单位"), max_length=200, required=False)
    handling_party = forms.CharField(label=_("承办单位（系统外，如纪检监察机关）"), max_length=200, required=False)
    opinion = forms.CharField(label=_("拟办意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    days = forms.IntegerField(label=_("延期工作日"), required=False)
    informed = forms.BooleanField(label=_("已告知举报人"), required=False)
    finding = forms.ChoiceField(label=_("调查结论"), choices=[("", "——"), *Finding.choices], required=False)
    conclusion = forms.CharField(label=_("办结意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    public_reply = forms.CharField(
        label=_("公开答复（查询页可见）"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    referred_to = forms.CharField(label=_("移送机关（如县纪委监委、县委组织部）"), max_length=200, required=False)
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    FIELDS = {
        "accept": ("day",),
        "refuse": ("day", "reason", "note"),
        "assign": ("day", "handling_type", "handling_unit", "handling_party", "opinion"),
        "investigate": ("day",),
        "pause": ("day", "note"),
        "resume": ("day",),
        "extend": ("day", "days", "note", "informed"),
        "conclude": ("day", "finding", "conclusion", "public_reply"),
        "feedback": ("day", "note"),
        "archive": ("day",),
        "refer": ("day", "referred_to", "note"),
    }

    def __init__(self, *args, step: str, user=None, **kwargs):
        super().__init__(*args, prefix=step, **kwargs)
        keep = self.FIELDS.get(step, ("day",))
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if "handling_unit" in self.fields:
            self.fields["handling_unit"].user = user

    def inputs(self) -> dict:
        return {key: value for key, value in self.cleaned_data.items() if value not in (None, "")}


class FileForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("证据材料"))


class EvidenceForm(FileForm):
    file = forms.FileField(label=_("整改佐证材料（整改文件、报告、照片等）"))


# the sources an item is opened by hand from (the ledger's items are opened by the daily check)
MANUAL_SOURCES = [(value, label) for value, label in Source.choices if value != Source.LEDGER]


class RectificationForm(StyledFormMixin, forms.Form):
    """登记整改事项: a problem found by an inspection, a 巡察, an audit…, for the unit to rectify."""

    unit = UnitChoiceField(label=_("整改单位"), max_length=200)
    source = forms.ChoiceField(label=_("问题来源"), choices=MANUAL_SOURCES)
    source_ref = forms.CharField(label=_("来源说明（检查名称、文号等）"), max_length=200, required=False)
    category = forms.ChoiceField(label=_("问题类别"), choices=Category.choices)
    finding = forms.CharField(label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    basis = forms.CharField(label=_("整改依据"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    day = forms.DateField(label=_("发现日期"), widget=DateInput())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].user = user


class ComplaintRectificationForm(StyledFormMixin, forms.Form):
    """A concluded complaint found true, turned into an item for the unit concerned."""

    unit = UnitChoiceField(label=_("整改单位"), max_length=200)
    finding = forms.CharField(label=_("需整改的问题"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    basis = forms.CharField(label=_("整改依据"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, prefix="rectify", **kwargs)
        self.fields["unit"].user = user


class RectificationStepForm(StyledFormMixin, forms.Form):
    """The facts of one step of an item; each step uses the fields it needs (``FIELDS``)."""

    day = forms.DateField(label=_("办理日期"), widget=DateInput(), required=False)
    days = forms.IntegerField(label=_("整改期限（工作日）"), required=False, min_value=1)
    basis = forms.CharField(label=_("整改依据"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    plan = forms.CharField(label=_("整改计划"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    measures = forms.CharField(label=_("整改措施和结果"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    kind = forms.ChoiceField(label=_("问责措施"), choices=[("", "——"), *Escalation.choices], required=False)
    referred_to = forms.CharField(label=_("移送机关（问责移送时填写）"), max_length=200, required=False)
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    FIELDS = {
        "notify": ("day", "days", "basis"),
        "plan": ("day", "plan"),
        "accept_plan": ("day", "note"),
        "return_plan": ("day", "note"),
        "report": ("day", "measures"),
        "close": ("day", "note"),
        "reopen": ("day", "note"),
        "extend": ("day", "days", "note"),
        "escalate": ("day", "kind", "referred_to", "note"),
    }

    def __init__(self, *args, step: str, **kwargs):
        super().__init__(*args, prefix=step, **kwargs)
        keep = self.FIELDS.get(step, ("day",))
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if step == "extend":
            self.fields["days"].label = _("延长工作日")

    def inputs(self) -> dict:
        return {key: value for key, value in self.cleaned_data.items() if value not in (None, "")}
