from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_save

        from .models import Letter

        post_save.connect(_letter_saved, sender=Letter, dispatch_uid="notifications.letter_post")


def _letter_saved(sender, instance, created, raw=False, **kwargs):
    """A new letter goes by post too when the applicant has no e-mail address (same transaction)."""
    if created and not raw:
        from .services import letter_post

        letter_post(instance)
