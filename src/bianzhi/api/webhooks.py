"""Pushing the event feed to a partner's address (issue 15; off unless ``BIANZHI_WEBHOOKS``).

A partner that would rather be told than ask gives an address; the events after the last one it acknowledged
(``Webhook.delivered_seq``) are posted there in pages of the ``GET /api/v1/events`` shape, in order. A 2xx answer
moves ``delivered_seq`` on; anything else (or no answer within ``BIANZHI_WEBHOOK_TIMEOUT``) is logged and retried
later with doubling waits (1 min, 2 min, 4 min … at most 6 h), so a partner offline for a day misses nothing and
receives nothing twice. Each post is signed (header ``X-Bianzhi-Signature``, HMAC-SM3 over ``timestamp.body`` with
the secret shown once when the address was set): docs/api.md shows how to check it.

Delivery runs in the task worker: the feed tells ``exchange.feed.feed_numbered`` after it numbers new events, and
``webhooks_wake`` then queues ``deliver_webhooks``. A lease on the webhook row (``claimed_until``) keeps two workers
from posting the same page at once; the HTTP call is made outside any transaction."""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import hashes, hmac
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone
from django_tasks import task
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.api.errors import ApiError
from bianzhi.api.feed import feed_page_for
from bianzhi.api.models import ApiToken, Webhook, WebhookDelivery
from bianzhi.api.scopes import Scope
from bianzhi.api.services import api_token_record_feed_read
from bianzhi.audit.services import audit_record
from bianzhi.core.errors import BianzhiError
from bianzhi.exchange.selectors import county_feed_reader, feed_head
from bianzhi.roster import crypto

logger = logging.getLogger(__name__)
PAGE = 100  # events a post carries
PAGES_PER_RUN = 50  # a run hands over after this many posts to one partner, so that others are not kept waiting
MAX_WAIT = dt.timedelta(hours=6)
SIGNATURE_HEADER = "X-Bianzhi-Signature"


def webhooks_enabled() -> bool:
    return bool(settings.BIANZHI_WEBHOOKS)


def retry_wait(failures: int) -> dt.timedelta:
    """1 minute after the first failure, doubling, at most ``MAX_WAIT``."""
    return min(dt.timedelta(minutes=2 ** max(failures - 1, 0)), MAX_WAIT)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.HMAC(secret.encode(), hashes.SM3())
    mac.update(timestamp.encode() + b"." + body)
    return mac.finalize().hex()


def reads_events(token: ApiToken) -> bool:
    return token.has_scope(Scope.EVENTS) or (token.has_scope(Scope.FULL) and county_feed_reader(token.user))


def _clean_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 500:
        raise BianzhiError(ApiError.WEBHOOK_URL, url=url[:100])
    return url


# ---------------------------------------------------------------- setting up (安全管理员, or the command line)


@transaction.atomic
def webhook_set(*, actor, token: ApiToken, url: str) -> tuple[Webhook, str]:
    """Points ``token``'s pushes at ``url`` with a new signing secret, returned this once. Delivery starts after the
    events already in the feed: a partner loads the present state from the read endpoints first (docs/api.md)."""
    require_capability(actor, Capability.ASSIGN_ROLES)
    if not webhooks_enabled():
        raise BianzhiError(ApiError.WEBHOOKS_OFF)
    url = _clean_url(url)
    if not token.is_usable(timezone.now()):
        raise BianzhiError(ApiError.TOKEN_NOT_USABLE, prefix=token.prefix)
    if not reads_events(token):
        raise BianzhiError(ApiError.WEBHOOK_NO_EVENTS, prefix=token.prefix)
    secret = secrets.token_urlsafe(32)
    existing = Webhook.objects.filter(token=token).first()
    before = {"url": existing.url, "active": existing.active} if existing else None
    head = feed_head()
    webhook, _created = Webhook.objects.update_or_create(
        token=token,
        defaults={
            "url": url,
            "secret_cipher": crypto.encrypt(secret),
            "active": True,
            "failures": 0,
            "next_attempt_at": None,
            **({} if existing else {"delivered_seq": head}),
        },
    )
    audit_record(
        actor=actor,
        action="api.webhook_set",
        obj=webhook,
        before=before,
        after={"url": url, "token": token.prefix, "from_seq": webhook.delivered_seq},
    )
    return webhook, secret


@transaction.atomic
def webhook_stop(*, actor, token: ApiToken, reason: str = "") -> Webhook:
    require_capability(actor, Capability.ASSIGN_ROLES)
    webhook = Webhook.objects.filter(token=token, active=True).first()
    if webhook is None:
        raise BianzhiError(ApiError.WEBHOOK_NONE, prefix=token.prefix)
    Webhook.objects.filter(pk=webhook.pk).update(active=False)
    webhook.active = False
    audit_record(
        actor=actor,
        action="api.webhook_stopped",
        obj=webhook,
        before={"url": webhook.url, "delivered_seq": webhook.delivered_seq},
        reason=reason,
    )
    return webhook


