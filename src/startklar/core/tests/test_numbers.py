"""Numbers as people type them: German and English conventions, round trips through forms."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from startklar.core import numbers
from startklar.core.forms import DecimalField, ScaleSelect


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("4.800,50", "de", "4800.50"),
        ("4800,5", "de", "4800.5"),
        ("4800.50", "de", "4800.50"),  # no valid thousands group: a decimal point
        ("4.800", "de", "4800"),  # a thousands group in German
        ("1.234.567,8", "de", "1234567.8"),
        ("1,234.56", "de", "1234.56"),  # unambiguously English
        ("−2.500 €", "de", "-2500"),
        ("85 %", "de", "85"),
        (",5", "de", "0.5"),
        ("+3", "de", "3"),
        ("12\u00a0400", "de", "12400"),
        ("4,800.50", "en", "4800.50"),
        ("4,800", "en", "4800"),
        ("4.8", "en", "4.8"),
        ("2,5", "en", "2.5"),  # unambiguously German
        ("€12,400,000", "en", "12400000"),
    ],
)
def test_numbers_are_read_in_the_interface_language(
    text: str, language: str, expected: str
) -> None:
    assert numbers.parse(text, language) == Decimal(expected)


@pytest.mark.parametrize(
    "text", ["", " ", "abc", "1e5", "5,", "1.2.3", "12.34.567", "1,2,3", "--1", "1-2", "€"]
)
def test_what_is_no_number_is_refused(text: str) -> None:
    for language in ("de", "en"):
        with pytest.raises(numbers.NotANumber):
            numbers.parse(text, language)


@given(
    value=st.decimals(
        min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=4, allow_nan=False
    ),
    language=st.sampled_from(["de", "en"]),
)
def test_what_an_input_shows_reads_back_unchanged(value: Decimal, language: str) -> None:
    assert numbers.parse(numbers.format_input(value, language), language) == value


@pytest.mark.parametrize(
    ("value", "language", "places", "shown"),
    [
        (Decimal("4800.00"), "de", 2, "4.800"),
        (Decimal("4800.50"), "de", 2, "4.800,5"),
        (Decimal("4800.50"), "en", 2, "4,800.5"),
        (Decimal("7.0"), "de", 1, "7"),
        (Decimal("-1234567.125"), "de", 4, "-1.234.567,125"),
        (0.3, "de", 4, "0,3"),
    ],
)
def test_inputs_show_values_grouped_without_trailing_zeros(
    value: Decimal | float, language: str, places: int, shown: str
) -> None:
    assert numbers.format_input(value, language, places) == shown


class Sample(forms.Form):
    amount = DecimalField(max_digits=12, decimal_places=2, required=False)
    score = forms.ChoiceField(
        choices=[(str(n), str(n)) for n in range(1, 6)], widget=ScaleSelect(low="1 = wenig")
    )
    systems = forms.MultipleChoiceField(
        choices=[("a", "Chat"), ("b", "OCR")], widget=forms.CheckboxSelectMultiple
    )


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_decimal_field_renders_a_text_input_that_reads_back(language: str) -> None:
    with translation.override(language):
        html = str(Sample(initial={"amount": Decimal("4800.00")})["amount"])
        assert 'type="text"' in html
        assert 'inputmode="decimal"' in html
        assert 'type="number"' not in html
        shown = "4.800" if language == "de" else "4,800"
        assert f'value="{shown}"' in html
        form = Sample({"amount": shown, "score": "3", "systems": ["a"]})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["amount"] == Decimal("4800")


def test_a_wrong_number_gets_a_message_in_the_language() -> None:
    with translation.override("de"):
        form = Sample({"amount": "viel", "score": "3", "systems": ["a"]})
        assert form.errors["amount"] == ["Bitte geben Sie eine Zahl ein, z. B. 1.234,5."]
    with translation.override("en"):
        form = Sample({"amount": "lots", "score": "3", "systems": ["a"]})
        assert form.errors["amount"] == ["Please enter a number, e.g. 1,234.5."]


def test_a_scale_is_a_row_of_buttons_with_the_choice_visible() -> None:
    html = Sample(initial={"score": "4"})["score"].as_field_group()
    assert html.count('class="btn-check"') == 5
    assert html.count('class="btn btn-outline-primary"') == 5
    assert "<fieldset" in html
    assert "<legend" in html
    assert 'value="4" class="btn-check" required id="id_score_3" checked>' in html
    assert "1 = wenig" in html
    assert "form-control" not in html


def test_a_checkbox_list_has_boxes_with_labels_beside_them() -> None:
    html = Sample(initial={"systems": ["b"]})["systems"].as_field_group()
    assert html.count('class="form-check"') == 2
    assert html.count('class="form-check-input"') == 2
    assert 'class="form-check-label" for="id_systems_1">OCR</label>' in html
    assert "form-control" not in html
    assert "<fieldset" in html


@pytest.mark.parametrize("language", ["de", "en"])
@given(
    value=st.decimals(min_value=-(10**15), max_value=10**15, places=6, allow_nan=False),
    decimals=st.integers(min_value=0, max_value=4),
)
def test_the_number_filter_formats_as_django_does(
    language: str, value: Decimal, decimals: int
) -> None:
    from django.utils.formats import number_format
    from django.utils.translation import override

    from startklar.core.templatetags.startklar import number

    with override(language):
        expected = number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)
        assert number(value, decimals) == expected
