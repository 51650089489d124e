"""Optimistic locking: a record that changed since an editor opened it is not overwritten.

Each versioned row carries a `version` number. Every save checks it and moves
it on in the UPDATE statement itself (`... WHERE id = %s AND version = %s`), so
that the database, not a read before the write, decides who was first: when
two people save the same record, the second UPDATE matches no row and raises
`VersionConflict` instead of silently overwriting the first. Edit forms send
the version the editor started from (see `kmtracker.lib.edit_conflicts`).
"""

from django.db import models
from django.db.models import F


class VersionConflict(Exception):
    """The record was saved by someone else after this copy of it was read."""

    def __init__(self, instance, expected_version):
        super().__init__(
            f"{instance._meta.verbose_name} {instance.pk} is no longer at version "
            f"{expected_version}."
        )
        self.instance = instance
        self.expected_version = expected_version


class Versioned(models.Model):
    """A record whose saves are refused when it changed since it was read.

    `db_default` keeps the default in the table, so that rows inserted by
    statements that do not name the column (and the rows already there when the
    column is added) start at version 1 too.
    """

    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    class Meta:
        abstract = True

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        """Update the row only if it is still at `self.version`, and move the version on."""
        field = self._meta.get_field("version")
        expected = self.version
        values = [value for value in values if value[0] is not field]
        values.append((field, None, F("version") + 1))
        updated = super()._do_update(
            base_qs.filter(version=expected), using, pk_val, values, update_fields, forced_update
        )
        if updated:
            self.version = expected + 1
            return True
        if base_qs.filter(pk=pk_val).exists():
            raise VersionConflict(self, expected)
        return False  # the row is gone: Django's own save decides what that means
