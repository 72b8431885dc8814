"""The markup of Django's plain widgets, written directly instead of through templates.

Django renders every widget through its template engine: an ``<input>`` costs about 0.3 ms,
a business case's editor has forty of them, a checkbox list one per use case. For the plain
widgets – inputs of every type, text areas, selects whose options use Django's own option
template, radio buttons and checkbox lists (``core/templates/django/forms/widgets/
multiple_input.html``), the scale (``core/forms/scale.html``) and a field with its label,
help text and errors (``core/forms/field.html``) – :func:`render` writes the
same markup as those templates character for character (``core/tests/test_widgets.py``
compares both for every kind of value); any other template gives ``None`` and is rendered by
the template engine as before. A change to one of those templates needs the same change here
(the test fails until both agree).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.template.base import render_value_in_context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import gettext

WIDGETS = "django/forms/widgets/"
# Every template that is only ``{% include "django/forms/widgets/input.html" %}``.
INPUTS = frozenset(
    f"{WIDGETS}{name}.html"
    for name in [
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "checkbox",
    ]
)
OPTION = f"{WIDGETS}select_option.html"


class _Context:
    """What ``render_value_in_context`` reads of a template context (autoescaping on)."""

    autoescape = True
    use_l10n = None
    use_tz = None


_CONTEXT: Any = _Context()


def _value(value: object) -> str:
    """``{{ value }}`` in a template."""
    return str(render_value_in_context(value, _CONTEXT))


def _formatted(value: object) -> str:
    """``{{ value|stringformat:'s' }}`` in a template (the filter keeps a safe string safe)."""
    try:
        text: str = "%s" % (value,)  # noqa: UP031 - exactly the filter's formatting
    except (ValueError, TypeError):
        text = ""
    if isinstance(value, SafeData):
        text = mark_safe(text)  # noqa: S308 - it was safe before formatting
    return str(conditional_escape(text))


def _attrs(attrs: Mapping[str, Any]) -> str:
    """``django/forms/widgets/attrs.html``."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(
            f" {_value(name)}" if value is True else f' {_value(name)}="{_formatted(value)}"'
        )
    return "".join(parts)


def _input(widget: Mapping[str, Any]) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{_formatted(value)}"'
    return (
        f'<input type="{_value(widget["type"])}" name="{_value(widget["name"])}"{shown}'
        f"{_attrs(widget['attrs'])}>"
    )


def _textarea(widget: Mapping[str, Any]) -> str:
    value = widget["value"]
    return (
        f'<textarea name="{_value(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{_value(value) if value else ''}</textarea>"
    )


def _option(option: Mapping[str, Any]) -> str:
    return (
        f'<option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_value(option['label'])}</option>\n"
    )


def _select(widget: Mapping[str, Any]) -> str | None:
    parts = [f'<select name="{_value(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_value(group_name)}">')
        for option in group_choices:
            if option.get("template_name") != OPTION:
                return None  # an option with markup of its own: the template engine
            parts.append(f"\n  {_option(option)}")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _options(widget: Mapping[str, Any]) -> list[tuple[Any, list[Mapping[str, Any]]]]:
    return [(group, options) for group, options, _index in widget["optgroups"]]


def _scale(widget: Mapping[str, Any]) -> str:
    """``core/forms/scale.html`` (a row of radio buttons drawn as buttons)."""
    attrs = widget["attrs"]
    shown_id = f' id="{_value(attrs["id"])}"' if attrs.get("id") else ""
    parts = [f'<div class="scale">\n  <div class="btn-group scale-buttons"{shown_id}>\n    ']
    for _group, options in _options(widget):
        for option in options:
            option_attrs = option["attrs"]
            parts.append(
                '\n    <input type="radio"\n'
                f'           name="{_value(option["name"])}"\n'
                f'           value="{_formatted(option["value"])}"{_attrs(option_attrs)}>\n'
                '    <label class="btn btn-outline-primary" '
                f'for="{_value(option_attrs.get("id", ""))}">{_value(option["label"])}</label>\n'
                "    "
            )
    parts.append("\n  </div>\n  ")
    if widget.get("low") or widget.get("high"):
        parts.append(
            '\n    <div class="scale-ends small text-body-secondary">'
            f"<span>{_value(widget.get('low', ''))}</span>"
            f"<span>{_value(widget.get('high', ''))}</span></div>\n  "
        )
    parts.append("\n</div>")
    return "".join(parts)


