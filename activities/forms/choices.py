"""Choice fields that look their posted values up among rows the form has already read.

A form whose fields name rows of the same table (an activity's lead broker and its
co-brokers, beside the editor's own broker profile) reads them in one query; the fields
then validate against those rows as Django's would against their queryset: the same
errors for the same input, the rows in the queryset's order.
"""

from django import forms
from django.core.exceptions import ValidationError


class KnownChoiceMixin:
    """`known` ({pk: row}, in the queryset's order) answers the field instead of its
    queryset once the form has set it; until then the field asks the queryset."""

    known = None

    def _answers(self):
        """Whether `known` answers: set, and keyed as the field looks values up (by pk)."""
        pk = self.queryset.model._meta.pk
        return self.known is not None and self.to_field_name in (None, pk.name, pk.attname)

    def _parsed(self, value):
        return self.queryset.model._meta.pk.to_python(value)


class KnownModelChoiceField(KnownChoiceMixin, forms.ModelChoiceField):
    def to_python(self, value):
        if not self._answers() or value in self.empty_values:
            return super().to_python(value)
        self.validate_no_null_characters(value)
        try:
            return self.known[self._parsed(value)]
        except (ValidationError, KeyError):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            ) from None


class KnownModelMultipleChoiceField(KnownChoiceMixin, forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        if not self._answers():
            return super()._check_values(value)
        try:
            value = frozenset(value)
        except TypeError:
            raise ValidationError(
                self.error_messages["invalid_list"], code="invalid_list"
            ) from None
        wanted = set()
        for pk in value:
            self.validate_no_null_characters(pk)
            try:
                wanted.add(self._parsed(pk))
            except ValidationError:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                ) from None
        rows = [row for pk, row in self.known.items() if pk in wanted]
        found = {str(row.pk) for row in rows}
        for val in value:
            if str(val) not in found:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": val},
                )
        return rows


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
