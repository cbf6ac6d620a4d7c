"""Read replicas: report and list reads served by a PostgreSQL streaming replica (docs/decisions/0006-read-replicas.md).

Nothing here runs unless ``DATABASE_REPLICA_URL`` is set; settings then add the ``replica`` alias, the router and
the middleware. Views opt in with ``reads_from_replica``; the router is the only place that picks a database. A read
goes to the replica only inside such a view, outside any transaction, for a model that is not security state, for a
user who has not written in the last ``BIANZHI_REPLICA_STICKY_SECONDS``, and while the replica answers and stays
within ``BIANZHI_REPLICA_MAX_LAG_SECONDS`` of the primary. Everything else reads and writes on the primary.
"""

from __future__ import annotations

import contextlib
import logging
import math
import re
import threading
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from bianzhi.core.errors import ReplicaError

REPLICA = "replica"
PRIMARY = DEFAULT_DB_ALIAS
# Who a user is, their roles and scope, their session and lockouts: always read where they are written, so that
# a revoked role or a locked account takes effect with the next request, not when the replica catches up.
PRIMARY_ONLY_APPS = frozenset({"accounts", "auth", "sessions", "axes", "contenttypes", "django_tasks_db"})
STICKY_SESSION_KEY = "_bianzhi_primary_until"
PROBE_EVERY_SECONDS = 2.0
# an unreachable replica is tried again less often: behind a dead host every probe waits the connect timeout (2 s)
RETRY_UNREACHABLE_SECONDS = 10.0
# behind at the first look, the replica is asked again after this pause before its lag is judged
CATCH_UP_GRACE_SECONDS = 0.2
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|MERGE|COPY|TRUNCATE)\b", re.IGNORECASE)

logger = logging.getLogger("bianzhi.replica")

_reads_on_replica: ContextVar[bool] = ContextVar("bianzhi_reads_on_replica", default=False)
_pinned_to_primary: ContextVar[bool] = ContextVar("bianzhi_pinned_to_primary", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def _where(alias: str) -> str:
    db = connections.settings[alias]
    return f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}/{db['NAME']}"


@dataclass(frozen=True)
class ReplicaState:
    """What the last probe found: whether reads may go to the replica, and if not, why."""

    configured: bool
    where: str = ""
    lag: float | None = None  # seconds behind the primary; 0 when it has replayed everything the primary wrote
    problem: ReplicaError | None = None
    reason: str = ""  # the connection error, for UNREACHABLE

    @property
    def usable(self) -> bool:
        return self.configured and self.problem is None and self.lag is not None

    def message(self) -> str:
        if self.problem is None:
            return ""
        lag = "时长未知" if self.lag is None or math.isinf(self.lag) else f"{self.lag:.1f} 秒"
        return self.problem.format(
            where=self.where, lag=lag, limit=f"{max_lag():g}", reason=self.reason or self.problem.code
        )


def max_lag() -> float:
    return float(settings.BIANZHI_REPLICA_MAX_LAG_SECONDS)


def probe() -> ReplicaState:
    """Asks the primary how far its WAL has gone and the replica whether it has replayed that far; behind it, the
    lag is the time since the last transaction the replica replayed (its commit time on the primary)."""
    if not replica_configured():
        return ReplicaState(configured=False)
    where = _where(REPLICA)
    with connections[PRIMARY].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        (primary_lsn,) = cursor.fetchone()
    replica = connections[REPLICA]
    try:
        with replica.cursor() as cursor:
            for attempt in range(2):
                cursor.execute(
                    "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn() >= %s::pg_lsn,"
                    " EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp())",
                    [primary_lsn],
                )
                in_recovery, caught_up, since_last_replay = cursor.fetchone()
                if caught_up or not in_recovery or attempt:
                    break
                # a write a moment ago (a sign-in's session) is not lag: after an idle spell the last commit the
                # replica replayed is old, and its age would read as minutes behind until the next one arrives
                time.sleep(CATCH_UP_GRACE_SECONDS)
    except DatabaseError as exc:
        _close(replica)
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return ReplicaState(configured=True, where=where, problem=ReplicaError.UNREACHABLE, reason=reason)
    if not in_recovery:
        return ReplicaState(configured=True, where=where, problem=ReplicaError.NOT_A_REPLICA)
    lag = 0.0
    if not caught_up:  # behind: by the age of the last commit it replayed (none since it started: unknown)
        lag = math.inf if since_last_replay is None else max(0.0, float(since_last_replay))
    if lag > max_lag():
        return ReplicaState(configured=True, where=where, lag=lag, problem=ReplicaError.LAGGING)
    return ReplicaState(configured=True, where=where, lag=lag)


