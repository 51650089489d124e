"""How a list's filter form is drawn: crispy's Bootstrap 5 markup, at a fraction of its cost.

A list page draws its filter form on every request: a dozen fields and their
choices. Through crispy's own field template and Django's widget templates that
cost more than reading and drawing the page of rows. The filter forms keep the
same markup through two cheaper paths, declared on the form:

- a FormHelper whose `field_template` (templates/includes/filter_field.html) is
  crispy's bootstrap5 field template cut down to the text, date and select fields
  that filter forms hold (anything else goes to crispy's own);
- Django's Jinja2 form renderer for the widgets: the same widget markup as the
  Django-template renderer (from Django's own Jinja2 copies of its widget
  templates), compiled to Python rather than interpreted node by node.

tests/kmtracker/test_filter_forms.py holds the markup to crispy's and Django's own.
"""

from functools import cached_property
from types import MappingProxyType

from crispy_forms.helper import FormHelper
from crispy_forms.utils import TEMPLATE_PACK
from django.forms.renderers import Jinja2


class FilterFormHelper(FormHelper):
    """The filter forms' helper: the lean field template, and its attributes worked out
    once (crispy works them out again for every field it draws)."""

    form_tag = False
    field_template = "includes/filter_field.html"

    @cached_property
    def _attributes(self):
        return MappingProxyType(super().get_attributes(TEMPLATE_PACK))

    def get_attributes(self, template_pack=TEMPLATE_PACK):
        if template_pack != TEMPLATE_PACK:
            return super().get_attributes(template_pack)
        return self._attributes


# Shared by every filter form: neither holds anything of a request.
FILTER_FORM_HELPER = FilterFormHelper()
FILTER_FORM_RENDERER = Jinja2()


def draw_cheaply(form):
    """Give a filter form the lean field template and the compiled widget renderer."""
    form.helper = FILTER_FORM_HELPER
    form.renderer = FILTER_FORM_RENDERER
    return form
