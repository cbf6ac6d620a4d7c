"""What the ledger asks of the apps above it (see core.hooks)."""

from bianzhi.core.hooks import Hook

# (accounts, day) -> the accounts queryset annotated with ``occupied``, ``reserved`` and ``listed`` on ``day`` (None
# where nothing is used): the people in each account's slots (实有), the slots promised to approvals not yet used
# (已核准未入编), and the people on slots lent from the turnover pool (单列). Joined in, not asked per account.
use_annotated = Hook("quotas.use_annotated")
# (account_ids, day) -> {leadership_account_id: filled}: 领导职数实配.
posts_filled = Hook("quotas.posts_filled")
# (account, effective_date): slots are leaving the turnover pool from that date; refuse if they are lent out.
turnover_outflow = Hook("quotas.turnover_outflow")
# (account, start) -> (day, approved, occupied, reserved) | None: a unit account's tightest day from ``start`` on,
# asked after a movement takes slots from it, so that a reduction never leaves a unit 超编 without a word.
lowest_use = Hook("quotas.lowest_use")
# (account, start) -> (day, approved, filled) | None: the same for a unit's leadership posts (超职数).
lowest_posts = Hook("quotas.lowest_posts")
