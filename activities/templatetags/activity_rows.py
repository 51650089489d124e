"""The activity list's rows, drawn in Python: the same markup as a template loop, for less.

The list draws fifty rows of six cells on every request. Through the template
language each cell is a variable lookup, a filter and an escape done node by
node: most of the table's drawing time, and more than reading the rows. This
writes the same bytes (tests/activities/test_activity_rows.py holds it to the
template it replaced), escaping every value as the template did.
"""

import html

from django import template
from django.utils.dates import MONTHS_3
from django.utils.formats import localize
from django.utils.functional import Promise
from django.utils.safestring import mark_safe

from activities.mentions import text_for

register = template.Library()

NO_CONTACTS = '<span class="text-body-secondary">—</span>'


def _month_names():
    """`date:"M"` for each month (Jan, Feb…), in the language of the request."""
    return [""] + [str(MONTHS_3[month]).title() for month in range(1, 13)]


def _escaped(value):
    """`conditional_escape(value)`, without its lazy-string wrapper: called some 500
    times a page, that wrapper cost as much as the escaping."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _number(value):
    """A number as `{{ value }}` shows it: localised, then escaped."""
    return _escaped(localize(value))


def draw_rows(activities, access, activities_url):
    """The `<tr>` of each activity, each as the list's template wrote it."""
    months = _month_names()
    url = _escaped(activities_url)
    rows = []
    for activity in activities:
        day = activity.date
        date = f"{day.day} {months[day.month]} {day.year}" if day is not None else ""
        title = "" if activity.title is None else str(activity.title)
        co_brokers = "".join(
            f'<small class="d-block text-body-secondary">with {_escaped(co)}</small>'
            for co in activity.listed_co_brokers
        )
        listed = activity.listed_contacts
        contacts = (
            ", ".join(_escaped(contact.label_for(access)) for contact in listed)
            if listed
            else NO_CONTACTS
        )
        duration = activity.duration_minutes
        rows.append(
            "\n    <tr>"
            f'\n      <td class="text-nowrap">{date}</td>'
            f'\n      <td><a href="{url}{_number(activity.pk)}/">'
            f"{_escaped(text_for(access, title))}</a></td>"
            f'\n      <td><span class="d-block">{_escaped(activity.get_category_display())}</span>'
            f'<small class="text-body-secondary">{_escaped(activity.activity_type)}</small></td>'
            f"\n      <td>{_escaped(activity.lead_broker)}{co_brokers}</td>"
            f"\n      <td>{contacts}</td>"
            f'\n      <td class="text-end">{"" if duration is None else _number(duration)}</td>'
            "\n    </tr>\n    "
        )
    # Safe: every value above is escaped as it is written in.
    return mark_safe("".join(rows))  # noqa: S308


@register.simple_tag(takes_context=True)
def activity_rows(context, activities, activities_url):
    """The list's rows of `activities`, linking each to `activities_url` + its id."""
    return draw_rows(activities, context.get("access"), activities_url)
