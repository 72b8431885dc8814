"""One place per vocabulary: labels are complete, registered once, and reach the templates."""

from __future__ import annotations

from enum import Enum, StrEnum

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from startklar.core import labels
from startklar.core.labels import Labels


class Level(StrEnum):
    HIGH = "hoch"
    LOW = "niedrig"


LEVELS = Labels(
    Level,
    {Level.HIGH: _("high"), Level.LOW: _("low")},
    styles={Level.HIGH: "danger", Level.LOW: "secondary"},
)


class Colour(models.TextChoices):
    RED = "rot", _("red")


def test_a_label_reads_in_the_active_language() -> None:
    with translation.override("de"):
        assert labels.label(Level.HIGH) == "hoch"
    with translation.override("en"):
        assert labels.label(Level.HIGH) == "high"
    assert LEVELS[Level.LOW] == _("low")
    assert list(LEVELS) == [Level.HIGH, Level.LOW]
    assert len(LEVELS) == 2


def test_templates_show_labels_and_styles_never_the_raw_id() -> None:
    template = Template(
        '<span class="badge text-bg-{{ level|label_style }}">{{ level|label }}</span>'
    )
    with translation.override("de"):
        page = template.render(Context({"level": Level.HIGH}))
    assert page == '<span class="badge text-bg-danger">hoch</span>'


def test_model_choices_carry_their_own_label() -> None:
    with translation.override("en"):
        assert labels.label(Colour.RED) == "red"


def test_a_mapping_that_leaves_out_a_member_is_refused() -> None:
    class Half(Enum):
        ONE = 1
        TWO = 2

    with pytest.raises(ImproperlyConfigured, match="Half: no label for TWO"):
        Labels(Half, {Half.ONE: _("one")})
    with pytest.raises(ImproperlyConfigured, match="Half: no style for ONE"):
        Labels(Half, {Half.ONE: _("one"), Half.TWO: _("two")}, styles={Half.TWO: "info"})
    with pytest.raises(ImproperlyConfigured, match="not members: 'THREE'"):
        Labels(Half, {Half.ONE: _("one"), Half.TWO: _("two"), "THREE": _("three")})  # type: ignore[type-var]


def test_a_vocabulary_has_one_primary_wording() -> None:
    with pytest.raises(ImproperlyConfigured, match="Level has its labels already"):
        Labels(Level, {Level.HIGH: _("very high"), Level.LOW: _("low")})
    singular = Labels(Level, {Level.HIGH: _("High"), Level.LOW: _("Low")}, primary=False)
    assert labels.labels_of(Level) is LEVELS
    assert singular[Level.HIGH] == _("High")


def test_codes_without_labels_are_a_programming_error() -> None:
    class Unlabelled(StrEnum):
        X = "x"

    with pytest.raises(LookupError, match="no labels for Unlabelled"):
        labels.label(Unlabelled.X)
    with pytest.raises(TypeError, match="not a member of an enum"):
        labels.label("hoch")
    with pytest.raises(TypeError, match="not a member of an enum"):
        labels.style("hoch")


def test_a_style_needs_styles() -> None:
    class Plain(StrEnum):
        A = "a"

    Labels(Plain, {Plain.A: _("a")})
    with pytest.raises(LookupError, match="Plain has no styles"):
        labels.style(Plain.A)
