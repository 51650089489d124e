"""How the agreement page writes its figures."""

from django import template

register = template.Library()

MISSING = "—"


@register.filter
def percent(value):
    """0.8125 as "81.3%"; None (undefined) as a dash."""
    return MISSING if value is None else f"{value * 100:.1f}%"


@register.filter
def coefficient(value):
    """A kappa or alpha to three decimals ("0.743", "−0.100"); None as a dash."""
    return MISSING if value is None else f"{value:.3f}".replace("-", "−")


@register.filter
def get_item(mapping, key):
    """mapping[key], or None."""
    return mapping.get(key)
