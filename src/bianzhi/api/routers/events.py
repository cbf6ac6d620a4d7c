from __future__ import annotations

from ninja import Query, Router

from bianzhi.api.events_schemas import EventPage, EventQuery
from bianzhi.api.schemas import READ_ERRORS
from bianzhi.api.scopes import Scope
from bianzhi.api.services import api_token_record_feed_read
from bianzhi.exchange.selectors import feed_after, feed_read_record, with_id_numbers

router = Router(tags=["数据共享"])


@router.get(
    "/events",
    response={200: EventPage, **READ_ERRORS},
    summary="数据共享事件：用编核准、入编、出编、转编、编制和领导职数变动、机构变更，按序号顺序",
)
def list_events(request, filters: Query[EventQuery]):
    page = feed_after(filters.after, filters.limit)
    token = request.api_token
    shown = with_id_numbers(page.items) if token.has_scope(Scope.ID_NUMBER) else 0
    feed_read_record(actor=request.auth, after=filters.after, page=page, id_numbers=shown, token_prefix=token.prefix)
    api_token_record_feed_read(token, page.last_seq)
    return {
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
