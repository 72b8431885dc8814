"""A new round: its creator answers too (unless they opt out), and every respondent gets a
sensible perspective suggested; an empty organisation is told what to do first."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from startklar.accounts.models import User
from startklar.organisations.models import Membership, Organisation, Role
from startklar.readiness.models import Respondent, Round
from startklar.testing import add_member, client_for, make_organisation, make_user

pytestmark = pytest.mark.django_db


def base(organisation: Organisation) -> str:
    return f"/o/{organisation.slug}/readiness"


def membership(user: User, organisation: Organisation) -> Membership:
    return Membership.objects.get(user=user, organisation=organisation)


def selected(page: str, name: str) -> list[str]:
    """The values of the selected options of the select ``name``."""
    match = re.search(rf'<select name="{name}".*?</select>', page, re.S)
    assert match, f"no select {name!r}"
    return re.findall(r'<option value="([^"]*)"[^>]*\bselected\b', match.group(0))


def checkbox_checked(page: str, name: str) -> bool:
    match = re.search(rf'<input type="checkbox" name="{name}"[^>]*>', page)
    assert match, f"no checkbox {name!r}"
    return " checked" in match.group(0)


def open_round(client: Client, organisation: Organisation, **data: str) -> Round:
    response = client.post(f"{base(organisation)}/new/", {"title": "Runde", **data})
    assert response.status_code == 302, response.content.decode()[:800]
    return Round.objects.latest("pk")


def test_the_new_round_form_ticks_answer_myself_and_suggests_management_to_the_owner(
    organisation: Organisation, owner_client: Client
) -> None:
    page = owner_client.get(f"{base(organisation)}/").content.decode()
    assert checkbox_checked(page, "answer_myself")
    assert selected(page, "perspective") == ["geschaeftsfuehrung"]
    assert "Ich beantworte die Fragen selbst" in page or "answer the questions myself" in page


def test_the_creator_who_ticks_the_box_answers_the_round_from_the_chosen_perspective(
    organisation: Organisation, owner: User, owner_client: Client
) -> None:
    round_ = open_round(
        owner_client, organisation, answer_myself="on", perspective="geschaeftsfuehrung"
    )
    [respondent] = round_.respondents.all()
    assert respondent.user == owner
    assert respondent.perspective == "geschaeftsfuehrung"
    page = owner_client.get(f"{base(organisation)}/{round_.pk}/").content.decode()
    assert 'id="my-heading"' in page  # "Your answers" with the button to start


def test_a_consultant_can_opt_out_of_answering(organisation: Organisation, editor: User) -> None:
    round_ = open_round(client_for(editor), organisation, perspective="fachbereich")
    assert not round_.respondents.exists()


@pytest.mark.parametrize(
    ("data", "status", "field"),
    [
        ({"title": "", "answer_myself": "on", "perspective": "it"}, 422, "title"),
        ({"title": "x" * 121, "answer_myself": "on", "perspective": "it"}, 422, "title"),
        ({"title": "Runde", "answer_myself": "on", "perspective": ""}, 422, "perspective"),
        ({"title": "Runde", "answer_myself": "on"}, 422, "perspective"),
        ({"title": "Runde", "answer_myself": "on", "perspective": "ceo"}, 422, "perspective"),
        ({"title": "Runde", "perspective": "ceo"}, 422, "perspective"),
    ],
)
def test_bad_input_for_a_new_round_saves_nothing(
    organisation: Organisation, owner: User, data: dict[str, str], status: int, field: str
) -> None:
    client = client_for(owner, "en")
    response = client.post(f"{base(organisation)}/new/", data)
    assert response.status_code == status
    assert not Round.objects.exists()
    assert not Respondent.objects.exists()
    assert field in response.context["form"].errors
    if field == "perspective" and not data.get("perspective"):
        assert "Please choose the perspective you will answer from." in response.content.decode()
    elif field == "perspective":
        assert "Select a valid choice" in response.content.decode()


def test_a_viewer_cannot_open_a_round(organisation: Organisation, viewer_client: Client) -> None:
    response = viewer_client.post(
        f"{base(organisation)}/new/", {"title": "Runde", "answer_myself": "on", "perspective": "it"}
    )
    assert response.status_code == 403
    assert not Round.objects.exists()


def test_the_respondent_form_suggests_the_next_member_and_a_perspective_by_role(
    organisation: Organisation, owner: User, owner_client: Client, viewer: User
) -> None:
    round_ = open_round(
        owner_client, organisation, answer_myself="on", perspective="geschaeftsfuehrung"
    )
    page = owner_client.get(f"{base(organisation)}/{round_.pk}/").content.decode()
    # The owner answers already; the next member by name is Vera Viewer, an employee.
    assert selected(page, "member") == [str(membership(viewer, organisation).pk)]
    assert selected(page, "perspective") == ["mitarbeitende"]


def test_choosing_a_member_fetches_the_perspective_they_answered_from_last_time(
    organisation: Organisation, owner_client: Client, editor: User, viewer: User
) -> None:
    earlier = open_round(owner_client, organisation)
    response = owner_client.post(
        f"{base(organisation)}/{earlier.pk}/respondents/",
        {"member": membership(editor, organisation).pk, "perspective": "it"},
    )
    assert response.status_code == 302
    round_ = open_round(owner_client, organisation)
    url = f"{base(organisation)}/{round_.pk}/"
    for user, expected in [(editor, "it"), (viewer, "mitarbeitende")]:
        response = owner_client.get(
            url, {"member": membership(user, organisation).pk}, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 200
        part = response.content.decode()
        assert part.lstrip().startswith('<div class="col-md-4" id="perspective-field">')
        assert selected(part, "perspective") == [expected]
    # The member select asks for the suggestion as soon as a member is chosen.
    page = owner_client.get(url).content.decode()
    assert re.search(rf'<select name="member"[^>]*hx-get="{url}"', page)


@pytest.mark.parametrize("member", ["abc", "", "999999", "OTHER"])
def test_a_suggestion_for_an_unknown_member_is_a_bad_request(
    organisation: Organisation, owner_client: Client, member: str
) -> None:
    round_ = open_round(owner_client, organisation)
    if member == "OTHER":
        other = make_organisation()
        member = str(membership(add_member(other, make_user()), other).pk)
    response = owner_client.get(
        f"{base(organisation)}/{round_.pk}/", {"member": member}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422


def test_when_everyone_is_asked_the_page_says_so_instead_of_offering_the_form(
    organisation: Organisation, owner: User
) -> None:
    client = client_for(owner, "en")
    round_ = open_round(client, organisation, answer_myself="on", perspective="it")
    page = client.get(f"{base(organisation)}/{round_.pk}/").content.decode()
    assert 'id="everyone-asked"' in page
    assert 'id="respondent-form"' not in page


def test_a_round_nobody_is_asked_for_says_what_to_do(
    organisation: Organisation, owner_client: Client
) -> None:
    round_ = open_round(owner_client, organisation)
    page = owner_client.get(f"{base(organisation)}/{round_.pk}/").content.decode()
    assert 'id="nobody-asked"' in page


@pytest.mark.parametrize("role", [Role.OWNER, Role.EDITOR, Role.VIEWER])
def test_an_empty_organisation_is_told_what_to_do_first(
    organisation: Organisation, role: Role
) -> None:
    user = add_member(organisation, make_user(), role)
    page = client_for(user, "en").get(f"{base(organisation)}/").content.decode()
    assert 'id="no-rounds"' in page
    if role == Role.VIEWER:
        assert "opens a round and asks you to answer" in page
        assert 'id="round-form"' not in page
    else:
        assert "Open a first round above" in page
        assert 'id="round-form"' in page
