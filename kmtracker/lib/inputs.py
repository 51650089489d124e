"""Reading ids from request parameters that anyone can tamper with.

`str.isdigit()` is true for "²" and "٣" and for 10,000 digits, all of which
then fail in `int()` or in the database; an id is 1 to 18 ASCII digits, which
any integer column holds.
"""

import re

from django import forms
from django.core.exceptions import ValidationError

_ID = re.compile(r"[0-9]{1,18}")


def as_id(text):
    """`text` as a record id, or None when it cannot be one."""
    if isinstance(text, str) and _ID.fullmatch(text):
        return int(text)
    return None


# Characters no one types and a CSV file cannot carry back in: the C0 controls but
# tab, line feed, vertical tab, form feed and carriage return. The import refuses files
# that hold them (a sign of a binary file), so the forms refuse them too: whatever is
# saved can be exported and imported again. NUL is among them (PostgreSQL cannot store
# it in text); Django's own check names it first.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0e-\x1f]")


def prohibit_control_characters(value):
    match = CONTROL_CHARACTERS.search(str(value))
    if match:
        raise ValidationError(
            f"Remove the invisible control character U+{ord(match.group()):04X} "
            "(it may have come with a copy and paste).",
            code="control_characters",
        )


def refuse_control_characters(form):
    """Make every text field of `form` refuse control characters, beside the field."""
    for field in form.fields.values():
        if isinstance(field, forms.CharField):
            field.validators.append(prohibit_control_characters)
