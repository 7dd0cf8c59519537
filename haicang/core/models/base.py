from django.db import models

from haicang.core.ids import new_id


class Entity(models.Model):
    """An object addressed from outside: its primary key is a UUIDv7, never a sequential number."""

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
