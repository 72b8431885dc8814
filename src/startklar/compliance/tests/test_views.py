"""Compliance through the pages: one question at a time, results, re-check, register, literacy."""

from __future__ import annotations

import io
import json
from pathlib import Path
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from startklar.accounts.models import User
from startklar.cli import main
from startklar.compliance import engine, queries, services
from startklar.compliance.content import CURRENT_VERSION
from startklar.compliance.models import AISystem, Assessment, Person, TrainingRecord
from startklar.organisations.models import Organisation
from startklar.testing import client_for, tenant_of
from startklar.usecases import services as usecases
from startklar.usecases.models import UseCase

from .test_classification import annex3, case

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parents[4] / "examples" / "compliance"


@pytest.fixture
def use_case(organisation: Organisation, owner: User) -> UseCase:
    return usecases.create_use_case(
        tenant_of(owner, organisation), {"title": "Bewerbungen", "problem": "p"}
    )


def base(organisation: Organisation) -> str:
    return f"/o/{organisation.slug}/compliance"


def test_the_questionnaire_asks_one_question_at_a_time(
    organisation: Organisation, owner_client: Client, use_case: UseCase
) -> None:
    response = owner_client.post(f"{base(organisation)}/usecase/{use_case.pk}/assess/")
    assessment = Assessment.objects.get()
    url = f"{base(organisation)}/assessments/{assessment.pk}"
    assert response["Location"] == f"{url}/"
    page = owner_client.get(f"{url}/")
    assert page.context["question"].id == "role"
    owner_client.post(f"{url}/answer/", {"question": "role", "answer": "deployer"})
    assert owner_client.get(f"{url}/").context["question"].id == "role_switch"
    htmx = owner_client.post(
        f"{url}/answer/", {"question": "role_switch", "answer": "no"}, HTTP_HX_REQUEST="true"
    )
    assert htmx.content.decode().lstrip().startswith('<div id="assessment-main"')
    assert htmx.context["question"].id == "art5_manipulation"
    assert "Rechtsberatung" in owner_client.get(f"{url}/").content.decode()


