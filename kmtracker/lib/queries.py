"""Small pieces of query vocabulary that several models' querysets share."""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce


def count_of(queryset: QuerySet, link: str) -> Coalesce:
    """The number of rows of `queryset` whose `link` is the outer row, as a subquery (0 if none).

    One subquery per outer row, walking an index: unlike `Count()` over a join,
    several of them in one statement do not multiply each other's rows.
    """
    counted = (
        queryset.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def related_rows(queryset: QuerySet, field: str) -> QuerySet:
    """All rows of the model that `field` of `queryset`'s model points to.

    Querysets are defined before their models; this reaches a related model
    through the relation itself, without importing it.
    """
    return queryset.model._meta.get_field(field).related_model._default_manager.all()
