"""Counting in columns: the conditional aggregates that give a report's three columns at
once, and the tallies its breakdowns are summed into."""

from django.db.models import Count, Q

from evaluations.reports.figures import NOT_RECORDED, ZERO, Row


def per_column(periods, prefix, make, date_field="date", condition=None):
    """Conditional aggregates `<prefix>0..2`, one per column of the report."""
    return {
        f"{prefix}{index}": make(Q(**{f"{date_field}__range": period.range}) & (condition or Q()))
        for index, period in enumerate(periods.columns)
    }


def column_values(aggregated, prefix):
    return tuple(aggregated.get(f"{prefix}{index}") or 0 for index in range(3))


def _add(total, values):
    return tuple(a + b for a, b in zip(total, values, strict=True))


def count_where(condition):
    return Count("pk", filter=condition)


class Tally:
    """Sums grouped rows (at most a few dozen) into the report's breakdowns."""

    def __init__(self):
        self.values = {}

    def add(self, key, values):
        self.values[key] = _add(self.values.get(key, ZERO), values)

    @classmethod
    def of(cls, sums):
        """A tally of `{key: [value per column]}` as `accumulate` builds it."""
        tally = cls()
        tally.values = {key: tuple(values) for key, values in sums.items()}
        return tally

    def get(self, key):
        return self.values.get(key, ZERO)

    def total(self):
        total = ZERO
        for values in self.values.values():
            total = _add(total, values)
        return total


def accumulate(sums, key, values):
    """Add `values` (None counting as 0) to the running sums of `key`."""
    totals = sums.get(key)
    if totals is None:
        totals = sums[key] = [0] * len(values)
    for index, value in enumerate(values):
        if value:
            totals[index] += value


def choice_rows(prefix, choices, tally, optional_blank=True):
    """A row per choice, zeros included; "Not recorded" only when some activity left it blank."""
    rows = [Row(f"{prefix}.{code}", label, tally.get(code)) for code, label in choices]
    if optional_blank and tally.get("") != ZERO:
        rows.append(Row(f"{prefix}.blank", NOT_RECORDED, tally.get("")))
    return rows
