"""``{% url %}`` answers as Django's does, and remembers its answers."""

from __future__ import annotations

import pytest
from django.template import engines
from django.urls import NoReverseMatch, reverse, set_script_prefix
from hypothesis import given
from hypothesis import strategies as st

from startklar.core import links
from startklar.core.templatetags.startklar import RememberedURLNode


def render(source: str, **context: object) -> str:
    return engines["django"].from_string(source).render(context)


def test_every_template_uses_the_remembering_tag() -> None:
    template = engines["django"].from_string('{% url "organisations:list" %}')
    assert isinstance(template.template.nodelist[0], RememberedURLNode)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("organisations:list", ()),
        ("organisations:overview", ("muster",)),
        ("usecases:detail", ("muster", 7)),
        ("businesscase:editor", ("a-b", 12345)),
    ],
)
def test_the_tag_gives_djangos_answer(name: str, args: tuple[object, ...]) -> None:
    expected = reverse(name, args=args)
    source = "{% url name " + " ".join(f"a{i}" for i in range(len(args))) + " %}"
    values = {f"a{i}": a for i, a in enumerate(args)}
    assert render(source, name=name, **values) == expected
    assert render(source, name=name, **values) == expected  # remembered: the same again
    assert links.reverse(name, args=args) == expected


def test_answers_are_remembered_per_argument_and_prefix() -> None:
    links._remembered.cache_clear()
    first = links.reverse("usecases:detail", args=["x", 1])
    assert links.reverse("usecases:detail", args=["x", 1]) == first
    assert links._remembered.cache_info().hits == 1
    assert links.reverse("usecases:detail", args=["x", 2]) == "/o/x/usecases/2/"
    set_script_prefix("/startklar/")
    try:
        assert links.reverse("usecases:detail", args=["x", 1]) == "/startklar/o/x/usecases/1/"
    finally:
        set_script_prefix("/")
    assert links.reverse("usecases:detail", args=["x", 1]) == first


def test_other_arguments_are_reversed_afresh_and_errors_are_not_remembered() -> None:
    class Slug:
        def __str__(self) -> str:
            return "y"

    assert links.reverse("organisations:overview", args=[Slug()]) == "/o/y/"
    with pytest.raises(NoReverseMatch):
        links.reverse("usecases:detail", args=["x", "not-a-number"])
    assert render('{% url "no:such" as target %}[{{ target }}]') == "[]"
    with pytest.raises(NoReverseMatch):
        render('{% url "no:such" %}')


def test_a_link_for_each_row_is_the_link_reverse_gives() -> None:
    detail = links.for_each("usecases:detail", "muster")
    for pk in (1, 42, 987654321):
        assert detail(pk) == reverse("usecases:detail", args=["muster", pk])
    editor = links.for_each("businesscase:editor", "a-b")
    assert editor(7) == reverse("businesscase:editor", args=["a-b", 7])


def test_static_files_are_named_as_djangos_tag_names_them() -> None:
    from django.templatetags.static import static

    from startklar.core.templatetags.startklar import RememberedStaticNode

    template = engines["django"].from_string("{% static 'startklar/app.css' %}")
    assert isinstance(template.template.nodelist[0], RememberedStaticNode)  # type: ignore[attr-defined]
    for path in ("startklar/app.css", "vendor/htmx/htmx.min.js", "a b/ü.txt"):
        expected = static(path)
        assert render("{% static path %}", path=path) == expected
        assert render("{% static path as x %}[{{ x }}]", path=path) == f"[{expected}]"


@given(
    value=st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
        lambda children: st.lists(children) | st.dictionaries(st.text(), children),
        max_leaves=20,
    ),
    element_id=st.none() | st.text(max_size=10),
)
def test_json_script_writes_what_djangos_writes(value: object, element_id: str | None) -> None:
    from django.utils.html import json_script as django_json_script

    from startklar.core.templatetags.startklar import json_script

    assert json_script(value, element_id) == django_json_script(value, element_id)
    assert render("{{ v|json_script:'x' }}", v=value) == django_json_script(value, "x")


def test_equal_parts_give_equal_keys_whichever_objects_they_share() -> None:
    from startklar.core.kept import content_key

    shared = ("Titel", 1.5)
    assert content_key([shared, shared]) == content_key([("Titel", 1.5), ("Titel", 1.5)])
    assert content_key("a", 1) != content_key("a", 2)
    assert content_key("a", 1) != content_key(("a", 1))
