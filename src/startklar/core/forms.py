"""Helpers shared by all forms."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.renderers import TemplatesSetting
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import numbers, widgets

# The one status for input that cannot be saved, whether typed or sent by hand (an unknown
# choice): the form is shown again with its messages; htmx is configured to swap it in place.
INVALID = 422


class FormRenderer(TemplatesSetting):
    """Bootstrap markup for every form: ``{{ form }}`` and ``{{ field.as_field_group }}``;
    the plain widgets written directly, in the same markup as their templates
    (``core.widgets``)."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"

    def render(
        self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None
    ) -> str:
        return widgets.render(template_name, context) or super().render(
            template_name, context, request
        )


def _language() -> str:
    return (get_language() or "de")[:2]


class NumberInput(forms.TextInput):
    """A number typed the way people write it (``4.800,50``), never ``<input type="number">``.

    Browsers drop a value of a number input that they cannot parse in their own locale (a German
    "4.800,00" in an English Chromium), so an untouched edit form would erase it. A text input
    with a decimal keyboard shows the value in the interface language and gets it back intact.
    """

    def __init__(self, attrs: dict[str, Any] | None = None, places: int = 4):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})
        self.places = places

    def format_value(self, value: Any) -> str | None:
        if value is None or value == "":
            return None
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            return numbers.format_input(value, _language(), self.places)
        return str(value)  # what the person typed, shown again with its error message


class DecimalField(forms.DecimalField):
    """A decimal read with :func:`startklar.core.numbers.parse` in the interface language."""

    default_error_messages = {"invalid": _("Please enter a number, e.g. 1,234.5.")}

    def __init__(self, *args: Any, **kwargs: Any):
        places = kwargs.get("decimal_places")
        kwargs.setdefault("widget", NumberInput(places=4 if places is None else places))
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return numbers.parse(str(value).strip(), _language())
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


MAX_ID = 2**63 - 1  # the largest id a (big) integer column holds


def _out_of_range(value: object) -> bool:
    try:
        number = int(str(value).strip())
    except ValueError:
        return False  # not a number at all: Django's own check says so
    return not 0 < number <= MAX_ID


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A list of objects chosen by id; an id larger than the database can hold (a 21-digit
    number) is an invalid choice like any unknown id, not an OverflowError in the database."""

    def clean(self, value: Any) -> Any:
        if self.to_field_name is None and isinstance(value, list | tuple):
            for pk in value:
                if _out_of_range(pk):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": str(pk)[:30]},
                    )
        return super().clean(value)


class ModelChoiceField(forms.ModelChoiceField):
    """One object chosen by id; an id larger than the database can hold is an invalid choice,
    not an OverflowError in the database."""

    def to_python(self, value: Any) -> Any:
        if self.to_field_name is None and value not in self.empty_values and _out_of_range(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


def localized_formfield(db_field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    """``Meta.formfield_callback`` for model forms: decimals become :class:`DecimalField`,
    many-to-many choices :class:`ModelMultipleChoiceField`, foreign keys
    :class:`ModelChoiceField`."""
    if isinstance(db_field, models.DecimalField):
        return db_field.formfield(form_class=DecimalField, **kwargs)
    if isinstance(db_field, models.ManyToManyField):
        return db_field.formfield(form_class=ModelMultipleChoiceField, **kwargs)
    if isinstance(db_field, models.ForeignKey):
        return db_field.formfield(form_class=ModelChoiceField, **kwargs)
    return db_field.formfield(**kwargs)


class ScaleSelect(forms.RadioSelect):
    """A 1–5 (or any short) scale as a row of buttons; the chosen one is filled in.

    ``low`` and ``high`` name the two ends (``1 = kaum spürbar``, ``5 = deutlich``) under the
    buttons, so the numbers mean something without reading the help text.
    """

    template_name = "core/forms/scale.html"

    def __init__(
        self,
        attrs: dict[str, Any] | None = None,
        choices: Any = (),
        low: str | Promise = "",
        high: str | Promise = "",
    ):
        super().__init__(attrs, choices)
        self.low = low
        self.high = high

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"].update(low=self.low, high=self.high)
        return context
