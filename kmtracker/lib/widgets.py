"""Form widgets shared by the apps."""

from typing import TYPE_CHECKING

from django import forms
from django.core.exceptions import ValidationError

if TYPE_CHECKING:
    _SelectBase = forms.Select
else:
    _SelectBase = object


class AutocompleteMixin(_SelectBase):
    """Render only the chosen options; Tom Select fetches others from `data-autocomplete-url`.

    A team may hold thousands of contacts: rendering every one as an <option>
    would make each form slow to send and slow to draw.
    """

    def __init__(self, url="", attrs=None):
        super().__init__(attrs)
        self.url = url

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-autocomplete-url"] = self.url
        return attrs

    def optgroups(self, name, value, attrs=None):
        field = self.choices.field  # type: ignore[attr-defined]  # a ModelChoiceIterator
        chosen = _valid_keys(field.queryset.model, value)
        if not chosen:  # nothing to read: most filter forms, most of the time
            return []
        queryset = field.queryset.filter(pk__in=chosen)
        groups = []
        for index, obj in enumerate(queryset):
            option = self.create_option(
                name, field.prepare_value(obj), field.label_from_instance(obj), True, index, attrs
            )
            groups.append((None, [option], index))
        return groups


class AutocompleteSelectMultiple(AutocompleteMixin, forms.SelectMultiple):
    pass


class AutocompleteSelect(AutocompleteMixin, forms.Select):
    pass


class DateInput(forms.DateInput):
    """The browser's own date picker, which phones handle well."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _valid_keys(model, values):
    """The submitted values that can be primary keys of `model`.

    A form or filter redisplayed after bad input (`?contact=abc`) still renders
    its chosen options; an id of the wrong type must not reach the query.
    """
    pk = model._meta.pk
    keys = []
    for item in values:
        if item in (None, ""):
            continue
        try:
            keys.append(pk.to_python(item))
        except ValidationError:
            continue
    return keys
