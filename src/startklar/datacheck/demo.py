"""The demo company's data: the ERP's sales export linked to the demand forecast, the
maintenance log linked to predictive maintenance, each checked once (``demofiles``)."""

from __future__ import annotations

from django.utils import timezone

from startklar.core.demo import DemoCompany
from startklar.organisations.tenancy import Tenant
from startklar.usecases.models import UseCase

from . import demofiles, services

SALES = "einkauf.bedarfsprognose"
MAINTENANCE = "produktion.vorausschauende-wartung"


def _check(
    tenant: Tenant, name: str, description: str, catalogue_id: str, file: str, data: bytes
) -> None:
    use_cases = list(tenant.scoped(UseCase.objects).filter(catalogue_id=catalogue_id))
    source = services.create_source(tenant, name, description, use_cases)
    parts = [data[i : i + services.PART_BYTES] for i in range(0, len(data), services.PART_BYTES)]
    check = services.request_check(tenant, source, file, len(data), parts, "")
    services.produce(check.pk)  # here and now; the queued task then finds nothing left to do


def seed(company: DemoCompany) -> None:
    tenant: Tenant = company.owner
    today = timezone.localdate()
    _check(
        tenant,
        "ERP-Verkaufsexport",
        "Tägliche Verkäufe je Artikel aus dem Warenwirtschaftssystem (Export als CSV).",
        SALES,
        "verkauf_export.csv",
        demofiles.sales_export(today),
    )
    _check(
        tenant,
        "Wartungsprotokoll",
        "Störungen und Wartungen der Maschinen, von der Instandhaltung in Excel geführt.",
        MAINTENANCE,
        "wartungsprotokoll.xlsx",
        demofiles.maintenance_log(today),
    )
