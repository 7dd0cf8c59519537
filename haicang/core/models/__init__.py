from haicang.core.models.audit import ActorKind, AuditEntry
from haicang.core.models.base import Entity
from haicang.core.models.fx import FxRate
from haicang.core.models.idempotency import IdempotencyRecord, IdempotencyState
from haicang.core.models.schedule import JobProgress, ScheduledJob
from haicang.core.models.sequences import DocumentSequence

__all__ = [
    "ActorKind",
    "AuditEntry",
    "DocumentSequence",
    "Entity",
    "FxRate",
    "IdempotencyRecord",
    "IdempotencyState",
    "JobProgress",
    "ScheduledJob",
]
