"""The one table of the core: which state the database is in (see :mod:`.generation`)."""

from __future__ import annotations

from django.db import models


class Generation(models.Model):
    """One row (id 1) whose token changes in every transaction that changes data."""

    token = models.BigIntegerField(default=0)

    class Meta:
        db_table = "core_generation"

    def __str__(self) -> str:
        return f"generation {self.token}"
