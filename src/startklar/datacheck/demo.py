"""The demo company's data: the ERP's sales export linked to the demand forecast (checked twice,
three months apart, so that its history shows the export mended), the maintenance log linked to
predictive maintenance (``demofiles``)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from startklar.core.demo import DemoCompany
from startklar.organisations.tenancy import Tenant
from startklar.usecases.models import UseCase

from . import demofiles, services
from .models import DataCheck, DataSource

SALES = "einkauf.bedarfsprognose"
EARLIER_DAYS = 91  # the first export of the sales, before the ERP's export was mended
EARLIER_REPEATED = 120  # its rows exported twice
MAINTENANCE = "produktion.vorausschauende-wartung"


def _source(tenant: Tenant, name: str, description: str, catalogue_id: str) -> DataSource:
    use_cases = list(tenant.scoped(UseCase.objects).filter(catalogue_id=catalogue_id))
    return services.create_source(tenant, name, description, use_cases)


def _check(tenant: Tenant, source: DataSource, file: str, data: bytes, days_ago: int = 0) -> None:
    parts = [data[i : i + services.PART_BYTES] for i in range(0, len(data), services.PART_BYTES)]
    check = services.request_check(tenant, source, file, len(data), parts, "")
    services.produce(check.pk)  # here and now; the queued task then finds nothing left to do
    if days_ago:
        earlier = timezone.now() - datetime.timedelta(days=days_ago)
        DataCheck.objects.filter(pk=check.pk).update(
            requested_at=earlier, started_at=earlier, finished_at=earlier
        )


def seed(company: DemoCompany) -> None:
    tenant: Tenant = company.owner
    today = timezone.localdate()
    sales = _source(
        tenant,
        "ERP-Verkaufsexport",
        "Tägliche Verkäufe je Artikel aus dem Warenwirtschaftssystem (Export als CSV).",
        SALES,
    )
    earlier = today - datetime.timedelta(days=EARLIER_DAYS)
    first = demofiles.sales_export(earlier, repeated=EARLIER_REPEATED)
    _check(tenant, sales, "verkauf_export_alt.csv", first, days_ago=EARLIER_DAYS)
    _check(tenant, sales, "verkauf_export.csv", demofiles.sales_export(today))
    maintenance = _source(
        tenant,
        "Wartungsprotokoll",
        "Störungen und Wartungen der Maschinen, von der Instandhaltung in Excel geführt.",
        MAINTENANCE,
    )
    _check(tenant, maintenance, "wartungsprotokoll.xlsx", demofiles.maintenance_log(today))
