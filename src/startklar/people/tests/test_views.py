"""The staff pulse's pages as an owner and a member of staff use them: a pulse prepared with own
questions and groups, opened, answered through its link without an account, codes printed
once and used once, results only where anonymity holds, comments checked before they show.
Bad input gets a clear page and stores nothing."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from startklar.organisations.models import Membership, Role
from startklar.organisations.tenancy import Tenant
from startklar.people import services
from startklar.people.models import (
    AnswerCode,
    CommentReview,
    Pulse,
    PulseAnswer,
    PulseLink,
    PulseStatus,
)
from startklar.testing import client_for, make_organisation, make_user

pytestmark = pytest.mark.django_db
INVALID = 422


@pytest.fixture
def world() -> tuple[Tenant, Client]:
    organisation = make_organisation("Puls GmbH")
    user = make_user()
    owner = Membership.objects.create(organisation=organisation, user=user, role=Role.OWNER)
    return Tenant(organisation=organisation, membership=owner), client_for(user)


def url(tenant: Tenant, name: str, *args: object) -> str:
    return reverse(f"people:{name}", args=[tenant.organisation.slug, *args])


def answer_url(pulse: Pulse, group: str | None = None) -> str:
    link = PulseLink.objects.get(pulse=pulse, group__name=group) if group else None
    link = link or PulseLink.objects.get(pulse=pulse, group=None)
    return reverse("people_answer:answer", args=[link.token])


def opened(tenant: Tenant, **kwargs: Any) -> Pulse:
    pulse = services.create_pulse(tenant, "KI-Puls Dezember", ["Produktion", "Büro"], **kwargs)
    return services.open_pulse(tenant, pulse, timezone.localdate())


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_a_pulse_is_prepared_with_own_questions_and_groups_then_opened(
    world: tuple[Tenant, Client],
) -> None:
    tenant, client = world
    response = client.get(url(tenant, "pulse_new"))
    assert response.status_code == 200
    response = client.post(
        url(tenant, "pulse_new"),
        {
            "title": "KI-Puls Winter",
            "questions": ["plaene", "kontrolle"],
            "own_questions": "Die Schichtplanung mit KI finde ich gut.\n\n",
            "own_scale": "agreement",
            "groups": "Produktion\nVertrieb\n",
            "k": "6",
            "ask_comment": "on",
        },
    )
    pulse = Pulse.objects.get(organisation=tenant.organisation)
    assert response.status_code == 302
    assert response["Location"] == url(tenant, "pulse", pulse.pk)
    assert pulse.questions == ["plaene", "kontrolle", "eigene_1"]
    assert pulse.own_questions[0]["text"] == "Die Schichtplanung mit KI finde ich gut."
    assert pulse.k == 6
    assert not pulse.codes_required
    page = client.get(url(tenant, "pulse", pulse.pk))
    assert "Die Schichtplanung mit KI finde ich gut." in text(page)
    assert client.post(url(tenant, "pulse_open", pulse.pk)).status_code == 302
    pulse.refresh_from_db()
    assert pulse.status == PulseStatus.OPEN
    page = client.get(url(tenant, "pulse", pulse.pk))
    assert page.content.decode().count("data:image/svg+xml") == 3  # everybody and two groups
    assert "http://testserver" + answer_url(pulse, "Vertrieb") in page.content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "", "k": "5"}, "title"),
        ({"title": "Puls", "k": "4"}, "k"),
        ({"title": "Puls", "k": "5", "groups": "A\na"}, "groups"),
        ({"title": "Puls", "k": "5", "questions": ["gibt_es_nicht"]}, "questions"),
        ({"title": "Puls", "k": "5", "own_questions": "x" * 201}, "own_questions"),
    ],
)
def test_a_pulse_that_cannot_be_prepared_names_the_field_and_stores_nothing(
    world: tuple[Tenant, Client], data: dict[str, Any], field: str
) -> None:
    tenant, client = world
    base = {"own_scale": "agreement", "questions": ["plaene"]}
    response = client.post(url(tenant, "pulse_new"), {**base, **data})
    assert response.status_code == INVALID
    assert field in response.context["form"].errors
    assert not Pulse.objects.exists()


def test_a_member_of_staff_answers_without_an_account(world: tuple[Tenant, Client]) -> None:
    tenant, _client = world
    pulse = opened(tenant)
    anonymous = Client()
    page = anonymous.get(answer_url(pulse, "Büro"))
    assert page.status_code == 200
    assert "Ich befürchte, dass mit KI meine Arbeit überwacht" in text(page)
    assert "Puls GmbH" in text(page)
    assert "Büro" in text(page)
    response = anonymous.post(
        answer_url(pulse, "Büro"), {"plaene": "4", "kontrolle": "2", "comment": " Gut so. "}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/thanks/")
    stored = PulseAnswer.objects.get()
    assert stored.group is not None
    assert stored.group.name == "Büro"
    assert stored.points["plaene"] == 4
    assert stored.points["nutzen"] is None
    assert stored.comment == "Gut so."
    assert stored.answered_on == timezone.localdate()
    thanks = anonymous.get(response["Location"])
    assert "your answers are saved" in text(thanks).lower() or "gespeichert" in text(thanks)
    assert "Cache-Control" in page
    assert "no-cache" in page["Cache-Control"]


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"plaene": "6"}, INVALID),
        ({"plaene": "drei"}, INVALID),
        ({"unbekannt": "3"}, INVALID),
        ({"plaene": "3", "comment": "x" * 5000}, INVALID),
    ],
)
def test_an_answer_outside_the_scale_or_too_long_comes_back_and_stores_nothing(
    world: tuple[Tenant, Client], data: dict[str, str], status: int
) -> None:
    tenant, _client = world
    pulse = opened(tenant)
    response = Client().post(answer_url(pulse), data)
    assert response.status_code == status
    assert response.context["error"]
    assert not PulseAnswer.objects.exists()


def test_a_forged_link_and_a_closed_pulse_get_a_clear_page(world: tuple[Tenant, Client]) -> None:
    tenant, _client = world
    pulse = opened(tenant)
    anonymous = Client()
    assert anonymous.get("/pulse/gibt-es-nicht/").status_code == 404
    assert anonymous.post("/pulse/gibt-es-nicht/", {"plaene": "3"}).status_code == 404
    services.close_pulse(tenant, pulse, timezone.localdate())
    response = anonymous.post(answer_url(pulse), {"plaene": "3"})
    assert response.status_code == 410
    assert "Nothing was saved" in text(response) or "Nichts wurde gespeichert" in text(response)
    assert not PulseAnswer.objects.exists()


def test_codes_are_printed_once_and_each_counts_once(world: tuple[Tenant, Client]) -> None:
    tenant, client = world
    pulse = opened(tenant, codes_required=True)
    response = client.post(url(tenant, "codes", pulse.pk), {"count": "3", "group": ""})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    printed = re.findall(r"[A-Z0-9]{3}-[A-Z0-9]{3}-[A-Z0-9]{3}", text(response))
    assert len(set(printed)) == 3
    assert AnswerCode.objects.filter(pulse=pulse).count() == 3
    assert not any(code in str(AnswerCode.objects.values_list()) for code in printed)
    anonymous = Client()
    missing = anonymous.post(answer_url(pulse), {"plaene": "3"})
    assert missing.status_code == INVALID
    assert missing.context["error_field"] == "code"
    first = anonymous.post(answer_url(pulse), {"plaene": "3", "code": printed[0].lower()})
    assert first.status_code == 302
    again = anonymous.post(answer_url(pulse), {"plaene": "5", "code": printed[0]})
    assert again.status_code == INVALID
    assert "already been used" in text(again) or "bereits verwendet" in text(again)
    assert PulseAnswer.objects.count() == 1
    assert PulseAnswer.objects.get().points["plaene"] == 3


def test_codes_need_a_sensible_count(world: tuple[Tenant, Client]) -> None:
    tenant, client = world
    pulse = opened(tenant)
    response = client.post(url(tenant, "codes", pulse.pk), {"count": "0", "group": ""})
    assert response.status_code == INVALID
    assert "count" in response.context["form"].errors
    response = client.post(url(tenant, "codes", pulse.pk), {"count": "2", "group": "999999"})
    assert response.status_code == INVALID
    assert not AnswerCode.objects.exists()


def _answers(pulse: Pulse, group: str | None, count: int, comment: str = "") -> None:
    token = answer_url(pulse, group).split("/")[-2]
    for _n in range(count):
        services.submit_answer(
            token, {"kontrolle": "5", "plaene": "2"}, comment=comment, today=datetime.date.today()
        )


def test_results_show_groups_only_where_anonymity_holds(world: tuple[Tenant, Client]) -> None:
    tenant, client = world
    pulse = opened(tenant)
    _answers(pulse, "Produktion", 4)
    page = client.get(url(tenant, "results", pulse.pk))
    assert page.context["page"].results.shown is False
    assert "Too few answers" in text(page) or "Zu wenige Antworten" in text(page)
    _answers(pulse, "Produktion", 2)
    _answers(pulse, "Büro", 5)
    page = client.get(url(tenant, "results", pulse.pk))
    found = page.context["page"]
    assert found.results.respondents == 11
    assert {g.name: g.people for g in found.results.groups} == {"Produktion": 6, "Büro": 5}
    assert found.groups_spec is not None
    PulseAnswer.objects.filter(group__name="Büro").first().delete()  # type: ignore[union-attr]
    found = client.get(url(tenant, "results", pulse.pk)).context["page"]
    # Büro has 4 now: withheld, and Produktion too (total minus Produktion would show Büro).
    assert {g.name: g.people for g in found.results.groups} == {"Produktion": None, "Büro": None}
    assert found.groups_spec is None


def test_comments_are_checked_before_they_show_and_without_their_group(
    world: tuple[Tenant, Client],
) -> None:
    tenant, client = world
    pulse = opened(tenant)
    _answers(pulse, "Produktion", 2, "Herr Meier kontrolliert uns schon jetzt.")
    _answers(pulse, "Produktion", 2, "Mehr Schulung bitte.")
    waiting = client.get(url(tenant, "comments", pulse.pk))
    assert waiting.context["page"].shown is False  # fewer than k answers: nothing to read
    _answers(pulse, "Büro", 1)
    page = client.get(url(tenant, "comments", pulse.pk)).context["page"]
    assert len(page.unchecked) == 4
    assert "Produktion" not in str(page.unchecked)
    results = client.get(url(tenant, "results", pulse.pk))
    assert "Mehr Schulung bitte." not in text(results)
    for row in page.unchecked:
        review = "hidden" if "Meier" in row.text else "shown"
        response = client.post(
            url(tenant, "comment_review", pulse.pk),
            {"answer": str(row.answer_id), "review": review},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200
    shown = text(client.get(url(tenant, "results", pulse.pk)))
    assert "Mehr Schulung bitte." in shown
    assert "Meier" not in shown
    assert PulseAnswer.objects.filter(comment_review=CommentReview.HIDDEN).count() == 2
    bad = client.post(url(tenant, "comment_review", pulse.pk), {"answer": "1", "review": "x"})
    assert bad.status_code == 302
    foreign = client.post(
        url(tenant, "comment_review", pulse.pk), {"answer": "999999", "review": "shown"}
    )
    assert foreign.status_code == 404


def test_viewers_see_results_but_cannot_change_or_print_codes(
    world: tuple[Tenant, Client],
) -> None:
    tenant, _client = world
    pulse = opened(tenant)
    viewer = make_user()
    Membership.objects.create(organisation=tenant.organisation, user=viewer, role=Role.VIEWER)
    client = client_for(viewer)
    assert client.get(url(tenant, "results", pulse.pk)).status_code == 200
    assert client.get(url(tenant, "pulse_new")).status_code == 403
    assert client.post(url(tenant, "pulse_close", pulse.pk)).status_code == 403
    assert client.post(url(tenant, "codes", pulse.pk), {"count": "3"}).status_code == 403
    assert client.get(url(tenant, "comments", pulse.pk)).status_code == 403
    assert not AnswerCode.objects.exists()


def test_a_pulse_is_deleted_with_its_answers_after_a_confirmation(
    world: tuple[Tenant, Client],
) -> None:
    tenant, client = world
    pulse = opened(tenant)
    _answers(pulse, "Büro", 2)
    confirm = client.get(url(tenant, "pulse_delete", pulse.pk))
    assert confirm.status_code == 200
    assert client.post(url(tenant, "pulse_delete", pulse.pk)).status_code == 302
    assert not Pulse.objects.exists()
    assert not PulseAnswer.objects.exists()


def test_a_poster_shows_the_link_of_a_group_and_refuses_a_foreign_group(
    world: tuple[Tenant, Client],
) -> None:
    tenant, client = world
    pulse = opened(tenant)
    group = pulse.groups.get(name="Büro")
    page = client.get(url(tenant, "poster", pulse.pk) + f"?group={group.pk}")
    assert page.status_code == 200
    assert answer_url(pulse, "Büro") in page.content.decode()
    assert client.get(url(tenant, "poster", pulse.pk) + "?group=999999").status_code == 404
    assert client.get(url(tenant, "poster", pulse.pk) + "?group=abc").status_code == 404


QUESTION_KEYS = st.sampled_from(["plaene", "kontrolle", "nutzung", "comment", "code", "x"])


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    form=st.dictionaries(
        st.one_of(QUESTION_KEYS, st.text(max_size=12)),
        st.one_of(st.sampled_from(["", "1", "5", "0", "6", " 3 "]), st.text(max_size=40)),
        max_size=6,
    )
)
def test_whatever_is_sent_to_the_answer_page_gets_a_page_and_half_of_nothing_is_stored(
    world: tuple[Tenant, Client], form: dict[str, str]
) -> None:
    tenant, _client = world
    pulse = Pulse.objects.filter(organisation=tenant.organisation).first() or opened(tenant)
    before = PulseAnswer.objects.count()
    response = Client().post(answer_url(pulse), form)
    assert response.status_code in (302, INVALID)
    stored = PulseAnswer.objects.count() - before
    assert stored == (1 if response.status_code == 302 else 0)
