"""合作部门与接口: the 安全管理员's pages for the partner departments, their tokens and their calls."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.api.models import ApiToken, Partner
from bianzhi.api.partner_forms import PartnerCreateForm, PartnerEditForm, RevokeForm, TokenIssueForm, WebhookForm
from bianzhi.api.partners import partner_create, partner_update
from bianzhi.api.scopes import Scope
from bianzhi.api.selectors import (
    RECENT_CALLS,
    partner_deliveries,
    partner_recent_calls,
    partner_tokens,
    partner_webhooks,
    partners_listed,
)
from bianzhi.api.services import api_token_issue, api_token_revoke, expiry_of
from bianzhi.api.webhooks import reads_events, webhook_set, webhook_stop, webhooks_enabled
from bianzhi.core.forms import call_service
from bianzhi.exchange.selectors import feed_head

CALLS_PER_PAGE = 25


def _partner(request, pk: int) -> Partner:
    require_capability(request.user, Capability.ASSIGN_ROLES)
    return get_object_or_404(Partner.objects.select_related("user"), pk=pk)


def _refusal(form, missing: str) -> str:
    """What a one-field form on the partner page says back: the service's refusal, or that the field was empty."""
    return " ".join(str(error) for error in form.non_field_errors()) or missing


@login_required
@require_GET
def partner_list(request):
    require_capability(request.user, Capability.ASSIGN_ROLES)
    return render(request, "api/partner_list.html", {"rows": partners_listed(), "head": feed_head()})


@login_required
def partner_new(request):
    require_capability(request.user, Capability.ASSIGN_ROLES)
    form = PartnerCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        partner = call_service(form, partner_create, actor=request.user, **form.cleaned_data)
        if partner is not None:
            messages.success(request, _("已登记合作部门「{name}」，可为其签发令牌。").format(name=partner.name))
            return redirect("partners:partner_detail", partner.pk)
    return render(request, "api/partner_form.html", {"form": form, "title": _("登记合作部门")})


@login_required
@require_GET
def partner_detail(request, pk: int):
    partner = _partner(request, pk)
    now = timezone.now()
    tokens = [(token, token.state(now)) for token in partner_tokens(partner)]
    calls = Paginator(partner_recent_calls(partner), CALLS_PER_PAGE).get_page(request.GET.get("page"))
    scope_labels = dict(Scope.choices)
    hooks = partner_webhooks(partner)

    return render(
        request,
        "api/partner_detail.html",
        {
            "partner": partner,
            "tokens": [(token, state, [(s, scope_labels.get(s, s)) for s in token.scopes]) for token, state in tokens],
            "page": calls,
            "recent_calls": RECENT_CALLS,
            "head": feed_head(),
            "revoke_form": RevokeForm(),
            "webhooks_on": webhooks_enabled(),
            # a push needs a live token that reads the feed
            "pushable": [
                (token, hooks.get(token.pk)) for token, _s in tokens if token.is_usable(now) and reads_events(token)
            ],
            "deliveries": partner_deliveries(partner),
        },
    )


@login_required
def partner_edit(request, pk: int):
    partner = _partner(request, pk)
    initial = {
        "contact_name": partner.contact_name,
        "contact_phone": partner.contact_phone,
        "allowed_networks": partner.allowed_networks,
        "notes": partner.notes,
        "active": partner.active,
    }
    form = PartnerEditForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(form, partner_update, actor=request.user, partner=partner, **form.cleaned_data)
    ):
        messages.success(request, _("已保存「{name}」的联系人、来源网络和状态。").format(name=partner.name))
        return redirect("partners:partner_detail", partner.pk)
    title = _("{name} · 修改").format(name=partner.name)
    return render(request, "api/partner_form.html", {"form": form, "title": title, "partner": partner})


@login_required
def token_new(request, pk: int):
    partner = _partner(request, pk)
    form = TokenIssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        issued = call_service(
            form,
            api_token_issue,
            actor=request.user,
            user=partner.user,
            name=data["name"],
            expires_at=expiry_of(data["expires_on"]),
            scopes=data["scopes"],
            calls_per_minute=data["calls_per_minute"],
        )
        if issued is not None:
            token, plaintext = issued
            # shown in this answer only: not kept anywhere, not even in the session, and not cached
            response = render(
                request, "api/token_issued.html", {"partner": partner, "token": token, "plaintext": plaintext}
            )
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "api/token_form.html", {"form": form, "partner": partner})


@login_required
@require_POST
def token_revoke(request, pk: int, token_pk: int):
    partner = _partner(request, pk)
    token = get_object_or_404(ApiToken, pk=token_pk, user_id=partner.user_id)
    form = RevokeForm(request.POST)
    if form.is_valid():
        call_service(form, api_token_revoke, actor=request.user, token=token, reason=form.cleaned_data["reason"])
    if form.errors:
        messages.error(request, _refusal(form, _("请填写吊销原因。")))
    else:
        messages.success(
            request, _("已吊销令牌「{name}」（{prefix}），立即失效。").format(name=token.name, prefix=token.prefix)
        )
    return redirect("partners:partner_detail", partner.pk)


@login_required
@require_POST
def webhook_set_view(request, pk: int, token_pk: int):
    partner = _partner(request, pk)
    token = get_object_or_404(ApiToken.objects.select_related("user"), pk=token_pk, user_id=partner.user_id)
    form = WebhookForm(request.POST)
    if form.is_valid():
        done = call_service(form, webhook_set, actor=request.user, token=token, url=form.cleaned_data["url"])
        if done is not None:
            webhook, secret = done
            context = {"partner": partner, "token": token, "webhook": webhook, "secret": secret}
            response = render(request, "api/webhook_secret.html", context)
            response["Cache-Control"] = "no-store"  # the signing key is shown in this answer only
            return response
    messages.error(request, _refusal(form, _("请填写推送地址。")))
    return redirect("partners:partner_detail", partner.pk)


@login_required
@require_POST
def webhook_stop_view(request, pk: int, token_pk: int):
    partner = _partner(request, pk)
    token = get_object_or_404(ApiToken, pk=token_pk, user_id=partner.user_id)
    form = RevokeForm(request.POST)
    if form.is_valid() and call_service(
        form, webhook_stop, actor=request.user, token=token, reason=form.cleaned_data["reason"]
    ):
        messages.success(request, _("已停止向 {prefix} 推送事件。").format(prefix=token.prefix))
    else:
        messages.error(request, _refusal(form, _("请填写停止原因。")))
    return redirect("partners:partner_detail", partner.pk)
