"""Who may read and verify the audit log (see ``core/policy.py``)."""

from bianzhi.core.policy import AUDIT_ADMIN, page

RULES = [
    page("audit:event_list", "GET", AUDIT_ADMIN),
    page("audit:chain_verify", "POST", AUDIT_ADMIN),
]
