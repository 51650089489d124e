"""Links in e-mail must be absolute: `{% absolute_url "name" arg ... %}` is SITE_URL + the URL."""

from django import template
from django.conf import settings
from django.urls import reverse

register = template.Library()


@register.simple_tag
def absolute_url(name, *args, **kwargs):
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args or None, kwargs=kwargs or None)
