"""What the audit log tells the apps above it (see core.hooks)."""

from bianzhi.core.hooks import Hook

# (event, obj): ``event`` was just written, inside the transaction of the change it records (``obj`` as the service
# passed it, or None). A listener writes what follows from the change in that same transaction (the partners'
# event feed, exchange.feed); if it fails, the change fails with it.
audit_recorded = Hook("audit.recorded")
