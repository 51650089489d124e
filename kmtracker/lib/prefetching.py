"""Prefetching many related rows for many records, at the cost of the queries alone.

Django's `prefetch_related_objects()` gives each record a related queryset of its own,
filtered as the record's manager would filter it (`manager.get_queryset()`), and puts the
prefetched rows in its cache. At a thousand records and six many-valued columns that is
six thousand filtered querysets: measured on a page of the read API, several times the
time of the seven queries themselves. Here each record gets an unfiltered queryset holding
its rows, which reads the same (`record.contacts.all()` is the prefetched list), for what
Django's own code path costs per query, not per record.

Only many-valued relations one level deep take this path (many-to-many, reverse foreign
keys); any other lookup (nested, `to_attr`, single-valued) goes to Django's own.
"""

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.db.models.constants import LOOKUP_SEP


def prefetch(records: Sequence[Any], lookups: Iterable[str | Prefetch]) -> None:
    """Prefetch `lookups` (as `prefetch_related()` takes them) into `records`."""
    if not records:
        return
    for lookup in lookups:
        if isinstance(lookup, str):
            lookup = Prefetch(lookup)
        if not _prefetch_plainly(records, lookup):
            prefetch_related_objects(list(records), lookup)


def lookups_of(queryset: QuerySet) -> tuple:
    """The queryset's `prefetch_related()` lookups (Django keeps them on a private field)."""
    return queryset._prefetch_related_lookups  # type: ignore[attr-defined]


def chunked(queryset: QuerySet, size: int) -> Iterator[Any]:
    """`queryset.iterator(chunk_size=size)`, its prefetches made chunk by chunk here."""
    lookups = lookups_of(queryset)
    rows = queryset.prefetch_related(None).iterator(chunk_size=size)
    while chunk := list(islice(rows, size)):
        prefetch(chunk, lookups)
        yield from chunk


def page(queryset: QuerySet, take) -> list:
    """`take(queryset)` (a paginator's list of one page) with the queryset's prefetches
    made here, once the page's records are known."""
    records = list(take(queryset.prefetch_related(None)))
    prefetch(records, lookups_of(queryset))
    return records


def _prefetch_plainly(records: Sequence[Any], lookup: Prefetch) -> bool:
    """Prefetch one many-valued relation of `records`; False when it is not one."""
    name = lookup.prefetch_through
    if LOOKUP_SEP in name or lookup.to_attr:
        return False
    manager = getattr(records[0], name, None)
    if manager is None or not hasattr(manager, "get_prefetch_querysets"):
        return False
    if name in getattr(records[0], "_prefetched_objects_cache", {}):
        return True  # prefetched already, as Django would leave it
    querysets = [lookup.queryset] if lookup.queryset is not None else None
    related, related_key, record_key, single, cache_name, is_descriptor = (
        manager.get_prefetch_querysets(records, querysets)
    )
    if single or is_descriptor:
        return False
    nested = related._prefetch_related_lookups
    related._prefetch_related_lookups = ()
    found = list(related)
    if nested:
        prefetch(found, nested)
    by_record: dict[Any, list] = {}
    for row in found:
        by_record.setdefault(related_key(row), []).append(row)
    model = related.model
    for record in records:
        held: QuerySet = QuerySet(model=model, using=related.db)
        held._result_cache = by_record.get(record_key(record), [])
        held._prefetch_done = True  # type: ignore[attr-defined]
        record.__dict__.setdefault("_prefetched_objects_cache", {})[cache_name] = held
    return True