def _choices(widget: Mapping[str, Any]) -> str:
    """``django/forms/widgets/multiple_input.html`` as this project draws it (radio buttons
    and checkbox lists in Bootstrap's form-check markup)."""
    widget_id = widget["attrs"].get("id")
    groups = _options(widget)
    long = " choice-list-long" if len(groups) > 6 else ""
    parts = [
        f"<div{f' id={chr(34)}{_value(widget_id)}{chr(34)}' if widget_id else ''}\n"
        f'     class="choice-list{long}">'
    ]
    for group, options in groups:
        if group:
            parts.append(
                f'\n  <div class="choice-group"><div class="fw-semibold small mt-2">'
                f"{_value(group)}</div>"
            )
        for option in options:
            value = option["value"]
            shown = "" if value is None else f' value="{_formatted(value)}"'
            option_id = option["attrs"].get("id")
            label_for = f' for="{_value(option_id)}"' if option_id else ""
            parts.append(
                '\n  <div class="form-check">\n'
                f'    <input type="{_value(option["type"])}" name="{_value(option["name"])}"'
                f"{shown}\n"
                f"           {_attrs(option['attrs'])}><label\n"
                f'           class="form-check-label"{label_for}>'
                f"{_value(option['label'])}</label>\n"
                "  </div>"
            )
        if group:
            parts.append("\n  </div>")
    if not groups:
        nothing = _value(gettext("Nothing to choose from yet."))
        parts.append(f'<p class="text-body-secondary small mb-0">{nothing}</p>')
    parts.append("\n</div>")
    return "".join(parts)


_WRITERS: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    **dict.fromkeys(INPUTS, _input),
    f"{WIDGETS}textarea.html": _textarea,
    f"{WIDGETS}select.html": _select,
    f"{WIDGETS}radio.html": _choices,
    f"{WIDGETS}checkbox_select.html": _choices,
    "core/forms/scale.html": _scale,
}


def _field(field: Any) -> str:
    """``core/forms/field.html``: a field with its label, help text and errors."""
    from startklar.core.templatetags.startklar import widget_class

    auto_id = _value(field.auto_id)
    help_text = field.help_text
    errors = field.errors
    label = _value(field.label)
    shown_errors = "".join(
        f'<div class="invalid-feedback d-block" id="{auto_id}_error">{_value(e)}</div>'
        for e in errors
    )
    if field.use_fieldset:
        described = ""
        if help_text or errors:
            ids = (f"{auto_id}_helptext" if help_text else "") + (
                f" {auto_id}_error" if errors else ""
            )
            described = f'\n  aria-describedby="{ids}"'
        shown_help = (
            f'<div class="form-text mt-0 mb-2" id="{auto_id}_helptext">{_value(help_text)}</div>'
            if help_text
            else ""
        )
        return (
            f'<fieldset class="mb-3"{described}>\n'
            f'  <legend class="form-label fs-6 mb-1">{label}</legend>\n'
            f"  {shown_help}\n"
            f"  {widget_class(field)}\n"
            f"  {shown_errors}\n"
            "</fieldset>"
        )
    shown_help = (
        f'<div class="form-text" id="{auto_id}_helptext">{_value(help_text)}</div>'
        if help_text
        else ""
    )
    label_for = _value(field.id_for_label)
    if getattr(field.field.widget, "input_type", None) == "checkbox":
        return (
            '<div class="mb-3 form-check">\n'
            f'  {widget_class(field)}<label class="form-check-label" for="{label_for}">'
            f"{label}</label>\n"
            f"  {shown_help}\n"
            f"  {shown_errors}\n"
            "</div>"
        )
    return (
        '<div class="mb-3">\n'
        f'  <label class="form-label" for="{label_for}">{label}</label>\n'
        f"  {widget_class(field)}\n"
        f"  {shown_help}\n"
        f"  {shown_errors}\n"
        "</div>"
    )


FIELD = "core/forms/field.html"


def render(template_name: str, context: Mapping[str, Any]) -> SafeString | None:
    """The markup as the template would render it (stripped, as Django's renderer does), or
    ``None`` when the template is not one of the plain ones."""
    if template_name == FIELD:
        field = context.get("field")
        return None if field is None else mark_safe(_field(field).strip())  # noqa: S308
    writer = _WRITERS.get(template_name)
    widget = context.get("widget") if writer is not None else None
    if writer is None or not isinstance(widget, Mapping):
        return None
    html = writer(widget)
    return None if html is None else mark_safe(html.strip())  # noqa: S308 - escaped above
