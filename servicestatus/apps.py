from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceStatusConfig(AppConfig):
    name = "servicestatus"
    verbose_name = _("Service status")
    default_auto_field = "django.db.models.BigAutoField"
