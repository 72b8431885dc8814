"""The demo company's management report: one in German, made when the demo is built.

It is made by the same code as the worker's (``services.produce``), right away rather than
queued, so the demo shows a finished report with its download. This is the one expensive step
of the demo; the tests build the demo once per process (``startklar.testing.demo_company()``
copies its rows afterwards, the PDF included), so it costs them one report per process."""

from __future__ import annotations

from startklar.core.demo import DemoCompany
from startklar.organisations.tenancy import Tenant

from . import services
from .models import Language


def seed(company: DemoCompany) -> None:
    owner: Tenant = company.owner
    run, _new = services.request_report(owner, Language.GERMAN)
    services.produce(run.pk)
