from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import Letter, MessageTemplate
        from .templates_in_force import forget_templates

        post_save.connect(_letter_saved, sender=Letter, dispatch_uid="notifications.letter_post")
        # A saved wording is used from the next message on in this process (others within a minute).
        post_save.connect(forget_templates, sender=MessageTemplate, dispatch_uid="notifications.templates_saved")
        post_delete.connect(forget_templates, sender=MessageTemplate, dispatch_uid="notifications.templates_deleted")


def _letter_saved(sender, instance, created, raw=False, **kwargs):
    """A new letter goes by post too when the applicant has no e-mail address (same transaction)."""
    if created and not raw:
        from .services import letter_post

        letter_post(instance)
