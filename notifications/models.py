from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justis.storage import private_storage


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENT = "sent", _("sent")
    PARKED = "parked", _("parked for an operator after the last try")
    NO_RECIPIENT = "no_recipient", _("nobody to send it to by e-mail")


class OutboxMessage(models.Model):
    """A message to tell someone about a change, written in the same transaction as that change.

    Delivery (e-mail, SMS, letter, message box) reads pending rows; ``dedupe_key`` makes sure one
    change never produces two messages.
    """

    event = models.CharField(_("event"), max_length=64)
    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, null=True, blank=True, related_name="outbox_messages"
    )
    dedupe_key = models.CharField(max_length=128, unique=True)
    language = models.CharField(_("language"), max_length=5, default="nl")
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=255, blank=True)
    recipient = models.EmailField(_("sent to"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=models.Q(status="pending"), name="outbox_due"),
        ]

    def __str__(self):
        return f"{self.event} ({self.status})"


class LetterKind(models.TextChoices):
    INTENTION_TO_REFUSE = "intention_to_refuse", _("Intention to refuse")
    DECISION = "decision", _("Decision")
    INFORMATION_REQUEST = "information_request", _("Request for information")
    DELAY = "delay", _("Notice of delay")
    OBJECTION_DECISION = "objection_decision", _("Decision on your objection")


# Named here too because migrations refer to it by this path.
_private_storage = private_storage


class Letter(models.Model):
    """A letter to the applicant (PDF): shown in MijnJustis and, for paper delivery, printed."""

    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(_("kind"), max_length=32, choices=LetterKind.choices)
    pdf = models.FileField(_("PDF"), storage=_private_storage, upload_to="letters/%Y/%m/")
    created_at = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ("-created_at",)

    def __str__(self):
        return f"{self.get_kind_display()} ({self.application_id})"
