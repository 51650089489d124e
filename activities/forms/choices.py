"""Choice fields that look their posted values up among rows the form has already read.

A form whose fields name rows it reads anyway (an activity's lead broker and its
co-brokers, beside the editor's own broker profile; the type of the activity being
edited) gives them to the fields as `known`: a value among them is answered without a
query, any other is asked of the field's queryset as Django's own fields do, so that
the same input gives the same rows and the same errors.
"""

from django import forms
from django.core.exceptions import ValidationError


class KnownChoiceMixin:
    """`known` ({pk: row}, in the queryset's order): rows of the field's queryset that
    the form has read already."""

    known = None

    def _known_rows(self, values):
        """The known rows of these posted values, or None when one is not known."""
        pk = self.queryset.model._meta.pk
        if self.known is None or self.to_field_name not in (None, pk.name, pk.attname):
            return None
        rows = {}
        for value in values:
            try:
                key = pk.to_python(value)
            except ValidationError:
                return None
            if key not in self.known:
                return None
            rows[key] = self.known[key]
        return rows


class KnownModelChoiceField(KnownChoiceMixin, forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values:
            self.validate_no_null_characters(value)
            rows = self._known_rows([value])
            if rows:
                [row] = rows.values()
                return row
        return super().to_python(value)


class KnownModelMultipleChoiceField(KnownChoiceMixin, forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        try:
            values = frozenset(value)
        except TypeError:
            return super()._check_values(value)
        for pk in values:
            self.validate_no_null_characters(pk)
        rows = self._known_rows(values)
        # Django's field compares the posted text with each row's pk as text ("012" is no
        # choice of 12): anything else is its to answer.
        if rows is None or {str(pk) for pk in values} != {str(pk) for pk in rows}:
            return super()._check_values(value)
        return [row for pk, row in self.known.items() if pk in rows]


def posted_pks(form, *names):
    """The primary keys the bound `form` posts in the choice fields `names`: those that
    parse as one (the fields refuse the others themselves)."""
    found = []
    for name in names:
        field = form.fields[name]
        posted = field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
        values = posted if isinstance(posted, list | tuple) else [posted]
        for value in values:
            if value in field.empty_values or not isinstance(value, str | int):
                continue
            try:
                found.append(field.queryset.model._meta.pk.to_python(value))
            except ValidationError:
                continue
    return found
