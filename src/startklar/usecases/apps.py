from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UseCasesConfig(AppConfig):
    name = "startklar.usecases"
    label = "usecases"
    verbose_name = _("Use cases")

    def ready(self) -> None:
        from startklar.core.modules import Module, register

        from . import excel, journey

        register(
            Module(
                key="usecases",
                label=_("Use cases"),
                description=_(
                    "What should we do? Catalogue, own use cases with measurable goals, "
                    "workshop scoring and the best selection under budget."
                ),
                url_name="usecases:list",
                icon="lightbulb",
                order=20,
                notices=journey.notices,
                headline=journey.headline,
                use_case_steps=journey.steps,
                focus=journey.focus,
                start=journey.start,
                exports=lambda tenant: [("use-cases.xlsx", excel.export(tenant))],
            )
        )
