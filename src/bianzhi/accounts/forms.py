from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from bianzhi.accounts.roles import Role
from bianzhi.core.forms import DATE_FORMAT, DateInput, StyledFormMixin
from bianzhi.orgs.models import Unit


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码错误。连续失败 5 次，账号将被锁定 30 分钟。"),
        "inactive": _("该账号已停用，请联系系统管理员。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["password"].label = _("密码")


class UserCreateForm(StyledFormMixin, forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    full_name = forms.CharField(label=_("姓名"), max_length=50)
    password1 = forms.CharField(
        label=_("初始密码"),
        widget=forms.PasswordInput,
        strip=False,
        help_text=_("至少 8 位，包含大写字母、小写字母、数字、特殊字符中的 3 类。"),
    )
    password2 = forms.CharField(label=_("再次输入密码"), widget=forms.PasswordInput, strip=False)

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        return data


class UserAccessForm(StyledFormMixin, forms.Form):
    SCOPE_NONE, SCOPE_COUNTY, SCOPE_UNIT = "none", "county", "unit"

    roles = forms.MultipleChoiceField(
        label=_("角色"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("系统管理员、安全管理员、审计管理员三者互斥，且不能与业务角色同时授予。"),
    )
    scope = forms.ChoiceField(
        label=_("管理范围"),
        choices=[(SCOPE_NONE, _("无业务数据")), (SCOPE_COUNTY, _("全县")), (SCOPE_UNIT, _("指定机构及其下属单位"))],
        widget=forms.RadioSelect,
    )
    scope_unit = forms.ModelChoiceField(label=_("机构"), queryset=Unit.objects.all(), required=False)
    reason = forms.CharField(label=_("事由"), max_length=200, help_text=_("例如：依据某某通知调整岗位。"))

    def clean(self):
        data = super().clean()
        if data.get("scope") == self.SCOPE_UNIT and not data.get("scope_unit"):
            self.add_error("scope_unit", _("请选择机构。"))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "roles": data["roles"],
            "scope_county": data["scope"] == self.SCOPE_COUNTY,
            "scope_unit": data["scope_unit"] if data["scope"] == self.SCOPE_UNIT else None,
            "reason": data["reason"],
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("事由"), max_length=200, required=False)


class StyledPasswordChangeForm(StyledFormMixin, PasswordChangeForm):
    pass


class CalendarImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("节假日安排文件"),
        help_text=_("CSV 或 .xlsx，列为「日期」「类型」（休 或 班）和可选的「名称」；文件中的年度将整年替换。"),
    )
    basis = forms.CharField(
        label=_("依据"),
        max_length=200,
        help_text=_("例如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）。"),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > CALENDAR_FILE_LIMIT:
            raise forms.ValidationError(_("文件过大：节假日安排文件不超过 1 MB。"))
        return upload


CALENDAR_FILE_LIMIT = 1024 * 1024  # a year's notice is a few dozen rows


class CalendarDayForm(StyledFormMixin, forms.Form):
    KINDS = (("OFF", _("休（放假）")), ("WORK", _("班（调休上班）")), ("", _("按星期（恢复为平常）")))

    day = forms.DateField(label=_("日期"), input_formats=[DATE_FORMAT], widget=DateInput())
    kind = forms.ChoiceField(label=_("改为"), choices=KINDS, required=False)
    name = forms.CharField(label=_("名称"), max_length=40, required=False, help_text=_("例如：春节、国庆节调休上班。"))
    reason = forms.CharField(label=_("事由"), max_length=200, help_text=_("例如：县政府关于调整放假安排的通知。"))
