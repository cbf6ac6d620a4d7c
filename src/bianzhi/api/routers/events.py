from __future__ import annotations

from ninja import Query, Router

from bianzhi.api.events_schemas import EventPage, EventQuery
from bianzhi.api.feed import feed_page_for
from bianzhi.api.schemas import READ_ERRORS
from bianzhi.api.services import api_token_record_feed_read

router = Router(tags=["数据共享"])


@router.get(
    "/events",
    response={200: EventPage, **READ_ERRORS},
    summary="数据共享事件：用编核准、入编、出编、转编、编制和领导职数变动、机构变更，按序号顺序",
)
def list_events(request, filters: Query[EventQuery]):
    token = request.api_token
    page, body = feed_page_for(token, after=filters.after, limit=filters.limit)
    api_token_record_feed_read(token, page.last_seq)
    return body
