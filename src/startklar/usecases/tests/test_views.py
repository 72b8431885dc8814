"""Use cases through the pages: create, score, status, search, pain points, plan, workshop."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from startklar.accounts.models import User
from startklar.organisations.models import Organisation, Role
from startklar.testing import add_member, client_for, form_index, submitted_form, tenant_of
from startklar.usecases import services
from startklar.usecases.content import load_catalogue, load_criteria
from startklar.usecases.models import CriterionScore, Status, StatusChange, UseCase, Vote, Workshop

pytestmark = pytest.mark.django_db


def base(organisation: Organisation) -> str:
    return f"/o/{organisation.slug}/usecases"


def make(
    owner: User, organisation: Organisation, title: str = "Angebote", **extra: object
) -> UseCase:
    data: dict[str, object] = {"title": title, "problem": "Dauert zu lange.", **extra}
    return services.create_use_case(tenant_of(owner, organisation), data)


ALL_FOUR = {c.id: 4 for c in load_criteria()}


@pytest.mark.parametrize("language", ["de", "en"])
def test_creating_from_the_catalogue_keeps_its_starting_values(
    organisation: Organisation, owner: User, language: str
) -> None:
    """The form is posted back exactly as a browser would send it untouched."""
    client = client_for(owner, language)
    page = client.get(f"{base(organisation)}/new/?from=administration.eingangsrechnungen")
    assert page.status_code == 200
    data = submitted_form(page.content.decode(), form_index(page.content.decode()))
    response = client.post(f"{base(organisation)}/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    use_case = UseCase.objects.get()
    entry = load_catalogue().entry("administration.eingangsrechnungen")
    assert entry is not None
    expected = services.from_catalogue(entry, language)
    assert use_case.catalogue_id == "administration.eingangsrechnungen"
    assert use_case.estimated_cost == expected["estimated_cost"]
    assert use_case.person_days == expected["person_days"]
    assert StatusChange.objects.get().to_status == Status.IDEA


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize(
    ("cost", "days"),
    [(Decimal("4800.00"), Decimal("7.0")), (Decimal("1234567.89"), Decimal("0.5")), (None, None)],
)
def test_saving_an_untouched_edit_form_changes_nothing(
    organisation: Organisation,
    owner: User,
    language: str,
    cost: Decimal | None,
    days: Decimal | None,
) -> None:
    use_case = make(owner, organisation, estimated_cost=cost, person_days=days)
    client = client_for(owner, language)
    url = f"{base(organisation)}/{use_case.pk}/edit/"
    html = client.get(url).content.decode()
    response = client.post(url, submitted_form(html, form_index(html)))
    assert response.status_code == 302
    use_case.refresh_from_db()
    assert (use_case.estimated_cost, use_case.person_days) == (cost, days)


@pytest.mark.parametrize(
    ("language", "typed", "expected"),
    [
        ("de", "4.800,50", Decimal("4800.50")),
        ("de", "4800,5", Decimal("4800.5")),
        ("de", "4800.50", Decimal("4800.50")),
        ("de", "12.000", Decimal("12000")),
        ("en", "4,800.50", Decimal("4800.50")),
        ("en", "12,000", Decimal("12000")),
        ("en", "2,5", Decimal("2.5")),
    ],
)
def test_numbers_are_read_as_people_type_them(
    organisation: Organisation, owner: User, language: str, typed: str, expected: Decimal
) -> None:
    use_case = make(owner, organisation)
    url = f"{base(organisation)}/{use_case.pk}/edit/"
    data = {
        "title": "Angebote",
        "problem": "p",
        "classic_enough": "unklar",
        "estimated_cost": typed,
    }
    assert client_for(owner, language).post(url, data).status_code == 302
    use_case.refresh_from_db()
    assert use_case.estimated_cost == expected


def test_adopting_an_entry_twice_warns_and_never_makes_a_silent_twin(
    organisation: Organisation, owner: User, owner_client: Client
) -> None:
    entry = "administration.eingangsrechnungen"
    first = owner_client.get(f"{base(organisation)}/new/?from={entry}")
    data = submitted_form(first.content.decode(), form_index(first.content.decode()))
    assert owner_client.post(f"{base(organisation)}/new/", data).status_code == 302
    existing = UseCase.objects.get()

    entry_page = owner_client.get(f"{base(organisation)}/catalogue/entry/?id={entry}")
    assert "Schon einer Ihrer Use Cases" in entry_page.content.decode()
    again = owner_client.get(f"{base(organisation)}/new/?from={entry}")
    assert 'id="duplicate-warning"' in again.content.decode()
    assert existing.title in again.content.decode()

    twin = owner_client.post(f"{base(organisation)}/new/", data)  # the same form once more
    assert twin.status_code == 422
    assert "Es gibt bereits einen Use Case" in twin.content.decode()
    assert UseCase.objects.count() == 1

    data["title"] = [f"{existing.title} – Standort Nord"]
    assert owner_client.post(f"{base(organisation)}/new/", data).status_code == 302
    assert UseCase.objects.count() == 2


def test_a_use_case_cannot_be_renamed_to_another_ones_title(
    organisation: Organisation, owner: User, owner_client: Client
) -> None:
    make(owner, organisation, "Angebote")
    other = make(owner, organisation, "Wartung")
    url = f"{base(organisation)}/{other.pk}/edit/"
    data = {"title": "  angebote ", "problem": "p", "classic_enough": "unklar"}
    response = owner_client.post(url, data)
    assert response.status_code == 422
    other.refresh_from_db()
    assert other.title == "Wartung"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", ""),
        ("estimated_cost", "viel"),
        ("estimated_cost", "-5"),
        ("goal_date", "31.02.2026"),
    ],
)
def test_bad_use_case_input_is_shown_at_the_field(
    organisation: Organisation, owner_client: Client, field: str, value: str
) -> None:
    data = {"title": "X", "problem": "Y", "classic_enough": "unklar", field: value}
    response = owner_client.post(f"{base(organisation)}/new/", data)
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert not UseCase.objects.exists()


def test_scoring_every_criterion_assesses_an_idea_and_fills_the_matrix(
    organisation: Organisation, owner: User, owner_client: Client
) -> None:
    use_case = make(owner, organisation)
    response = owner_client.post(
        f"{base(organisation)}/{use_case.pk}/scores/", {k: str(v) for k, v in ALL_FOUR.items()}
    )
    assert response.status_code == 302
    use_case.refresh_from_db()
    assert use_case.status == Status.ASSESSED
    page = owner_client.get(f"{base(organisation)}/")
    assert 'data-chart="matrix-spec"' in page.content.decode()
    [row] = page.context["page"].rows
    assert (row.value, row.feasibility) == (75.0, 75.0)


@pytest.mark.parametrize("language", ["de", "en"])
def test_an_automatic_status_change_is_shown_in_the_readers_language(
    organisation: Organisation, owner: User, owner_client: Client, language: str
) -> None:
    use_case = make(owner, organisation)
    owner_client.post(
        f"{base(organisation)}/{use_case.pk}/scores/", {k: str(v) for k, v in ALL_FOUR.items()}
    )
    change = StatusChange.objects.get(use_case=use_case, to_status=Status.ASSESSED)
    assert (change.reason, change.cause) == ("", StatusChange.Cause.POTENTIAL_COMPLETE)
    owner_client.cookies["startklar_language"] = language
    page = owner_client.get(f"{base(organisation)}/{use_case.pk}/").content.decode()
    expected, other = ("Potenzialanalyse abgeschlossen", "Potential analysis complete")[
        :: 1 if language == "de" else -1
    ]
    assert expected in page
    assert other not in page


def test_weights_saved_as_the_defaults_store_nothing(
    organisation: Organisation, owner: User, owner_client: Client
) -> None:
    from startklar.usecases.models import CriterionWeight

    criteria = load_criteria()
    defaults = {c.id: str(c.weight).replace(".", ",") for c in criteria}
    url = f"{base(organisation)}/weights/"
    assert owner_client.post(url, defaults).status_code == 302
    assert not CriterionWeight.objects.exists()
    changed = {**defaults, criteria[0].id: "5"}
    assert owner_client.post(url, changed).status_code == 302
    assert list(CriterionWeight.objects.values_list("criterion_id", "weight")) == [
        (criteria[0].id, Decimal("5"))
    ]
    assert owner_client.post(url, defaults).status_code == 302
    assert not CriterionWeight.objects.exists()


def test_a_score_outside_the_scale_is_rejected(
    organisation: Organisation, owner: User, owner_client: Client
) -> None:
    use_case = make(owner, organisation)
    data = dict.fromkeys(ALL_FOUR, "4") | {"daten": "9"}
    response = owner_client.post(f"{base(organisation)}/{use_case.pk}/scores/", data)
    assert response.status_code == 422
    assert not CriterionScore.objects.filter(source=CriterionScore.Source.MANUAL).exists()


def test_discarding_needs_a_reason_and_every_change_is_recorded(
    organisation: Organisation, owner: User, owner_client: Client
) -> None:
    use_case = make(owner, organisation)
    url = f"{base(organisation)}/{use_case.pk}/status/"
    assert owner_client.post(url, {"status": "verworfen", "reason": " "}).status_code == 422
    use_case.refresh_from_db()
    assert use_case.status == Status.IDEA
    assert owner_client.post(url, {"status": "verworfen", "reason": "Zu teuer"}).status_code == 302
    change = StatusChange.objects.filter(use_case=use_case).first()
    assert change is not None
    assert (change.from_status, change.to_status, change.reason) == (
        "idee",
        "verworfen",
        "Zu teuer",
    )
    assert change.changed_by == owner
    assert owner_client.post(url, {"status": "admin"}).status_code == 422


def test_readiness_informs_the_default_scores(organisation: Organisation, owner: User) -> None:
    from startklar.readiness import services as readiness
    from startklar.readiness.content import load_bank

    tenant = tenant_of(owner, organisation)
    round_ = readiness.open_round(tenant, "R")
    readiness.add_respondent(tenant, round_, tenant.membership, "it")
    for question in load_bank().questions:
        readiness.save_answer(tenant, round_, question, 1 if question.startswith("daten.") else 4)
    readiness.submit(tenant, round_)
    use_case = make(owner, organisation)
    scores = dict(use_case.scores.values_list("criterion_id", "score"))
    assert scores["daten"] == 1  # weak data dimension (score 0) → low data availability
    assert scores["integration"] == 4  # infrastructure at 75


def test_catalogue_search_is_live_and_filtered(
    organisation: Organisation, owner_client: Client
) -> None:
    url = f"{base(organisation)}/catalogue/"
    entries = len(load_catalogue().entries)
    assert f"{entries} erprobte Use Cases" in owner_client.get(url).content.decode()
    page = owner_client.get(url, {"q": "Rechnungen erfassen"}, HTTP_HX_REQUEST="true")
    html = page.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert html.index("administration.eingangsrechnungen") < html.index("controlling.")
    filtered = owner_client.get(url, {"q": "", "function": "logistik"})
    assert all(h.entry.function == "logistik" for h in filtered.context["hits"])
    assert owner_client.get(url, {"technique": "telepathie"}).status_code == 422


def pain_data(*tasks: dict[str, str], total: int = 5) -> dict[str, str]:
    """The pain-point form as the browser sends it: five rows, untouched rows left as shown."""
    data = {"form-TOTAL_FORMS": str(total), "form-INITIAL_FORMS": "0"}
    for n in range(total):
        row = {
            "description": "",
            "hours_per_week": "",
            "frequency": "weekly",
            "error_prone": "3",
            "tedious": "3",
        }
        row.update(tasks[n] if n < len(tasks) else {})
        data.update({f"form-{n}-{k}": v for k, v in row.items()})
    return data


INVOICES = {
    "description": "Wir tippen jeden Tag Eingangsrechnungen ab",
    "hours_per_week": "12",
    "frequency": "daily",
    "error_prone": "4",
    "tedious": "5",
}


def test_the_pain_point_page_offers_five_tasks(
    organisation: Organisation, owner_client: Client
) -> None:
    page = owner_client.get(f"{base(organisation)}/pain-points/")
    html = page.content.decode()
    assert page.status_code == 200
    for n in range(5):
        assert f'name="form-{n}-description"' in html
    assert 'name="form-5-description"' not in html


def test_pain_points_give_ranked_matches_with_reasons(
    organisation: Organisation, owner_client: Client
) -> None:
    page = owner_client.get(f"{base(organisation)}/pain-points/", pain_data(INVOICES))
    assert page.status_code == 200
    [first, *_rest] = page.context["result"].matches
    assert first.entry.id == "administration.eingangsrechnungen"
    html = page.content.decode()
    # The results are on the page, with reasons in words (not only in the context).
    assert 'id="pain-matches"' in html
    assert first.title in html
    assert "12 Stunden pro Woche" in html


def test_empty_pain_point_rows_are_optional_and_all_filled_rows_count(
    organisation: Organisation, owner_client: Client
) -> None:
    url = f"{base(organisation)}/pain-points/"
    one = owner_client.get(url, pain_data(INVOICES))
    assert one.status_code == 200, one.context["formset"].errors
    assert "zwingend erforderlich" not in one.content.decode()
    three = owner_client.get(
        url,
        pain_data(
            INVOICES,
            {"description": "Lieferscheine abtippen", "hours_per_week": "6"},
            {"description": "Angebote schreiben", "hours_per_week": "2,5"},
        ),
    )
    assert three.status_code == 200
    assert 'id="pain-matches"' in three.content.decode()
    tasks = {t for m in three.context["result"].matches for t in m.tasks}
    assert {"Lieferscheine abtippen", "Angebote schreiben"} <= tasks


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ((), "mindestens eine wiederkehrende Aufgabe"),
        (({"hours_per_week": "5"},), "zwingend erforderlich"),
        (({**INVOICES, "hours_per_week": "500"},), "kleiner oder gleich 168"),
        (({**INVOICES, "hours_per_week": "viel"},), "Bitte geben Sie eine Zahl ein"),
    ],
)
def test_bad_pain_points_get_a_message_at_the_field(
    organisation: Organisation, owner_client: Client, rows: tuple[dict[str, str], ...], message: str
) -> None:
    page = owner_client.get(f"{base(organisation)}/pain-points/", pain_data(*rows))
    assert page.status_code == 422
    assert message in page.content.decode()
    assert 'id="pain-matches"' not in page.content.decode()


def test_more_than_five_pain_points_are_refused(
    organisation: Organisation, owner_client: Client
) -> None:
    data = pain_data(*[INVOICES] * 6, total=6)
    assert owner_client.get(f"{base(organisation)}/pain-points/", data).status_code == 422


def test_the_optimiser_explains_an_impossible_budget(
    organisation: Organisation, owner: User, owner_client: Client
) -> None:
    use_case = make(owner, organisation, estimated_cost=Decimal(20000), person_days=Decimal(10))
    services.set_scores(tenant_of(owner, organisation), use_case, ALL_FOUR)
    url = f"{base(organisation)}/plan/"
    response = owner_client.get(url, {"budget": "1000", "capacity": "50"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert not response.context["plan"].feasible
    fits = owner_client.get(url, {"budget": "25.000", "capacity": "50"}, HTTP_HX_REQUEST="true")
    assert [c.id for c in fits.context["plan"].chosen] == [str(use_case.pk)]
    assert owner_client.get(url, {"budget": "-1", "capacity": "x"}).status_code == 422


def test_a_blind_workshop_reveals_median_and_disputes_and_records_the_agreed_score(
    organisation: Organisation, owner: User, owner_client: Client
) -> None:
    use_case = make(owner, organisation)
    staff = add_member(organisation, role=Role.VIEWER)
    response = owner_client.post(
        f"{base(organisation)}/workshops/", {"title": "Workshop", "use_cases": [use_case.pk]}
    )
    workshop = Workshop.objects.get()
    url = f"{base(organisation)}/workshops/{workshop.pk}"
    assert response["Location"] == f"{url}/"
    for client, score in [(owner_client, "2"), (client_for(staff), "5")]:
        vote = {"use_case": use_case.pk, "criterion": "daten", "score": score}
        assert client.post(f"{url}/vote/", vote, HTTP_HX_REQUEST="true").status_code == 200
    before = owner_client.get(f"{url}/").context["state"]
    assert before.participants == 2
    assert client_for(staff).post(f"{url}/reveal/").status_code == 403
    owner_client.post(f"{url}/reveal/")
    state = owner_client.get(f"{url}/").context["state"]
    daten = next(c for c in state.items[0].criteria if c.criterion.id == "daten")
    assert (daten.summary.median, daten.summary.disputed) == (3.5, True)
    late = {"use_case": use_case.pk, "criterion": "daten", "score": "1"}
    assert client_for(staff).post(f"{url}/vote/", late).status_code == 409
    owner_client.post(
        f"{url}/agree/", {"use_case": use_case.pk, "criterion": "daten", "score": "3"}
    )
    agreed = CriterionScore.objects.get(use_case=use_case, criterion_id="daten")
    assert (agreed.score, agreed.source) == (3, "workshop")


def test_votes_for_foreign_use_cases_or_bad_scores_are_400(
    organisation: Organisation, owner: User, owner_client: Client
) -> None:
    use_case = make(owner, organisation)
    other = make(owner, organisation, "Nicht im Workshop")
    workshop = services.open_workshop(tenant_of(owner, organisation), "W", [use_case])
    url = f"{base(organisation)}/workshops/{workshop.pk}/vote/"
    for data in (
        {"use_case": other.pk, "criterion": "daten", "score": "3"},
        {"use_case": use_case.pk, "criterion": "daten", "score": "7"},
        {"use_case": use_case.pk, "criterion": "laune", "score": "3"},
    ):
        assert owner_client.post(url, data).status_code == 422
    assert not Vote.objects.exists()


def test_a_pain_point_of_stop_words_only_finds_nothing_instead_of_failing(
    organisation: Organisation, owner_client: Client
) -> None:
    data = {"form-TOTAL_FORMS": "5", "form-INITIAL_FORMS": "0", "form-0-description": "und der die"}
    data |= {"form-0-hours_per_week": "3", "form-0-frequency": "weekly"}
    data |= {"form-0-error_prone": "3", "form-0-tedious": "3"}
    response = owner_client.get(f"{base(organisation)}/pain-points/", data)
    assert response.status_code == 200
    assert response.context["result"] is not None
    assert not response.context["result"].matches


def test_an_id_too_large_for_the_database_is_refused_not_a_server_error(
    organisation: Organisation, owner: User, owner_client: Client
) -> None:
    make(owner, organisation)
    data = {"title": "Workshop", "use_cases": ["123456789012345678901"]}
    response = owner_client.post(f"{base(organisation)}/workshops/", data)
    assert response.status_code == 422
    assert not Workshop.objects.exists()


def test_control_characters_are_removed_from_what_people_submit(
    organisation: Organisation, owner_client: Client
) -> None:
    """A vertical tab, BEL or ESC in a title made every export of the organisation fail."""
    data = {"title": "Ange\x0bbote\x07 schreiben\x1b", "problem": "Zeile 1\r\nZeile\t2\x00"}
    data["classic_enough"] = "unklar"
    response = owner_client.post(f"{base(organisation)}/new/", data)
    assert response.status_code == 302, response.context["form"].errors
    use_case = UseCase.objects.get()
    assert use_case.title == "Angebote schreiben"
    assert use_case.problem == "Zeile 1\r\nZeile\t2"
    assert owner_client.get(f"{base(organisation)}/export.xlsx").status_code == 200