# ---------------------------------------------------------------- delivering (the task worker)


def _post(url: str, secret: str, body: bytes) -> tuple[int | None, str]:
    """(status, error): the partner's answer, or why there was none."""
    timestamp = str(int(time.time()))
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Bianzhi-webhook",
            "X-Bianzhi-Timestamp": timestamp,
            SIGNATURE_HEADER: f"hmac-sm3={signature(secret, timestamp, body)}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.BIANZHI_WEBHOOK_TIMEOUT) as answer:
            return answer.status, ""
    except urllib.error.HTTPError as refused:
        return refused.code, f"对方答复 HTTP {refused.code}"
    except (urllib.error.URLError, OSError, ValueError) as failed:
        reason = getattr(failed, "reason", failed)
        return None, f"无法送达：{reason}"[:300]


def _claim(webhook: Webhook, now: dt.datetime) -> bool:
    lease = now + dt.timedelta(seconds=settings.BIANZHI_WEBHOOK_TIMEOUT * (PAGES_PER_RUN + 1))
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    return bool(Webhook.objects.filter(free, pk=webhook.pk, active=True).update(claimed_until=lease))


def webhook_deliver(webhook: Webhook, *, now: dt.datetime | None = None) -> int:
    """Posts the events ``webhook`` has not had yet, page by page, until the feed's end, a failure, or
    ``PAGES_PER_RUN`` posts; returns how many events were delivered. Nothing is posted while another worker holds
    the webhook."""
    now = now or timezone.now()
    if not _claim(webhook, now):
        return 0
    delivered = 0
    try:
        webhook.refresh_from_db()
        token = ApiToken.objects.select_related("user").get(pk=webhook.token_id)
        secret = crypto.decrypt(webhook.secret_cipher)
        for _page in range(PAGES_PER_RUN):
            page, body = feed_page_for(token, after=webhook.delivered_seq, limit=PAGE)
            if not page.items:
                break
            raw = json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False).encode()
            started = time.monotonic()
            status, error = _post(webhook.url, secret, raw)
            ok = status is not None and 200 <= status < 300
            with transaction.atomic():
                WebhookDelivery.objects.create(
                    webhook=webhook,
                    first_seq=page.items[0].seq,
                    last_seq=page.last_seq,
                    events=len(page.items),
                    attempt=webhook.failures + 1,
                    status=status,
                    ok=ok,
                    error=error,
                    milliseconds=int((time.monotonic() - started) * 1000),
                )
                if ok:
                    webhook.delivered_seq, webhook.failures, webhook.next_attempt_at = page.last_seq, 0, None
                    api_token_record_feed_read(token, page.last_seq)
                else:
                    webhook.failures += 1
                    webhook.next_attempt_at = timezone.now() + retry_wait(webhook.failures)
                webhook.save(update_fields=["delivered_seq", "failures", "next_attempt_at"])
            if not ok:
                break
            delivered += len(page.items)
            if not page.has_more:
                break
    finally:
        Webhook.objects.filter(pk=webhook.pk).update(claimed_until=None)
    return delivered


def webhooks_due(now: dt.datetime):
    """Active webhooks of usable tokens whose retry time, if any, has come."""
    usable = Q(token__revoked_at__isnull=True) & (Q(token__expires_at__isnull=True) | Q(token__expires_at__gt=now))
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return Webhook.objects.filter(usable, due, active=True, token__user__is_active=True).order_by("pk")


@task()
def deliver_webhooks() -> int:
    """Every due webhook once; if some are waiting to retry, the task comes back when the first of them is due."""
    if not webhooks_enabled():
        return 0
    now = timezone.now()
    delivered = 0
    for webhook in webhooks_due(now):
        try:
            delivered += webhook_deliver(webhook, now=now)
        except Exception:  # one partner's failure must not keep the others waiting
            logger.exception("事件推送 %s 失败", webhook.pk)
    retry = Webhook.objects.filter(active=True, next_attempt_at__gt=now).aggregate(at=Min("next_attempt_at"))["at"]
    if retry is not None and not _queued(before=retry):
        deliver_webhooks.using(run_after=retry).enqueue()
    return delivered


def _queued(*, before: dt.datetime) -> bool:
    """A delivery is already waiting for a worker and will run by ``before``: no need for another."""
    soon = Q(run_after=get_date_max()) | Q(run_after__lte=before)  # the backend stores "now" as the latest date
    return DBTaskResult.objects.filter(
        soon, status=TaskResultStatus.READY, task_path=deliver_webhooks.module_path
    ).exists()


def webhooks_wake(*, count: int) -> None:
    """Told by the feed after it numbered ``count`` new events: queue a delivery if anyone waits for them and none
    is queued to run now already (one run delivers every waiting event)."""
    if not (count and webhooks_enabled() and Webhook.objects.filter(active=True).exists()):
        return
    if not _queued(before=timezone.now()):
        deliver_webhooks.enqueue()
