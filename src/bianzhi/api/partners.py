"""Partner departments (合作部门) and where their calls may come from: the 安全管理员's work, or the demo's.

A partner's account is made for the API: read-only, county-wide, with no usable password, so that its tokens are
its only way in. Registering a partner and granting its tokens' scopes is granting access, hence 安全管理员
(``Capability.ASSIGN_ROLES``) under 三员分立, as for roles."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.db import transaction

from bianzhi.accounts.models import User
from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.accounts.roles import Role
from bianzhi.accounts.services import api_account_create, user_set_access
from bianzhi.api.errors import ApiError
from bianzhi.api.models import ApiToken, Partner, PartnerKind
from bianzhi.audit.services import audit_record
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.core.locks import lock_row

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
PARTNER_ROLES = frozenset({Role.PARTNER_READONLY})
_TEXT_LIMITS = {"name": 100, "contact_name": 50, "contact_phone": 30}


# ---------------------------------------------------------------- source networks


def networks_parsed(text: str) -> list[Network]:
    """CIDR networks, one a line (a bare address is a network of one); a bad line raises ``api.network_invalid``."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        value = line.strip()
        if not value:
            continue
        try:
            found.append(ipaddress.ip_network(value, strict=False))
        except ValueError:
            raise BianzhiError(ApiError.NETWORK_INVALID, line=number, value=value[:50]) from None
    return found


def networks_cleaned(text: str) -> str:
    """The list as stored: each network in its canonical spelling, once, one a line."""
    return "\n".join(dict.fromkeys(str(network) for network in networks_parsed(text)))


def address_allowed(token: ApiToken, address: str | None) -> bool:
    """Whether a call from ``address`` may use ``token``: its partner's networks, or else the global setting; no
    list at all lets any address in."""
    partner = partner_of(token.user)
    lines = partner.networks if partner is not None and partner.networks else settings.BIANZHI_API_ALLOWED_NETWORKS
    if not lines:
        return True
    try:
        client = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(client in network for network in networks_parsed("\n".join(lines)))


def partner_of(user) -> Partner | None:
    try:
        return user.partner
    except Partner.DoesNotExist:
        return None


# ---------------------------------------------------------------- services


def _snapshot(partner: Partner) -> dict:
    return {
        "name": partner.name,
        "kind": partner.kind,
        "contact_name": partner.contact_name,
        "contact_phone": partner.contact_phone,
        "user": partner.user.get_username(),
        "allowed_networks": partner.networks,
        "active": partner.active,
        "notes": partner.notes,
    }


def _text(value: str, field: str) -> str:
    value = " ".join((value or "").split())
    limit = _TEXT_LIMITS[field]
    if len(value) > limit:
        label = Partner._meta.get_field(field).verbose_name
        raise BianzhiError(CommonError.INVALID_INPUT, reason=f"{label}最多 {limit} 个字符。")
    return value


def _account(*, actor, username: str, name: str) -> User:
    """The partner's account: a new one, read-only and county-wide with no usable password, or an existing account
    that holds no role but 合作部门只读 (the department's web login, say) and is no other partner's."""
    username = username.strip()
    if not username:
        raise BianzhiError(CommonError.INVALID_INPUT, reason="请填写接口账号的用户名。")
    user = User.objects.filter(username=username).first()
    if user is None:
        return api_account_create(actor=actor, username=username, full_name=name)
    other = partner_of(user)
    if other is not None:
        raise BianzhiError(ApiError.PARTNER_ACCOUNT_TAKEN, username=username, partner=other.name)
    extra = user.roles - PARTNER_ROLES
    if extra:
        roles = "、".join(f"「{Role(role).label}」" for role in sorted(extra))
        raise BianzhiError(ApiError.PARTNER_ACCOUNT_UNFIT, username=username, roles=roles)
    if not user.roles:  # an account awaiting its roles: it gets the partner's
        user = user_set_access(
            actor=actor, user=user, roles=[Role.PARTNER_READONLY], scope_county=True, reason="合作部门接口账号"
        )
    return user


@transaction.atomic
def partner_create(
    *,
    actor,
    name: str,
    kind: str,
    username: str,
    contact_name: str = "",
    contact_phone: str = "",
    allowed_networks: str = "",
    notes: str = "",
) -> Partner:
    require_capability(actor, Capability.ASSIGN_ROLES)
    name = _text(name, "name")
    if not name:
        raise BianzhiError(ApiError.PARTNER_NAME_REQUIRED)
    if kind not in PartnerKind.values:
        raise BianzhiError(CommonError.INVALID_INPUT, reason="请选择部门类别。")
    if Partner.objects.filter(name=name).exists():
        raise BianzhiError(ApiError.PARTNER_NAME_TAKEN, name=name)
    networks = networks_cleaned(allowed_networks)
    partner = Partner.objects.create(
        name=name,
        kind=kind,
        contact_name=_text(contact_name, "contact_name"),
        contact_phone=_text(contact_phone, "contact_phone"),
        user=_account(actor=actor, username=username, name=name),
        allowed_networks=networks,
        notes=(notes or "").strip(),
    )
    audit_record(actor=actor, action="api.partner_created", obj=partner, after=_snapshot(partner))
    return partner


@transaction.atomic
def partner_update(
    *,
    actor,
    partner: Partner,
    contact_name: str,
    contact_phone: str,
    allowed_networks: str,
    notes: str,
    active: bool,
    reason: str = "",
) -> Partner:
    """The contact, the networks its calls may come from, the notes, and whether it is active: a partner that is
    not has every token refused (api.selectors.usable_token) until it is again."""
    require_capability(actor, Capability.ASSIGN_ROLES)
    networks = networks_cleaned(allowed_networks)
    contact_name, contact_phone = _text(contact_name, "contact_name"), _text(contact_phone, "contact_phone")
    partner = lock_row(Partner.objects.select_related("user").filter(pk=partner.pk))
    before = _snapshot(partner)
    partner.contact_name, partner.contact_phone = contact_name, contact_phone
    partner.allowed_networks, partner.notes, partner.active = networks, (notes or "").strip(), bool(active)
    partner.save()
    after = _snapshot(partner)
    if after != before:
        audit_record(actor=actor, action="api.partner_changed", obj=partner, before=before, after=after, reason=reason)
    return partner
