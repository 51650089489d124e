"""The date field of every form and filter: a date within the range the product accepts
(`kmtracker.lib.dates`), refused beside the field otherwise."""

import django_filters
from django import forms
from django.db import models

from kmtracker.lib.dates import validate_in_range


class DateField(forms.DateField):
    default_validators = [validate_in_range]


class DateFilter(django_filters.DateFilter):
    field_class = DateField


class ModelDateField(models.DateField):
    """A model's date: validated, and edited in forms, within the accepted range."""

    default_validators = [validate_in_range]

    def formfield(self, form_class=None, choices_form_class=None, **kwargs):
        return super().formfield(
            form_class=form_class or DateField, choices_form_class=choices_form_class, **kwargs
        )
