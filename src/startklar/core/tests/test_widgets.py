"""The plain widgets written directly (``core.widgets``) are, character for character, what
Django's templates render for them."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from startklar.core import widgets
from startklar.core.forms import FormRenderer, NumberInput, ScaleSelect

VALUES: list[Any] = [
    None,
    "",
    "plain",
    "quotes \" and ' and <tags> & ampersands",
    mark_safe("<b>safe</b>"),
    0,
    12345,
    Decimal("1234.5600"),
    3.5,
    True,
    gettext_lazy("Name"),
    "Ümläute – und ß",
]
ATTRS: list[dict[str, Any]] = [
    {},
    {"class": "form-control", "id": "id_x", "required": True, "disabled": False},
    {"placeholder": 'a "quote"', "data-x": 0, "maxlength": 120, "aria-describedby": "h"},
]
CHOICES: list[Any] = [
    [("a", "Alpha"), ("b", "Beta <b>"), (3, gettext_lazy("Name"))],
    [("", "–––"), ("Gruppe", [("x", "X"), ("y", "Y & Z")]), ("z", "Zett")],
    [],
]


def both(widget: forms.Widget, value: Any) -> tuple[str, str]:
    context = widget.get_context("field", value, None)
    name = widget.template_name
    assert name in widgets._WRITERS, name
    direct = widgets.render(name, context)
    assert direct is not None
    return str(direct), TemplatesSetting().render(name, context)


INPUT_WIDGETS = [
    forms.TextInput,
    forms.NumberInput,
    forms.EmailInput,
    forms.URLInput,
    forms.PasswordInput,
    forms.HiddenInput,
    forms.DateInput,
    forms.DateTimeInput,
    forms.TimeInput,
    forms.Textarea,
    NumberInput,
]


@pytest.mark.parametrize("widget_class", INPUT_WIDGETS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("attrs", ATTRS, ids=range(len(ATTRS)))
@pytest.mark.parametrize("language", ["de", "en"])
def test_inputs_and_text_areas(
    widget_class: type[forms.Widget], attrs: dict, language: str
) -> None:
    values = [*VALUES, datetime.date(2026, 12, 6), datetime.datetime(2026, 1, 2, 3, 4, 5)]
    with override(language):
        for value in values:
            if widget_class is NumberInput and not isinstance(value, int | float | Decimal | None):
                continue  # a number field shows numbers
            direct, template = both(widget_class(attrs=dict(attrs)), value)
            assert direct == template, f"{widget_class.__name__} {value!r}"


@pytest.mark.parametrize("attrs", ATTRS, ids=range(len(ATTRS)))
def test_checkboxes(attrs: dict[str, Any]) -> None:
    for value in [True, False, None, "", "on", "yes"]:
        direct, template = both(forms.CheckboxInput(attrs=dict(attrs)), value)
        assert direct == template, repr(value)


@pytest.mark.parametrize("choices", CHOICES, ids=range(len(CHOICES)))
@pytest.mark.parametrize("attrs", ATTRS, ids=range(len(ATTRS)))
def test_selects(choices: list[Any], attrs: dict[str, Any]) -> None:
    for value in [None, "", "a", "x", 3, "missing"]:
        direct, template = both(forms.Select(attrs=dict(attrs), choices=choices), value)
        assert direct == template, repr(value)
    for values in [None, [], ["a", "b"], ["x", "z"]]:
        widget = forms.SelectMultiple(attrs=dict(attrs), choices=choices)
        direct, template = both(widget, values)
        assert direct == template, repr(values)
    for value in [None, True, False, "unknown"]:
        direct, template = both(forms.NullBooleanSelect(attrs=dict(attrs)), value)
        assert direct == template, repr(value)


@pytest.mark.parametrize("choices", CHOICES, ids=range(len(CHOICES)))
@pytest.mark.parametrize("attrs", ATTRS, ids=range(len(ATTRS)))
@pytest.mark.parametrize("language", ["de", "en"])
def test_radio_buttons_checkbox_lists_and_scales(
    choices: list[Any], attrs: dict[str, Any], language: str
) -> None:
    many = [(n, f"Option {n}") for n in range(9)]  # more than six: the long list's class
    with override(language):
        for options in (choices, many):
            for value in [None, "", "a", "x", 3, 4]:
                direct, template = both(forms.RadioSelect(dict(attrs), options), value)
                assert direct == template, repr(value)
                scale = ScaleSelect(dict(attrs), options, low="kaum", high=gettext_lazy("Name"))
                direct, template = both(scale, value)
                assert direct == template, repr(value)
                direct, template = both(ScaleSelect(dict(attrs), options), value)
                assert direct == template, repr(value)
            for values in [None, [], ["a", "b"], ["x", "z"], [3, 4]]:
                widget = forms.CheckboxSelectMultiple(dict(attrs), options)
                direct, template = both(widget, values)
                assert direct == template, repr(values)


def test_other_widgets_go_to_the_template_engine() -> None:
    upload = forms.ClearableFileInput()
    context = upload.get_context("f", None, None)
    assert widgets.render(upload.template_name, context) is None
    assert 'type="file"' in FormRenderer().render(upload.template_name, context)


def test_the_project_renderer_writes_plain_widgets_directly() -> None:
    class Sample(forms.Form):
        name = forms.CharField(max_length=20)
        kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])
        note = forms.CharField(widget=forms.Textarea, required=False)

    form = Sample(initial={"name": "Müller & Co", "kind": "b"}, renderer=FormRenderer())
    for name in ("name", "kind", "note"):
        bound = form[name]
        direct = bound.as_widget()
        form.renderer = TemplatesSetting()
        assert direct == bound.as_widget()
        form.renderer = FormRenderer()


class Everything(forms.Form):
    name = forms.CharField(max_length=5, help_text="Höchstens <5> Zeichen")
    plain = forms.CharField(required=False)
    agree = forms.BooleanField(help_text="Bitte & bestätigen")
    maybe = forms.BooleanField(required=False)
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    kinds = forms.MultipleChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple, help_text="Mehrere"
    )
    score = forms.TypedChoiceField(
        choices=[(n, str(n)) for n in range(1, 6)], coerce=int, widget=ScaleSelect(low="a")
    )
    note = forms.CharField(widget=forms.Textarea, required=False, label="Notiz <intern>")
    amount = forms.DecimalField()


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize(
    "data",
    [None, {}, {"name": "zu lang!", "agree": "", "kind": "x", "amount": "abc", "note": "<b>"}],
)
@pytest.mark.parametrize("auto_id", ["id_%s", "", "f-%s"])
def test_fields_with_labels_help_and_errors(
    language: str, data: dict[str, str] | None, auto_id: str
) -> None:
    with override(language):
        form = Everything(data, auto_id=auto_id, renderer=FormRenderer())
        for name in form.fields:
            context = {"field": form[name]}
            direct = widgets.render(widgets.FIELD, context)
            assert direct is not None
            assert str(direct) == TemplatesSetting().render(widgets.FIELD, context), name
