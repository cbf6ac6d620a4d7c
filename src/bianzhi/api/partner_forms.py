"""Forms of the 合作部门与接口 pages: they collect; the services in api.partners and api.services decide."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from bianzhi.api.models import PartnerKind
from bianzhi.api.scopes import Scope
from bianzhi.core.forms import DateInput, StyledFormMixin

NETWORKS_HELP = _("每行一个网络，例如 10.20.0.0/16 或单个地址 192.168.3.7；不填则按系统设置（未设置时不限来源地址）。")


class PartnerEditForm(StyledFormMixin, forms.Form):
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    allowed_networks = forms.CharField(
        label=_("允许的来源网络"), required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=NETWORKS_HELP
    )
    notes = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    active = forms.BooleanField(label=_("启用（停用后该部门的令牌一律不能调用接口）"), required=False)
    reason = forms.CharField(label=_("修改事由"), max_length=200, required=False)


class PartnerCreateForm(PartnerEditForm):
    name = forms.CharField(label=_("部门名称"), max_length=100, help_text=_("例如：县财政局"))
    kind = forms.ChoiceField(label=_("部门类别"), choices=PartnerKind.choices)
    username = forms.CharField(
        label=_("接口账号用户名"),
        max_length=150,
        help_text=_("新用户名：自动创建全县范围、合作部门只读、不能用密码登录的账号；也可填写已有的合作部门只读账号。"),
    )
    field_order = ["name", "kind", "username", "contact_name", "contact_phone", "allowed_networks", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["active"], self.fields["reason"]


class TokenIssueForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("令牌名称"), max_length=100, help_text=_("写明用途，例如「工资统发系统」"))
    # a partner's token reads; "full" (everything its account's roles allow) is the command line's, for scripts
    scopes = forms.MultipleChoiceField(
        label=_("授权范围"),
        choices=[(code, f"{code}：{label}") for code, label in Scope.choices if code != Scope.FULL],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    expires_on = forms.DateField(
        label=_("有效期至（含当日）"), required=False, widget=DateInput(), help_text=_("不填则长期有效")
    )
    calls_per_minute = forms.IntegerField(label=_("每分钟调用上限"), required=False, help_text=_("不填则按系统设置"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the setting as it is now, not as it was when the module was imported
        default = settings.BIANZHI_API_CALLS_PER_MINUTE
        self.fields["calls_per_minute"].help_text = format_lazy(_("不填则按系统设置（每分钟 {n} 次）"), n=default)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("吊销原因"), max_length=200)


class WebhookForm(forms.Form):
    url = forms.CharField(label=_("推送地址"), max_length=500)
