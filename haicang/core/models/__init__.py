from haicang.core.models.audit import ActorKind, AuditEntry
from haicang.core.models.base import Entity
from haicang.core.models.sequences import DocumentSequence

__all__ = ["ActorKind", "AuditEntry", "DocumentSequence", "Entity"]