def _close(connection) -> None:
    with contextlib.suppress(DatabaseError):
        connection.close()


# The last probe of this process and when it expires; one thread probes while the others use what is known.
_probe_lock = threading.Lock()
_known: tuple[float, ReplicaState] | None = None


def replica_state(*, fresh: bool = False) -> ReplicaState:
    """The replica's state as this process last saw it, probed again when that is more than a second or two old
    (``fresh``: now, as ``bianzhi check`` wants)."""
    known = _known
    if not fresh and known is not None and known[0] > time.monotonic():
        return known[1]
    if not _probe_lock.acquire(blocking=fresh):
        return known[1] if known is not None else ReplicaState(configured=True)  # not known yet: the primary
    try:
        return _remember(probe())
    finally:
        _probe_lock.release()


def _remember(state: ReplicaState) -> ReplicaState:
    """Keeps ``state`` for a while and logs a change between served by the replica and not, once per change."""
    global _known
    before = _known[1] if _known is not None else None
    wait = RETRY_UNREACHABLE_SECONDS if state.problem is ReplicaError.UNREACHABLE else PROBE_EVERY_SECONDS
    _known = (time.monotonic() + wait, state)
    if state.problem is not None and (before is None or before.problem is not state.problem):
        logger.warning("[%s] %s", state.problem.code, state.message())
    elif state.usable and before is not None and before.problem is not None:
        logger.warning("只读副本 %s 已恢复（落后 %.1f 秒），报表和列表重新从副本读取。", state.where, state.lag)
    return state


def reads_from_replica(view: Callable) -> Callable:
    """Marks a view of reports or lists: its reads outside transactions may be served by the replica (the router
    decides). Should the replica fail midway, the view runs again on the primary; it must therefore only read
    before it writes, as report and list views do."""

    @wraps(view)
    def on_replica_when_possible(*args, **kwargs):
        if not _replica_wanted():
            return view(*args, **kwargs)
        token = _reads_on_replica.set(True)
        try:
            return view(*args, **kwargs)
        except DatabaseError:
            if not connections[REPLICA].errors_occurred:
                raise
            _close(connections[REPLICA])  # a query cancelled by replay, or a replica gone: ask it again
            replica_state(fresh=True)
        finally:
            _reads_on_replica.reset(token)
        return view(*args, **kwargs)

    return on_replica_when_possible


def _replica_wanted() -> bool:
    return (
        replica_configured() and not _pinned_to_primary.get() and not _reads_on_replica.get() and replica_state().usable
    )


class ReplicaRouter:
    """The one place that chooses: the replica for reads inside ``reads_from_replica``, the primary otherwise."""

    def db_for_read(self, model, **hints) -> str:
        if (
            _reads_on_replica.get()
            and model._meta.app_label not in PRIMARY_ONLY_APPS
            and not connections[PRIMARY].in_atomic_block  # a service's reads see what it is about to write
        ):
            return REPLICA
        # said outright: left to Django, a row read from the replica would take its later reads back there
        return PRIMARY

    def db_for_write(self, model, **hints) -> str:
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replica is a copy of the primary: a row read there is the primary's row

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == PRIMARY


class _WriteSeen:
    """An execute wrapper on the primary's connection that notes whether the request wrote anything."""

    def __init__(self):
        self.wrote = False

    def __call__(self, execute, sql, params, many, context):
        if not self.wrote and _WRITE.match(sql):
            self.wrote = True
        return execute(sql, params, many, context)


class ReplicaMiddleware:
    """Read your writes: after a request of this session wrote (through a service, or a form or API call that
    succeeded), its reads stay on the primary for ``BIANZHI_REPLICA_STICKY_SECONDS``, so that nobody looks for
    what they just saved on a replica that has not replayed it yet."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        pinned = session.get(STICKY_SESSION_KEY, 0) > time.time()
        seen = _WriteSeen()
        token = _pinned_to_primary.set(pinned)
        try:
            with connections[PRIMARY].execute_wrapper(seen):
                response = self.get_response(request)
        finally:
            _pinned_to_primary.reset(token)
        wrote = seen.wrote or (request.method not in _SAFE_METHODS and response.status_code < 400)
        if wrote and request.user.is_authenticated:  # a signed-in user's session; API tokens carry none
            session[STICKY_SESSION_KEY] = time.time() + float(settings.BIANZHI_REPLICA_STICKY_SECONDS)
        return response
