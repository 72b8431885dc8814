from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DatacheckConfig(AppConfig):
    name = "startklar.datacheck"
    label = "datacheck"
    verbose_name = _("Data check")
