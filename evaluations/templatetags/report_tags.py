"""Template helpers of the reports: figures formatted by unit, the narrative as safe HTML."""

from django import template
from django.utils.safestring import mark_safe

from evaluations.reports.figures import formatted
from evaluations.reports.narrative import render_markdown

register = template.Library()


@register.filter
def figure(value, unit):
    """1,234 for counts, 12.5 for hours, £1,234.00 for amounts."""
    return formatted(value, unit)


@register.filter
def markdown(text):
    """The Markdown `text` as HTML, sanitised by nh3 (so marking it safe is safe)."""
    return mark_safe(render_markdown(text))
