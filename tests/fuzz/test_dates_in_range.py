"""Every date, quarter and period a user can give, found by looking rather than listed:
each is refused beside its field when it lies outside the product's range of dates
(`kmtracker.lib.dates`), so that nothing computed from it (a period before it, a
team's year, a quarter's end) can fall off the ends of the calendar."""

import datetime

import pytest
from django import forms
from django.apps import apps
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_filters import FilterSet
from hypothesis import given
from hypothesis import strategies as st

from kmtracker.lib.date_fields import DateField
from kmtracker.lib.dates import EARLIEST, LATEST, in_range
from kmtracker.lib.quarters import Quarter
from tests.fuzz.world import project_modules

OUTSIDE = st.one_of(
    st.dates(max_value=EARLIEST - datetime.timedelta(days=1)),
    st.dates(min_value=LATEST + datetime.timedelta(days=1)),
)
EDGES = [datetime.date(1, 1, 1), datetime.date(1, 1, 2), datetime.date(9999, 12, 31)]


def _classes(module_name, base):
    for module in project_modules(module_name):
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, base)
                and value.__module__ == module.__name__
            ):
                yield value


def _filter_date_fields():
    for filterset in _classes("filters", FilterSet):
        for name, declared in filterset.base_filters.items():
            if issubclass(declared.field_class, forms.DateField):
                yield f"{filterset.__name__}.{name}", declared.field_class


def _form_date_fields():
    for form in _classes("forms", forms.BaseForm):
        for name, field in form.base_fields.items():
            if isinstance(field, forms.DateField):
                yield f"{form.__name__}.{name}", type(field)


def _model_date_fields():
    for model in apps.get_models():
        if model._meta.app_label in {"activities", "evaluations", "teams", "members", "audit"}:
            for field in model._meta.get_fields():
                if isinstance(field, models.DateField) and not isinstance(
                    field, models.DateTimeField
                ):
                    yield f"{model.__name__}.{field.name}", type(field.formfield())


DATE_INPUTS = dict([*_filter_date_fields(), *_form_date_fields(), *_model_date_fields()])


def test_date_inputs_are_found():
    assert "ActivityFilterSet.date_from" in DATE_INPUTS
    assert "Activity.date" in DATE_INPUTS
    assert "Study.period_start" in DATE_INPUTS


@pytest.mark.parametrize("name", sorted(DATE_INPUTS))
def test_every_date_input_refuses_dates_outside_the_range(name):
    field = DATE_INPUTS[name]()
    assert issubclass(DATE_INPUTS[name], DateField)

    @given(day=st.one_of(OUTSIDE, st.sampled_from(EDGES)))
    def check(day):
        with pytest.raises(forms.ValidationError):
            field.clean(day.isoformat())

    check()
    assert field.clean(EARLIEST.isoformat()) == EARLIEST
    assert field.clean(LATEST.isoformat()) == LATEST


@given(
    year=st.integers(min_value=0, max_value=9999),
    number=st.integers(1, 4),
    month=st.integers(1, 12),
)
def test_a_quarter_of_any_year_is_refused_or_has_computable_ends(year, number, month):
    slug = f"{year:04d}-q{number}-m{month}"
    try:
        quarter = Quarter.from_slug(slug, start_month=4)
    except ValueError:
        assert not EARLIEST.year <= year <= LATEST.year
        return
    for neighbour in (quarter, quarter.previous(), quarter.next()):
        assert neighbour.label and neighbour.end >= neighbour.start >= neighbour.year_start
    assert Quarter.containing(quarter.end, month).start == quarter.start
    assert in_range(quarter.start)


def _quarter_urls(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _quarter_urls(entry, inner)
        elif isinstance(entry, URLPattern) and "quarter" in entry.pattern.regex.groupindex:
            yield f"{namespace}{entry.name}"


QUARTER_URLS = sorted(set(_quarter_urls()))


def test_quarter_urls_are_found():
    assert "evaluations:report_detail" in QUARTER_URLS


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", QUARTER_URLS)
@pytest.mark.parametrize("slug", ["1000-q1", "2999-q4", "1899-q4-m1", "2101-q1"])
def test_a_quarter_url_of_a_year_outside_the_range_is_not_found(
    client_for, team, lead, url_name, slug
):
    client = client_for(lead)

    url = reverse(url_name, kwargs={"team": team.slug, "quarter": slug})

    # 405: the page takes only one of the two methods.
    assert client.get(url).status_code in (404, 405)
    assert client.post(url).status_code in (404, 405)


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["?quarter=9999-q4", "?quarter=1000-q1", "?date_to=9999-12-31"])
def test_a_list_filtered_by_a_quarter_outside_the_range_says_so(client_for, team, broker, query):
    response = client_for(broker).get(
        reverse("activities:activity_list", kwargs={"team": team.slug}) + query
    )

    assert response.status_code == 200
    assert response.context["filter"].errors
