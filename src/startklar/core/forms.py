"""Helpers shared by all forms."""

from __future__ import annotations

from django import forms
from django.forms.renderers import TemplatesSetting

TAMPERED = 400  # a value no form of ours can send, e.g. an unknown choice
UNPROCESSABLE = 422  # the user typed something invalid; the form is shown again with messages


def error_status(form: forms.BaseForm) -> int:
    """400 when the errors can only come from a hand-made request, else 422.

    htmx is configured to swap 422 responses, so the form re-renders in place with its messages.
    """
    codes = {error.code for errors in form.errors.as_data().values() for error in errors}
    return TAMPERED if "invalid_choice" in codes else UNPROCESSABLE


class FormRenderer(TemplatesSetting):
    """Bootstrap markup for every form: ``{{ form }}`` and ``{{ field.as_field_group }}``."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
