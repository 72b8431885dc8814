from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BusinessCaseConfig(AppConfig):
    name = "startklar.businesscase"
    label = "businesscase"
    verbose_name = _("Business case")

    def ready(self) -> None:
        from startklar.core.modules import Module, register

        from . import journey

        register(
            Module(
                key="businesscase",
                label=_("Business case"),
                description=_(
                    "What does it cost, what does it bring? Ranges instead of false precision, "
                    "the chance of paying off, and make, buy or partner."
                ),
                url_name="businesscase:list",
                icon="graph-up-arrow",
                order=30,
                use_case_steps=journey.steps,
            )
        )
