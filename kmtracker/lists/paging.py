"""Paging a long list without counting all of it.

A team may log hundreds of thousands of activities. Counting every row a
broad filter selects, on every request, costs as much as reading them, and
a page number deep in the list (`OFFSET 500000`) costs more still. A list
therefore counts at most `LIMIT` + 1 rows and offers pages up to `LIMIT` rows
deep: beyond that it says "more than 10,000" and the filters or the sort
narrow the search.
"""

from functools import cached_property

from django.core.exceptions import EmptyResultSet
from django.core.paginator import EmptyPage, Paginator
from django.db import connections
from django.db.models import DateField

# The most rows a list counts and pages through.
LIMIT = 10_000


class CappedPaginator(Paginator):
    """A Paginator that counts at most `LIMIT` + 1 rows of its queryset.

    `count` is then at most `LIMIT`, so the last page offered starts no deeper
    than `LIMIT` rows; `is_capped` says more rows match.
    """

    limit = LIMIT

    def __init__(self, *args, matched=None, **kwargs):
        super().__init__(*args, **kwargs)
        if matched is not None:
            self.__dict__["matched"] = matched

    @cached_property
    def matched(self):
        """How many rows match, counting no further than `limit` + 1."""
        return capped_count(self.object_list, self.limit)

    @cached_property
    def count(self):
        return min(self.matched, self.limit)

    @property
    def is_capped(self):
        return self.matched > self.limit

    def validate_number(self, number):
        """A page past the last one offered (an old link, `?page=99999`) shows the last."""
        try:
            return super().validate_number(number)
        except EmptyPage:
            if int(number) > 1:
                return self.num_pages
            raise


def _first_rows(queryset, limit):
    """The ids of at most `limit` + 1 rows of `queryset`: enough to tell "more than"."""
    return queryset.order_by().values("pk")[: limit + 1]


def capped_count(queryset, limit=LIMIT):
    """The number of rows of `queryset`, or `limit` + 1 when there are more."""
    return _first_rows(queryset, limit).count()


def count_and_first_date(queryset, dated, limit=LIMIT):
    """(capped count of `queryset`, earliest `date` of `dated`) in one query.

    A list page needs both (the paginator, and the quarters its filter offers
    since the team's first activity); both queries come from the ORM's scoped
    querysets, only their SELECTs are joined, to spare the page a round trip.
    """
    matched = _first_rows(queryset, limit)
    first = dated.order_by("date").values("date")[:1]
    connection = connections[queryset.db]
    try:
        matched_sql, matched_params = matched.query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:  # the filters alone rule every row out
        return 0, dated.order_by("date").values_list("date", flat=True).first()
    first_sql, first_params = first.query.get_compiler(queryset.db).as_sql()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM ({matched_sql}) matched), ({first_sql})",
            (*matched_params, *first_params),
        )
        count, first_date = cursor.fetchone()
    return count, DateField().to_python(first_date)
