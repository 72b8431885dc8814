"""Filters of the review pages: rubric names in the reader's language, severities and alert
reasons in words."""

from __future__ import annotations

from django import template
from django.forms import Form
from django.utils.translation import get_language

from ..engine import Criterion, Level
from ..labels import reason_texts
from ..models import Severity

register = template.Library()


@register.filter
def rubric_name(part: Criterion | Level) -> str:
    return part.name(get_language() or "de")


@register.filter
def severity(value: object) -> str:
    try:
        return str(Severity(str(value)).label)
    except ValueError:
        return ""


@register.filter
def alert_reason(value: object) -> str:
    found = reason_texts([str(value)])
    return found[0] if found else ""


@register.filter
def form_for(forms: dict[int, Form], key: int) -> Form:
    return forms[key]


@register.filter
def field(form: Form, name: str) -> str:
    return str(form[name].as_field_group())
