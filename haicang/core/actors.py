"""Who acts: a signed-in user, an API key, or the system running a named job.

Every service takes ``actor`` as a keyword argument and hands it to ``audit_record``. Entry points build
the actor: views from ``request.user`` (or the API key that authenticated the call), tasks and CLI commands
with :meth:`Actor.system`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from haicang.core.models.audit import ActorKind

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


@dataclass(frozen=True, slots=True)
class Actor:
    kind: ActorKind
    label: str
    user_id: int | None = None
    api_key_id: uuid.UUID | None = None
    job: str = ""

    @classmethod
    def for_user(cls, user: AbstractBaseUser | AnonymousUser) -> Actor:
        if not user.is_authenticated:
            raise ValueError("an anonymous visitor cannot act")
        return cls(kind=ActorKind.USER, label=user.get_username(), user_id=user.pk)

    @classmethod
    def for_api_key(cls, *, key_id: uuid.UUID, label: str, user_id: int | None = None) -> Actor:
        return cls(kind=ActorKind.API_KEY, label=f"api-key:{label}", api_key_id=key_id, user_id=user_id)

    @classmethod
    def system(cls, job: str) -> Actor:
        if not job:
            raise ValueError("a system actor names the job it acts for")
        return cls(kind=ActorKind.SYSTEM, label=f"system:{job}", job=job)

    def __str__(self) -> str:
        return self.label
