"""Template helpers available in every template (registered as a builtin).

``{{ amount|money }}`` → ``1.234,56 €`` in German, ``€1,234.56`` in English.
``{{ count|number }}`` → ``1.234``; ``{{ ratio|number:1 }}`` → ``12,5``.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms, template
from django.forms import BoundField
from django.utils.formats import number_format
from django.utils.translation import get_language

register = template.Library()

NBSP = "\u00a0"


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def number(value: object, decimals: int = 0) -> str:
    amount = _decimal(value)
    if amount is None:
        return "–"
    return number_format(amount, decimal_pos=decimals, use_l10n=True, force_grouping=True)


@register.filter
def money(value: object, decimals: int = 2) -> str:
    amount = _decimal(value)
    if amount is None:
        return "–"
    formatted = number(amount.copy_abs(), decimals)
    sign = "−" if amount < 0 else ""
    if (get_language() or "de").startswith("de"):
        return f"{sign}{formatted}{NBSP}€"
    return f"{sign}€{formatted}"


@register.filter
def widget_class(field: BoundField) -> str:
    """Render a form field's widget with the Bootstrap class that fits its kind and state."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})
