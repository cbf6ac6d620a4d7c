from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bianzhi.core.files import upload_of
from bianzhi.core.forms import DateInput, StyledFormMixin, style_fields
from bianzhi.matters.choices import (
    AttachmentKind,
    Body,
    ConsultationKind,
    Decision,
    LegalityItem,
    MatterKind,
    MeetingKind,
)
from bianzhi.matters.operations import OPERATIONS
from bianzhi.orgs.choices import RANK_ORDER, InstitutionClass, SystemCategory, UnitKind, UnitNature, UnitRank
from bianzhi.orgs.documents import DocumentRef
from bianzhi.orgs.forms import DocumentFieldsMixin, UnitChoiceField
from bianzhi.quotas.models import AccountKind, FundingForm, MovementKind, PostLevel, PostMovementKind, QuotaType


class UnitsTyped:
    """Unit pickers typed as people know the unit, offered from the shared list of unit names."""

    def _units_for(self, user) -> None:
        for field in self.fields.values():
            if isinstance(field, UnitChoiceField):
                field.user = user
                field.widget.attrs.update({"list": "unit-options", "autocomplete": "off"})


class MatterCreateForm(UnitsTyped, StyledFormMixin, forms.Form):
    proposer = UnitChoiceField(label=_("提出单位"), max_length=200)
    kind = forms.ChoiceField(label=_("事项类别"), choices=MatterKind.choices)
    title = forms.CharField(label=_("事项名称"), max_length=200, help_text=_("例如：关于组建县数据局的请示。"))
    necessity = forms.CharField(label=_("必要性"), widget=forms.Textarea(attrs={"rows": 3}))
    rationality = forms.CharField(label=_("合理性"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    feasibility = forms.CharField(label=_("可行性"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    intended_date = forms.DateField(label=_("拟生效日期"), required=False, widget=DateInput())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._units_for(user)


class StepUnitField(UnitChoiceField):
    """A unit of the register, or ``#N``: the unit that step N of this change set creates."""

    def clean(self, value):
        text = (value or "").strip()
        if text.startswith("#") and text[1:].isdigit():
            return text
        unit = super().clean(value)
        return unit.pk if unit is not None else None


HELP_STEP_UNIT = _("填写机构名称或拼音首字母；引用本事项前面某一步设立的机构，填 #步号，如 #1。")


class StepForm(UnitsTyped, StyledFormMixin, forms.Form):
    """The fields of one operation of the change set; ``params`` turns them into the step's parameters."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._units_for(user)

    def params(self) -> dict:
        return {key: value for key, value in self.cleaned_data.items() if value not in (None, "")}


class UnitCreateStepForm(StepForm):
    name = forms.CharField(label=_("机构名称"), max_length=200)
    system_category = forms.ChoiceField(label=_("系统类别"), choices=SystemCategory.choices)
    kind = forms.ChoiceField(label=_("机构类型"), choices=UnitKind.choices)
    nature = forms.ChoiceField(label=_("机构性质"), choices=UnitNature.choices)
    rank = forms.ChoiceField(label=_("机构规格"), choices=UnitRank.choices)
    institution_class = forms.ChoiceField(
        label=_("事业单位分类"),
        choices=[("", "—"), *InstitutionClass.choices],
        required=False,
        help_text=_("事业单位必填。"),
    )
    parent = StepUnitField(label=_("上级机构"), required=False, max_length=200, help_text=HELP_STEP_UNIT)


class UnitRenameStepForm(StepForm):
    unit = StepUnitField(label=_("机构"), max_length=200, help_text=HELP_STEP_UNIT)
    name = forms.CharField(label=_("新名称"), max_length=200)


class UnitRankStepForm(StepForm):
    unit = StepUnitField(label=_("机构"), max_length=200, help_text=HELP_STEP_UNIT)
    rank = forms.ChoiceField(label=_("新规格"), choices=UnitRank.choices)


class UnitMoveStepForm(StepForm):
    unit = StepUnitField(label=_("机构"), max_length=200, help_text=HELP_STEP_UNIT)
    parent = StepUnitField(label=_("新的上级机构"), required=False, max_length=200, help_text=_("留空表示县直一级。"))


class UnitMergeStepForm(StepForm):
    unit = StepUnitField(label=_("并入的机构"), max_length=200, help_text=HELP_STEP_UNIT)
    successor = StepUnitField(label=_("并入至"), max_length=200, help_text=HELP_STEP_UNIT)


class UnitSplitStepForm(StepForm):
    unit = StepUnitField(label=_("分设自"), max_length=200, help_text=HELP_STEP_UNIT)
    name = forms.CharField(label=_("新机构名称"), max_length=200)
    system_category = forms.ChoiceField(label=_("系统类别"), choices=SystemCategory.choices)
    kind = forms.ChoiceField(label=_("机构类型"), choices=UnitKind.choices)
    nature = forms.ChoiceField(label=_("机构性质"), choices=UnitNature.choices)
    rank = forms.ChoiceField(label=_("机构规格"), choices=UnitRank.choices)
    quota_type = forms.ChoiceField(
        label=_("随带编制类型"), choices=lambda: [("", "—"), *_quota_types()], required=False
    )
    funding_form = forms.ChoiceField(label=_("经费形式"), choices=[("", "—"), *FundingForm.choices], required=False)
    amount = forms.IntegerField(
        label=_("随带编制数"), min_value=1, max_value=10_000, required=False, help_text=_("从原机构划给新机构的编制。")
    )


class SandingStepForm(StepForm):
    unit = StepUnitField(label=_("机构"), max_length=200, help_text=HELP_STEP_UNIT)
    duties = forms.CharField(
        label=_("主要职责"), widget=forms.Textarea(attrs={"rows": 6}), help_text=_("每行一项职责。")
    )
    bodies = forms.CharField(
        label=_("内设机构"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "每行一个内设机构；留空则沿用现行三定的内设机构。人员编制和领导职数由编制调整、领导职数调整步骤改变。"
        ),
    )
    other_clauses = forms.CharField(label=_("其他事项"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class UnitAbolishStepForm(StepForm):
    unit = StepUnitField(label=_("撤销的机构"), max_length=200, help_text=HELP_STEP_UNIT)


def _quota_types():
    return [(t.code, t.name) for t in QuotaType.objects.order_by("sort_order")]


class QuotaStepForm(StepForm):
    kind = forms.ChoiceField(label=_("业务类型"), choices=MovementKind.choices)
    quota_type = forms.ChoiceField(label=_("编制类型"), choices=_quota_types)
    source_kind = forms.ChoiceField(label=_("划出方"), choices=AccountKind.choices)
    source_unit = StepUnitField(label=_("划出机构"), required=False, max_length=200, help_text=HELP_STEP_UNIT)
    source_funding = forms.ChoiceField(label=_("划出方经费形式"), choices=FundingForm.choices, required=False)
    target_kind = forms.ChoiceField(label=_("划入方"), choices=AccountKind.choices)
    target_unit = StepUnitField(label=_("划入机构"), required=False, max_length=200, help_text=HELP_STEP_UNIT)
    target_funding = forms.ChoiceField(label=_("划入方经费形式"), choices=FundingForm.choices, required=False)
    amount = forms.IntegerField(label=_("数量"), min_value=1, max_value=10_000)
    confirm_overstaffing = forms.BooleanField(
        label=_("确认超编"), required=False, help_text=_("划出后划出方将超编时，确认确需如此办理，并在事由中写明理由。")
    )
    reason = forms.CharField(label=_("事由"), max_length=500, required=False)

    def params(self) -> dict:
        data = self.cleaned_data

        def side(prefix: str) -> dict:
            found = {
                "kind": data[f"{prefix}_kind"],
                "unit": data[f"{prefix}_unit"],
                "funding_form": data[f"{prefix}_funding"],
            }
            return {key: value for key, value in found.items() if value not in (None, "")}

        params = {
            "kind": data["kind"],
            "quota_type": data["quota_type"],
            "source": side("source"),
            "target": side("target"),
            "amount": data["amount"],
        }
        if data["confirm_overstaffing"]:
            params["confirm_overstaffing"] = True
        if data["reason"]:
            params["reason"] = data["reason"]
        return params


class PostStepForm(StepForm):
    kind = forms.ChoiceField(label=_("业务类型"), choices=PostMovementKind.choices)
    unit = StepUnitField(label=_("机构"), max_length=200, help_text=HELP_STEP_UNIT)
    level = forms.ChoiceField(label=_("职务层次"), choices=PostLevel.choices)
    grade = forms.ChoiceField(label=_("职级"), choices=UnitRank.choices)
    amount = forms.IntegerField(label=_("职数"), min_value=1, max_value=100)
    from_unit = StepUnitField(
        label=_("划出机构"), required=False, max_length=200, help_text=_("划转时填写职数从哪个机构划出。")
    )
    reason = forms.CharField(label=_("事由"), max_length=500, required=False)


# the operations offered on the page, in the order a change set usually takes them
STEP_FORMS = {
    "unit_create": UnitCreateStepForm,
    "unit_rename": UnitRenameStepForm,
    "unit_change_rank": UnitRankStepForm,
    "unit_move": UnitMoveStepForm,
    "unit_merge": UnitMergeStepForm,
    "unit_split": UnitSplitStepForm,
    "unit_abolish": UnitAbolishStepForm,
    "quota_movement": QuotaStepForm,
    "post_movement": PostStepForm,
    "sanding_revise": SandingStepForm,
}


class TransitionForm(StyledFormMixin, forms.Form):
    """What a step of the procedure records; each transition shows the fields it needs."""

    comment = forms.CharField(label=_("意见或理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    meeting_on = forms.DateField(label=_("集体讨论日期"), required=False, widget=DateInput())
    minutes = forms.CharField(
        label=_("会议纪要"), max_length=200, required=False, help_text=_("如：局党组会议纪要〔2026〕9号。")
    )
    body = forms.ChoiceField(label=_("审议机构"), choices=[("", "—"), *Body.choices], required=False)
    meeting = forms.CharField(
        label=_("会议"), max_length=200, required=False, help_text=_("如：县委编委2026年第3次会议。")
    )
    minutes_file = forms.FileField(
        label=_("会议纪要附件"),
        required=False,
        help_text=_("集体讨论的会议纪要扫描件或 PDF；已作为材料上传的可不再上传。"),
    )
    decision = forms.ChoiceField(label=_("审议决定"), choices=[("", "—"), *Decision.choices], required=False)
    doc_number = forms.CharField(label=_("上级批复文号"), max_length=100, required=False)
    doc_title = forms.CharField(label=_("上级批复标题"), max_length=300, required=False)
    doc_issued_on = forms.DateField(label=_("上级批复日期"), required=False, widget=DateInput())
    doc_issuer = forms.CharField(
        label=_("发文机关"), max_length=100, required=False, help_text=_("如：市委机构编制委员会。")
    )

    FIELDS = {
        "propose": ("meeting_on", "minutes", "minutes_file"),
        "refuse": ("comment",),
        "return": ("comment",),
        "to_deliberation": ("body", "meeting", "comment"),
        "decide": ("decision", "meeting", "comment"),
        "report": ("comment",),
    }
    UPPER_DECISION = ("decision", "doc_number", "doc_title", "doc_issued_on", "doc_issuer", "comment")

    def inputs(self) -> dict:
        """What the service takes: the fields, the minutes as an upload, the upper level's document as a reference."""
        data = {key: value for key, value in self.cleaned_data.items() if not key.startswith("doc_")}
        data["minutes_file"] = upload_of(data.get("minutes_file"))
        if self.cleaned_data.get("doc_number"):
            data["document"] = DocumentRef(
                self.cleaned_data["doc_number"],
                self.cleaned_data["doc_title"],
                self.cleaned_data["doc_issued_on"],
                self.cleaned_data["doc_issuer"],
            )
        return data


class LegalityReviewForm(StyledFormMixin, forms.Form):
    def __init__(self, *args, review: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        review = review or {}
        for item in LegalityItem:
            entry = review.get(item.value, {})
            self.fields[f"{item.value}_passed"] = forms.BooleanField(
                label=_("%(item)s：通过") % {"item": item.label}, required=False, initial=entry.get("passed", False)
            )
            self.fields[f"{item.value}_comment"] = forms.CharField(
                label=_("%(item)s：意见") % {"item": item.label},
                required=False,
                max_length=500,
                initial=entry.get("comment", ""),
            )
        style_fields(self)

    def rows(self):
        """Each of the six questions with its two fields, for the page's table."""
        return [(item.label, self[f"{item.value}_passed"], self[f"{item.value}_comment"]) for item in LegalityItem]

    def items(self) -> dict[str, tuple[bool, str]]:
        data = self.cleaned_data
        return {item.value: (data[f"{item.value}_passed"], data[f"{item.value}_comment"]) for item in LegalityItem}


class ApplyForm(StyledFormMixin, DocumentFieldsMixin):
    effective_date = forms.DateField(label=_("生效日期"), widget=DateInput())


class AttachmentForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("材料类别"), choices=AttachmentKind.choices)
    file = forms.FileField(label=_("文件"), help_text=_("PDF、OFD、图片、Word、Excel；单个文件不超过 50 MB。"))


class DocumentLinkForm(StyledFormMixin, DocumentFieldsMixin):
    """A document the matter cites: a registered one by its 文号, a new one with its details. Prefixed: the matter's
    page may also show the apply form, which asks for a document too."""

    prefix = "link"


class ConsultationForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("论证方式"), choices=ConsultationKind.choices)
    party = forms.CharField(
        label=_("征求对象"), max_length=200, help_text=_("部门、专家或调研对象，如：县财政局、县人社局。")
    )
    requested_on = forms.DateField(label=_("发函或开展日期"), widget=DateInput())


class ConsultationReplyForm(StyledFormMixin, forms.Form):
    replied_on = forms.DateField(label=_("回复日期"), widget=DateInput())
    opinion = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 2}))


class MeetingForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("会议类型"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("会议名称"), max_length=200, help_text=_("如：县委编委2026年第3次会议。"))
    held_on = forms.DateField(label=_("会议日期"), widget=DateInput())
    place = forms.CharField(label=_("地点"), max_length=200, required=False)


class MeetingRecordForm(StyledFormMixin, forms.Form):
    """Who attended, the minutes, and for each agenda item its conclusion (``outcome_<id>``, ``opinion_<id>``)."""

    attendees = forms.CharField(label=_("出席人员"), widget=forms.Textarea(attrs={"rows": 2}))
    minutes_number = forms.CharField(label=_("会议纪要编号"), max_length=100, required=False)
    minutes = forms.CharField(label=_("会议纪要"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, items=(), outcomes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"outcome_{item.pk}"] = forms.ChoiceField(
                label=_("议题%(n)d「%(title)s」结论") % {"n": item.position, "title": item.matter.title},
                choices=[("", "—"), *outcomes],
                required=False,
            )
            self.fields[f"opinion_{item.pk}"] = forms.CharField(
                label=_("议题%(n)d 意见") % {"n": item.position}, required=False, max_length=1000
            )
        style_fields(self)

    def outcomes(self) -> dict[int, dict]:
        data = self.cleaned_data
        return {
            item.pk: {"outcome": data.get(f"outcome_{item.pk}", ""), "opinion": data.get(f"opinion_{item.pk}", "")}
            for item in self.items
        }


def _rank_choices():
    return [("", "—"), *[(rank.value, rank.label) for rank in UnitRank if rank in RANK_ORDER]]


class BodyRuleForm(StyledFormMixin, forms.Form):
    matter_kind = forms.ChoiceField(
        label=_("事项类别"), choices=[("", "（任意）"), *MatterKind.choices], required=False
    )
    operation = forms.ChoiceField(
        label=_("变更操作"),
        choices=lambda: [("", "（任意）"), *[(code, op.label) for code, op in OPERATIONS.items()]],
        required=False,
    )
    rank_at_least = forms.ChoiceField(label=_("规格不低于"), choices=_rank_choices, required=False)
    # a row left without a body is not a rule (the blank row offered for a new one); the service checks the rest
    body = forms.ChoiceField(label=_("审议机构"), choices=[("", "—"), *Body.choices], required=False)
    basis = forms.CharField(label=_("依据"), max_length=300, required=False)


class BodyRuleFormSetBase(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        style_fields(form)  # the order and delete fields come after the form's own
        form.fields["ORDER"].widget.attrs["style"] = "width: 4.5rem"


BodyRuleFormSet = forms.formset_factory(
    BodyRuleForm, formset=BodyRuleFormSetBase, extra=1, can_delete=True, can_order=True
)
