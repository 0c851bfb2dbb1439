from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContinuousConfig(AppConfig):
    name = "continuous"
    verbose_name = _("Continuous screening")
    default_auto_field = "django.db.models.BigAutoField"
