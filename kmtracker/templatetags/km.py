"""Template helpers of every page: people and contacts named as the viewer may see them,
sort links and query strings of the lists."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from activities.mentions import text_for
from kmtracker.lib.names import display_name as _display_name
from kmtracker.lists.drawn_forms import drawn_form

register = template.Library()


@register.filter
def display_name(user, missing=""):
    """A user's full name, else their username; `missing` (or nothing) without a user."""
    return _display_name(user, missing)


@register.simple_tag(takes_context=True)
def contact_label(context, contact):
    """The contact's name, or its pseudonym for evaluators."""
    return contact.label_for(context.get("access"))


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters changed (empty value removes one)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def sort_link(context, field, label):
    """A column heading that sorts by `field`, and reverses when already sorted by it."""
    current = context["request"].GET.get("o", "")
    query = context["request"].GET.copy()
    query["o"] = f"-{field}" if current == field else field
    query.pop("page", None)
    arrow = {field: " ▲", f"-{field}": " ▼"}.get(current, "")
    return format_html(
        '<a href="?{}">{}<span aria-hidden="true">{}</span></a>', query.urlencode(), label, arrow
    )


@register.filter
def free_text(text, access):
    """Free text as the reader may read it: contacts' names as pseudonyms for evaluators."""
    return text_for(access, "" if text is None else str(text))


@register.simple_tag(takes_context=True)
def filter_form(context, target):
    """The list's filter form, as `{% include "includes/filter_form.html" %}` draws it,
    drawn once for the same key (kmtracker/lists/drawn_forms.py)."""
    filterset = context["filter"]
    markup_key = getattr(filterset, "form_markup_key", None)
    key = markup_key() if markup_key is not None else None
    if key is not None:
        # The frame around the fields opens when the address has any query at all.
        key = ("filter_form", key, target, bool(context["request"].GET))

    def draw():
        form_template = context.template.engine.get_template("includes/filter_form.html")
        with context.push(target=target):
            return form_template.render(context)

    # Safe: the markup is the template's own output, escaped as it was drawn.
    return mark_safe(drawn_form(key, draw))  # noqa: S308
