from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadinessConfig(AppConfig):
    name = "startklar.readiness"
    verbose_name = _("Readiness check")

    def ready(self) -> None:
        from startklar.core.modules import Module, register

        from . import journey

        register(
            Module(
                key="readiness",
                label=_("Readiness"),
                description=_(
                    "Where do we stand? Several people answer; the result names hurdles and "
                    "first steps."
                ),
                url_name="readiness:rounds",
                icon="speedometer2",
                order=10,
                notices=journey.notices,
                headline=journey.headline,
                start=journey.start,
            )
        )
