from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "startklar.compliance"
    label = "compliance"
    verbose_name = _("Compliance")

    def ready(self) -> None:
        from startklar.core.modules import Module, register

        from . import excel, journey

        register(
            Module(
                key="compliance",
                label=_("Compliance"),
                description=_(
                    "AI Act classification with reasons, GDPR screening, the AI register and "
                    "AI literacy records."
                ),
                url_name="compliance:overview",
                icon="shield-check",
                order=40,
                notices=journey.notices,
                headline=journey.headline,
                use_case_steps=journey.steps,
                exports=lambda tenant: [("ai-register.xlsx", excel.export(tenant))],
            )
        )
