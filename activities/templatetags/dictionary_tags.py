"""Show the data dictionary's texts, written in Markdown for the README, on the page."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def inline_code(text):
    """`text` with its `backticked` parts as <code>, everything else escaped."""
    # Safe: the text is escaped before the <code> tags are added.
    return mark_safe(re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(text)))