def test_saving_an_answer_classifies_once(
    organisation: Organisation, owner: User, owner_client: Client, use_case: UseCase
) -> None:
    """The answer is stored with its result and the page shows that result: one classification."""
    assessment = services.start(tenant_of(owner, organisation), use_case)
    url = f"{base(organisation)}/assessments/{assessment.pk}/answer/"
    queries._classified.cache_clear()
    with mock.patch.object(engine, "classify", wraps=engine.classify) as classify:
        response = owner_client.post(
            url, {"question": "role", "answer": "deployer"}, HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 200
    assert response.context["question"].id == "role_switch"
    assert classify.call_count == 1


def test_a_hand_made_answer_is_400_and_saves_nothing(
    organisation: Organisation, owner: User, owner_client: Client, use_case: UseCase
) -> None:
    assessment = services.start(tenant_of(owner, organisation), use_case)
    url = f"{base(organisation)}/assessments/{assessment.pk}/answer/"
    assert owner_client.post(url, {"question": "role", "answer": "king"}).status_code == 422
    assert owner_client.post(url, {"question": "nope", "answer": "yes"}).status_code == 422
    assessment.refresh_from_db()
    assert assessment.answers == {}


def test_the_result_page_shows_classes_trail_duties_and_gdpr(
    organisation: Organisation, owner: User, owner_client: Client, use_case: UseCase
) -> None:
    tenant = tenant_of(owner, organisation)
    assessment = services.import_answers(
        tenant,
        services.start(tenant, use_case),
        annex3(
            "beschaeftigung",
            "a",
            derog_profiling="yes",
            vulnerable_subjects="yes",
            evaluation_scoring="yes",
        ),
    )
    assert assessment.labels == ["hochrisiko"]
    assert assessment.gdpr_verdict == "erforderlich"
    page = owner_client.get(f"{base(organisation)}/assessments/{assessment.pk}/").content.decode()
    assert "Anhang III Nr. 4 Buchst. a" in page
    assert "02.12.2027" in page
    # the GDPR verdict says why: the DSK item and the EDPB criteria, each with its answers
    gdpr = page[page.index('id="gdpr-heading"') :]
    assert "DSK-Liste" in gdpr[: gdpr.index('id="dsk-items"')]
    items = gdpr[gdpr.index('id="dsk-items"') : gdpr.index('id="edpb-criteria"')]
    assert "KI steuert die Interaktion" in items
    assert "Werden Menschen bewertet oder eingestuft" in items
    criteria = gdpr[gdpr.index('id="edpb-criteria"') :]
    assert "3 EDSA-Kriterien erfüllt" in gdpr
    assert "Schutzbedürftige Betroffene" in criteria
    assert "Betrifft die Verarbeitung Beschäftigte" in criteria
    overview = owner_client.get(f"{base(organisation)}/").context["page"].use_cases
    assert overview[0].summary.labels == ("hochrisiko",)


def test_one_criterion_asks_for_a_threshold_assessment(
    organisation: Organisation, owner: User, owner_client: Client, use_case: UseCase
) -> None:
    tenant = tenant_of(owner, organisation)
    assessment = services.import_answers(tenant, services.start(tenant, use_case), case())
    assert assessment.gdpr_verdict == "schwellwertanalyse"
    page = owner_client.get(f"{base(organisation)}/assessments/{assessment.pk}/").content.decode()
    assert "Schwellwertanalyse dokumentieren" in page
    assert "Ein Kriterium allein" in page


def test_follow_ups_behind_an_open_answer_read_as_not_asked(
    organisation: Organisation, owner: User, owner_client: Client, use_case: UseCase
) -> None:
    tenant = tenant_of(owner, organisation)
    answers = annex3("beschaeftigung", "unknown")
    for question in ("derog_profiling", "derog_narrow_task", "derog_improves_prior"):
        answers.pop(question)
    assessment = services.import_answers(tenant, services.start(tenant, use_case), answers)
    assert assessment.labels == ["unklar"]
    page = owner_client.get(f"{base(organisation)}/assessments/{assessment.pk}/").content.decode()
    trail = page[page.index('id="why-trail"') : page.index('id="duties"')]
    assert "nicht gefragt, solange eine frühere Antwort offen ist" in trail
    assert "noch nicht beantwortet" not in trail


def test_hidden_answers_stop_counting_when_a_parent_answer_changes(
    organisation: Organisation, owner: User, owner_client: Client, use_case: UseCase
) -> None:
    tenant = tenant_of(owner, organisation)
    assessment = services.import_answers(
        tenant,
        services.start(tenant, use_case),
        annex3("beschaeftigung", "a", derog_profiling="yes"),
    )
    url = f"{base(organisation)}/assessments/{assessment.pk}/answer/"
    owner_client.post(url, {"question": "annex3_area", "answer": "none"})
    assessment.refresh_from_db()
    assert assessment.labels == ["minimal"]
    assert assessment.answers["annex3_4"] == "a"  # kept, but hidden: it does not count


def test_a_changed_rule_base_flags_the_assessment_for_re_check(
    organisation: Organisation, owner: User, owner_client: Client, use_case: UseCase
) -> None:
    tenant = tenant_of(owner, organisation)
    assessment = services.start(tenant, use_case)
    Assessment.objects.filter(pk=assessment.pk).update(rules_version="2026.1-alt")
    assessment.refresh_from_db()
    from startklar.compliance import journey

    def recheck_notices() -> list[str]:
        return [n.text for n in journey.notices(tenant) if "neu" in n.text or "re-check" in n.text]

    assert recheck_notices()
    owner_client.post(f"{base(organisation)}/assessments/{assessment.pk}/recheck/")
    assessment.refresh_from_db()
    assert assessment.rules_version == CURRENT_VERSION
    assert recheck_notices() == []


@pytest.mark.parametrize(
    ("answers", "questions"),
    [
        (annex3("biometrie", "a", personal_data="no"), {"personal_data", "annex3_1"}),
        (
            annex3("beschaeftigung", "a", evaluation_scoring="yes"),
            {"derog_profiling", "evaluation_scoring"},
        ),
        (annex3("biometrie", "c"), {"annex3_1", "art50_emotion_or_categorisation"}),
    ],
)
def test_contradictions_are_shown_for_the_user_to_resolve(
    organisation: Organisation,
    owner: User,
    owner_client: Client,
    use_case: UseCase,
    answers: dict[str, str],
    questions: set[str],
) -> None:
    tenant = tenant_of(owner, organisation)
    assessment = services.import_answers(tenant, services.start(tenant, use_case), answers)
    assert assessment.labels == ["widerspruch"]
    page = owner_client.get(f"{base(organisation)}/assessments/{assessment.pk}/").content.decode()
    shown = page[page.index('id="contradictions"') : page.index('id="why-trail"')]
    # each answer that contradicts another can be changed from right there
    assert {q for q in questions if f'href="?q={q}"' in shown} == questions
    assert 'id="duties"' in page
    assert "Noch keine Pflichten abgeleitet" in page


def test_the_register_warns_about_tool_chaos_and_exports_to_excel(
    organisation: Organisation, owner_client: Client, use_case: UseCase
) -> None:
    url = f"{base(organisation)}/systems/"
    for name in ("Assistent A", "Assistent B"):
        data = {
            "name": name,
            "owner": "IT",
            "purpose": "Texte",
            "capability": "chat_assistant",
            "hosting": "saas_eu",
            "status": "in_use",
            "dpia_status": "open",
            "dpa_status": "missing",
            "use_cases": [use_case.pk],
        }
        assert owner_client.post(url, data).status_code == 302
    page = owner_client.get(url).content.decode()
    assert 'id="tool-chaos"' in page
    bad = owner_client.post(url, {"name": "", "capability": "telepathy"})
    assert bad.status_code == 422
    assert AISystem.objects.count() == 2
    sheet = load_workbook(io.BytesIO(owner_client.get(f"{url}export.xlsx").content)).active
    assert sheet is not None
    assert [c.value for c in sheet[1]][:3] == ["Name", "Verantwortlich", "Zweck"]
    assert sheet.max_row == 3


def test_literacy_coverage_and_gaps(
    organisation: Organisation, owner: User, owner_client: Client
) -> None:
    tenant = tenant_of(owner, organisation)
    system = services.save_system(
        tenant,
        AISystem(
            name="Assistent",
            owner="IT",
            purpose="x",
            capability="chat_assistant",
            hosting="saas_eu",
        ),
        [],
    )
    url = f"{base(organisation)}/literacy/"
    owner_client.post(
        f"{url}people/", {"name": "Anna", "role_level": "user", "ai_systems": [system.pk]}
    )
    owner_client.post(f"{url}people/", {"name": "Bernd", "role_level": "user"})
    anna = Person.objects.get(name="Anna")
    day = timezone.localdate().isoformat()  # not in the future: a training must have happened
    record = {"person": anna.pk, "measure": "Grundlagen", "date": day, "evidence": "Liste"}
    assert owner_client.post(f"{url}records/", record).status_code == 302
    literacy = owner_client.get(url).context["literacy"]
    users = next(c for c in literacy.by_role if c.people)
    assert (users.trained, users.people) == (1, 2)
    gaps = {g.person.name: g for g in literacy.gaps}
    assert [s.pk for s in gaps["Anna"].missing_systems] == [system.pk]
    assert gaps["Bernd"].missing_basics
    assert owner_client.post(f"{url}records/", {**record, "date": "gestern"}).status_code == 422
    assert TrainingRecord.objects.count() == 1


def test_viewers_see_but_cannot_record(organisation: Organisation, viewer: User) -> None:
    client = client_for(viewer)
    assert client.get(f"{base(organisation)}/literacy/").status_code == 200
    response = client.post(
        f"{base(organisation)}/literacy/people/", {"name": "X", "role_level": "user"}
    )
    assert response.status_code == 403


def test_the_dpo_check_uses_the_facts_and_the_dpia_results(
    organisation: Organisation, owner: User, owner_client: Client, use_case: UseCase
) -> None:
    url = f"{base(organisation)}/privacy/"
    assert owner_client.get(url).context["dpo"].check.required is False
    assert owner_client.post(url, {"people_processing": "25"}).status_code == 302
    assert owner_client.get(url).context["dpo"].check.reasons == ("bdsg_20_persons",)
    assert owner_client.post(url, {"people_processing": "-3"}).status_code == 422


@pytest.mark.parametrize(
    ("file", "classes", "dpia"),
    [
        ("bewerbervorauswahl", ["hochrisiko"], "erforderlich"),
        ("website-chatbot", ["transparenz"], "erforderlich"),
        ("wartung", ["minimal"], "nicht_erforderlich"),
    ],
)
def test_the_cli_classifies_the_examples(
    file: str, classes: list[str], dpia: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["compliance", "classify", str(EXAMPLES / f"{file}.yaml"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["classes"] == classes
    assert data["gdpr"]["dpia"] == dpia
    assert all(step["article"] for why in data["why"] for step in why["steps"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("answers:\n  role: [deployer\n", "line 3"),
        ("name: x\n", "needs a mapping 'answers"),
        ("answers:\n  role: king\n", "must be one of"),
        ("rules_version: '1999'\nanswers: {}\n", "unknown rules_version"),
    ],
)
def test_the_cli_names_bad_input(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "uc.yaml"
    path.write_text(content)
    with pytest.raises(SystemExit) as caught:
        main(["compliance", "classify", str(path)])
    assert message in str(caught.value)


def test_ids_too_large_for_the_database_are_refused_in_register_and_literacy(
    organisation: Organisation, owner_client: Client
) -> None:
    base = f"/o/{organisation.slug}/compliance"
    big = "123456789012345678901"
    system = {"name": "Chat", "use_cases": [big], "capability": "chat"}
    assert owner_client.post(f"{base}/systems/", system).status_code == 422
    person = {"name": "Pia", "role_level": "anwender", "ai_systems": [big]}
    assert owner_client.post(f"{base}/literacy/people/", person).status_code == 422
    assert not AISystem.objects.exists()
    assert not Person.objects.exists()
