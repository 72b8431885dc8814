"""The demo company's management report: one in German, asked for as a person asks for it.

The demo only requests it (``services.request_report``: a queued run and its task, queued
once the demo is saved). ``startklar demo`` runs tasks right away, so the report is made by the
worker's code just after the demo is committed and the demo shows it ready to download; that
takes a few seconds, in the demo command only. The tests' demo company is built inside a test's
transaction (``startklar.testing.demo_company()``), which is never committed: there the run stays
queued and building the demo costs nothing more. A test that needs the PDF makes it
(``services.produce``)."""

from __future__ import annotations

from startklar.core.demo import DemoCompany
from startklar.organisations.tenancy import Tenant

from . import services
from .models import Language


def seed(company: DemoCompany) -> None:
    owner: Tenant = company.owner
    services.request_report(owner, Language.GERMAN)
