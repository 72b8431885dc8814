from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "startklar.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        """Put every feature's module on the overview and into the navigation; watch the
        database for changes (kept pages)."""
        from . import generation
        from .features import each
        from .modules import register

        generation.watch()

        for _feature, factory in each("module"):
            register(factory())
