from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bianzhi.accounts import services
from bianzhi.accounts.forms import (
    LoginForm,
    ReasonForm,
    StyledPasswordChangeForm,
    UserAccessForm,
    UserCreateForm,
)
from bianzhi.accounts.models import User
from bianzhi.accounts.permissions import Capability, has_capability, require_capability
from bianzhi.accounts.selectors import locked_usernames, users_for_admin
from bianzhi.core.forms import call_service


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def password_change(request):
    form = StyledPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = call_service(
            form,
            services.user_change_password,
            actor=request.user,
            user=request.user,
            new_password=form.cleaned_data["new_password1"],
        )
        if user is not None:
            update_session_auth_hash(request, user)
            messages.success(request, _("密码已修改。"))
            return redirect("home")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
@require_GET
def user_list(request):
    query = request.GET.get("q", "").strip()
    page = Paginator(users_for_admin(request.user, query=query), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/user_list.html",
        {
            "page": page,
            "query": query,
            "locked": locked_usernames(),
            "can_create": has_capability(request.user, Capability.MANAGE_ACCOUNTS),
            "can_assign": has_capability(request.user, Capability.ASSIGN_ROLES),
        },
    )


@login_required
def user_create(request):
    require_capability(request.user, Capability.MANAGE_ACCOUNTS)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = call_service(
            form,
            services.user_create,
            actor=request.user,
            username=data["username"],
            password=data["password1"],
            full_name=data["full_name"],
        )
        if user is not None:
            messages.success(
                request, _("已创建账号 {username}，请由安全管理员授予角色和范围。").format(username=user.username)
            )
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "title": _("新建账号")})


@login_required
def user_access(request, pk: int):
    require_capability(request.user, Capability.ASSIGN_ROLES)
    target = get_object_or_404(User, pk=pk)
    initial_scope = (
        UserAccessForm.SCOPE_COUNTY
        if target.scope_county
        else UserAccessForm.SCOPE_UNIT
        if target.scope_unit_id
        else UserAccessForm.SCOPE_NONE
    )
    form = UserAccessForm(
        request.POST or None,
        initial={"roles": sorted(target.roles), "scope": initial_scope, "scope_unit": target.scope_unit},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(form, services.user_set_access, actor=request.user, user=target, **form.service_kwargs())
    ):
        messages.success(request, _("已更新 {user} 的角色和管理范围。").format(user=target))
        return redirect("accounts:user_list")
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "title": _("{user} · 角色与管理范围").format(user=target), "target": target},
    )


def _post_admin_action(request, pk: int, service, success, **kwargs):
    """POST-only account actions (unlock, enable/disable): run the service, report the outcome as a message."""
    target = get_object_or_404(User, pk=pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    user = call_service(form, service, actor=request.user, user=target, reason=reason, **kwargs)
    if user is None:
        messages.error(request, " ".join(form.non_field_errors()))
    else:
        messages.success(request, success(user))
    return redirect("accounts:user_list")


@login_required
@require_POST
def user_unlock(request, pk: int):
    require_capability(request.user, Capability.ASSIGN_ROLES)
    return _post_admin_action(
        request, pk, services.user_unlock, lambda u: _("已解除 {user} 的登录锁定。").format(user=u)
    )


@login_required
@require_POST
def user_toggle_active(request, pk: int):
    require_capability(request.user, Capability.MANAGE_ACCOUNTS)
    active = not get_object_or_404(User, pk=pk).is_active
    return _post_admin_action(
        request,
        pk,
        services.user_set_active,
        lambda u: (_("已启用账号 {username}。") if u.is_active else _("已停用账号 {username}。")).format(
            username=u.username
        ),
        active=active,
    )
