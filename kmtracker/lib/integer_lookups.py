"""Query lookups that keep hostile input from reaching the database as an error.

Django answers `pk=2**80` with "no rows" (a number no integer column can hold
matches nothing), but passes the same number on in `pk__in=[...]`, where SQLite
fails with OverflowError. A form's multiple choice (`?organisations=...` or a
posted list of ids) queries with `__in`, so a tampered submission would be a
server error instead of "not one of the available choices".
"""

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    """`__in` on an integer column, leaving out numbers the column cannot hold."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [value for value in self.rhs if not _outside(value, low, high)]
        return super().process_rhs(compiler, connection)


def _outside(value, low, high):
    if not isinstance(value, int):
        return False
    return (low is not None and value < low) or (high is not None and value > high)
