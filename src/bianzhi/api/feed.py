"""A page of the event feed as a partner receives it, read (``GET /api/v1/events``) or pushed (api.webhooks)."""

from __future__ import annotations

from bianzhi.api.models import ApiToken
from bianzhi.api.scopes import Scope
from bianzhi.exchange.selectors import FeedPage, feed_after, feed_read_record, with_id_numbers


def feed_page_for(token: ApiToken, *, after: int, limit: int) -> tuple[FeedPage, dict]:
    """The events after ``after`` with what ``token``'s scopes show (full ID numbers only with ``roster.id_number``);
    the read is audited under the token's account."""
    page = feed_after(after, limit)
    shown = with_id_numbers(page.items) if token.has_scope(Scope.ID_NUMBER) else 0
    feed_read_record(actor=token.user, after=after, page=page, id_numbers=shown, token_prefix=token.prefix)
    body = {
        "items": [
            {
                "seq": event.seq,
                "type": event.type,
                "type_name": event.get_type_display(),
                "occurred_at": event.occurred_at,
                "payload": event.payload,
            }
            for event in page.items
        ],
        "last_seq": page.last_seq,
        "has_more": page.has_more,
    }
    return page, body
