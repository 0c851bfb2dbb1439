from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JustisConfig(AppConfig):
    name = "justis"
    verbose_name = _("Justis platform")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.core import checks

        from .bsn_crypto import check_keys

        checks.register(check_keys, checks.Tags.security)
