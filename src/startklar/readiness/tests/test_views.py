"""Rounds, respondents, answering and results through the pages."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from startklar.accounts.models import User
from startklar.organisations.models import Membership, Organisation, Role
from startklar.readiness.content import load_bank
from startklar.readiness.models import Answer, Respondent, Round
from startklar.testing import add_member, client_for

pytestmark = pytest.mark.django_db

BANK = None


def bank_questions() -> list[str]:
    return list(load_bank().questions)


def base(organisation: Organisation) -> str:
    return f"/o/{organisation.slug}/readiness"


@pytest.fixture
def round_(organisation: Organisation, owner: User, owner_client: Client) -> Round:
    response = owner_client.post(f"{base(organisation)}/new/", {"title": "Herbst 2026"})
    round_ = Round.objects.get()
    assert response["Location"] == f"{base(organisation)}/{round_.pk}/"
    return round_


def ask(
    client: Client, organisation: Organisation, round_: Round, user: User, perspective: str
) -> None:
    membership = Membership.objects.get(user=user, organisation=organisation)
    response = client.post(
        f"{base(organisation)}/{round_.pk}/respondents/",
        {"member": membership.pk, "perspective": perspective},
    )
    assert response.status_code == 302, response.content.decode()[:500]


def answer_all(client: Client, organisation: Organisation, round_: Round, level: str) -> None:
    url = f"{base(organisation)}/{round_.pk}/answer/"
    for question in bank_questions():
        assert client.post(url, {"question": question, "level": level}).status_code == 302
    assert client.post(f"{base(organisation)}/{round_.pk}/submit/").status_code == 302


def test_a_fresh_organisation_shows_no_maturity(
    organisation: Organisation, owner_client: Client
) -> None:
    page = owner_client.get(f"{base(organisation)}/").content.decode()
    assert "Noch keine Runde" in page


def test_answers_are_saved_one_by_one_and_htmx_gets_the_question_back(
    organisation: Organisation, owner: User, owner_client: Client, round_: Round
) -> None:
    ask(owner_client, organisation, round_, owner, "geschaeftsfuehrung")
    question = bank_questions()[0]
    url = f"{base(organisation)}/{round_.pk}/answer/"
    response = owner_client.post(url, {"question": question, "level": "4"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith("<form")
    assert 'hx-swap-oob="true"' in page
    owner_client.post(url, {"question": question, "level": "unknown"}, HTTP_HX_REQUEST="true")
    assert Answer.objects.get().level is None


@pytest.mark.parametrize(
    "data",
    [
        {"question": "strategie.gibt-es-nicht", "level": "3"},
        {"level": "3"},
        {"question": "QUESTION", "level": "7"},
        {"question": "QUESTION", "level": "0"},
        {"question": "QUESTION", "level": "drei"},
    ],
)
def test_a_hand_made_bad_answer_is_400_and_saves_nothing(
    organisation: Organisation,
    owner: User,
    owner_client: Client,
    round_: Round,
    data: dict[str, str],
) -> None:
    ask(owner_client, organisation, round_, owner, "geschaeftsfuehrung")
    data = {k: (bank_questions()[0] if v == "QUESTION" else v) for k, v in data.items()}
    response = owner_client.post(f"{base(organisation)}/{round_.pk}/answer/", data)
    assert response.status_code == 422
    assert not Answer.objects.exists()


def test_answering_a_closed_round_gets_a_clear_message(
    organisation: Organisation, owner: User, owner_client: Client, round_: Round
) -> None:
    ask(owner_client, organisation, round_, owner, "geschaeftsfuehrung")
    owner_client.post(f"{base(organisation)}/{round_.pk}/close/")
    response = owner_client.post(
        f"{base(organisation)}/{round_.pk}/answer/",
        {"question": bank_questions()[0], "level": "3"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409
    assert "Diese Runde ist abgeschlossen" in response.content.decode()
    assert not Answer.objects.exists()


def test_someone_not_asked_cannot_answer(
    organisation: Organisation, owner_client: Client, viewer: User, round_: Round
) -> None:
    response = client_for(viewer).post(
        f"{base(organisation)}/{round_.pk}/answer/", {"question": bank_questions()[0], "level": "3"}
    )
    assert response.status_code == 409
    assert not Answer.objects.exists()


def test_results_show_only_after_submitting_then_with_the_perception_gap(
    organisation: Organisation, owner: User, owner_client: Client, round_: Round
) -> None:
    staff = add_member(organisation, role=Role.VIEWER)
    staff_client = client_for(staff)
    ask(owner_client, organisation, round_, owner, "geschaeftsfuehrung")
    ask(owner_client, organisation, round_, staff, "mitarbeitende")
    answer_all(owner_client, organisation, round_, "5")
    results = f"{base(organisation)}/{round_.pk}/results/"
    assert "sobald Sie Ihre eigenen Antworten" in staff_client.get(results).content.decode()
    assert staff_client.get(f"{base(organisation)}/{round_.pk}/export.json").status_code == 403
    answer_all(staff_client, organisation, round_, "2")
    page = staff_client.get(results).content.decode()
    assert 'id="perception-gaps"' in page
    data = staff_client.get(f"{base(organisation)}/{round_.pk}/export.json").json()
    assert data["respondents"] == 2
    assert len(data["perception_gaps"]) == len(bank_questions())
    assert data["combined"]["overall"] == 62.5  # median of 5 and 2 is 3.5 → 62.5


def test_a_member_takes_part_only_once_and_submitted_answers_stay(
    organisation: Organisation, owner: User, owner_client: Client, round_: Round
) -> None:
    ask(owner_client, organisation, round_, owner, "it")
    membership = Membership.objects.get(user=owner)
    response = owner_client.post(
        f"{base(organisation)}/{round_.pk}/respondents/",
        {"member": membership.pk, "perspective": "it"},
    )
    assert response.status_code == 422
    assert "nimmt bereits" in response.content.decode()
    answer_all(owner_client, organisation, round_, "3")
    respondent = Respondent.objects.get()
    owner_client.post(f"{base(organisation)}/{round_.pk}/respondents/{respondent.pk}/remove/")
    assert Respondent.objects.filter(pk=respondent.pk).exists()


def test_an_unknown_perspective_is_a_tampered_request(
    organisation: Organisation, owner: User, owner_client: Client, round_: Round
) -> None:
    membership = Membership.objects.get(user=owner)
    response = owner_client.post(
        f"{base(organisation)}/{round_.pk}/respondents/",
        {"member": membership.pk, "perspective": "ceo"},
    )
    assert response.status_code == 422
    assert not Respondent.objects.exists()


def test_a_round_keeps_its_bank_version(
    organisation: Organisation, owner: User, owner_client: Client, round_: Round
) -> None:
    assert round_.bank_version == "2026.2"  # new rounds use the current bank
    Round.objects.filter(pk=round_.pk).update(bank_version="2026.1")  # one from before 2026.2
    ask(owner_client, organisation, round_, owner, "it")
    url = f"{base(organisation)}/{round_.pk}/answer/"
    for question in load_bank("2026.1").questions:
        assert owner_client.post(url, {"question": question, "level": "4"}).status_code == 302
    new_question = {"question": "akzeptanz.betriebsrat", "level": "4"}
    assert owner_client.post(url, new_question).status_code == 422  # not in its bank
    owner_client.post(f"{base(organisation)}/{round_.pk}/submit/")
    page = owner_client.get(f"{base(organisation)}/{round_.pk}/results/").content.decode()
    assert 'id="overall"' in page
    round_.refresh_from_db()
    assert round_.bank_version == "2026.1"


def test_a_member_asked_to_answer_gets_an_email_with_the_link(
    organisation: Organisation,
    owner_client: Client,
    editor: User,
    round_: Round,
    django_capture_on_commit_callbacks: object,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        ask(owner_client, organisation, round_, editor, "fachbereich")
    [email] = mail.outbox
    assert email.to == [editor.email]
    assert "Herbst 2026" in email.subject
    assert f"http://testserver/o/{organisation.slug}/readiness/{round_.pk}/" in email.body


def test_the_overview_tells_a_respondent_that_a_round_awaits_them(
    organisation: Organisation, owner: User, owner_client: Client, round_: Round
) -> None:
    overview = f"/o/{organisation.slug}/"
    assert "wartet auf Ihre Antworten" not in owner_client.get(overview).content.decode()
    ask(owner_client, organisation, round_, owner, "geschaeftsfuehrung")
    html = owner_client.get(overview).content.decode()
    assert f"„{round_.title}“ wartet auf Ihre Antworten" in html
    assert f"/readiness/{round_.pk}/answer/" in html


@pytest.mark.parametrize(
    ("headcount", "small"),
    [(6, True), (19, True), (20, False), (85, False)],
)
def test_the_results_name_roles_that_fit_the_company_size(
    organisation: Organisation,
    owner: User,
    owner_client: Client,
    round_: Round,
    headcount: int,
    small: bool,
) -> None:
    """A six-person office has no department heads: its steps and actions say who it has."""
    Organisation.objects.filter(pk=organisation.pk).update(headcount=headcount)
    ask(owner_client, organisation, round_, owner, "geschaeftsfuehrung")
    answer_all(owner_client, organisation, round_, "1")
    owner_client.post(f"{base(organisation)}/{round_.pk}/close/")
    page = owner_client.get(f"{base(organisation)}/{round_.pk}/results/").content.decode()
    steps = page[page.index('id="first-steps"') :]
    steps = steps[: steps.index("</ol>")]
    data = owner_client.get(f"{base(organisation)}/{round_.pk}/export.json").json()
    assert all(step["who"] in steps for step in data["combined"]["first_steps"])
    if small:
        assert "Bereichsleitung" not in steps
        assert "Abteilung" not in steps
    whos = {a["who"] for h in data["combined"]["hurdles"] for a in h["actions"]}
    assert ("Bereichsleitungen" in whos) is not small
    assert ("Geschäftsführung mit dem Team" in whos) is small
