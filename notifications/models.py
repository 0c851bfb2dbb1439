from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simple_history.models import HistoricalRecords

from justis.storage import private_storage
from justis.validity import check_validity


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENT = "sent", _("sent")
    PARKED = "parked", _("parked for an operator after the last try")
    NO_RECIPIENT = "no_recipient", _("nobody to send it to by e-mail")


class OutboxChannel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    SMS = "sms", _("SMS")
    BERICHTENBOX = "berichtenbox", _("message box (Berichtenbox)")
    LETTER = "letter", _("letter by post")


class OutboxMessage(models.Model):
    """A message to tell someone about a change, written in the same transaction as that change.

    One row per message per channel (e-mail, SMS, message box, letter); delivery reads pending rows.
    ``dedupe_key`` (unique) makes sure one change never produces the same message twice on a channel.
    """

    event = models.CharField(_("event"), max_length=64)
    channel = models.CharField(
        _("channel"), max_length=16, choices=OutboxChannel.choices, default=OutboxChannel.EMAIL, db_index=True
    )
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
    recipient = models.CharField(_("sent to"), max_length=254, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=models.Q(status="pending"), name="outbox_due"),
            # Unsent messages by channel (the justis_outbox_backlog metric, the dashboard's outbox health): small,
            # most rows are sent.
            models.Index(
                fields=["channel", "status"],
                condition=models.Q(status__in=["pending", "parked"]),
                name="outbox_backlog",
            ),
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


class PrintJobStatus(models.TextChoices):
    QUEUED = "queued", _("waiting to be printed")
    PRINTED = "printed", _("printed and posted")


class PrintJob(models.Model):
    """The print queue: one job per letter that goes by post (the print street takes queued jobs)."""

    letter = models.OneToOneField(Letter, on_delete=models.CASCADE, related_name="print_job")
    address = models.TextField(_("address"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=PrintJobStatus.choices, default=PrintJobStatus.QUEUED)
    created_at = models.DateTimeField(default=timezone.now)
    printed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("print job")
        verbose_name_plural = _("print jobs")

    def __str__(self):
        return f"print job {self.pk} ({self.status})"


class SimulatedSms(models.Model):
    """What the SMS simulator 'sent' (development, tests, drills): one row per text handed to it."""

    to = models.CharField(max_length=20)
    text = models.TextField()
    reference = models.CharField(max_length=128, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.reference} ({self.sent_at:%Y-%m-%d %H:%M})"


class SimulatedBerichtenboxMessage(models.Model):
    """What the message box simulator received: one row per message put in a person's Berichtenbox."""

    bsn = models.CharField(max_length=9)
    subject = models.CharField(max_length=255)
    body = models.TextField()
    reference = models.CharField(max_length=128, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.reference} ({self.sent_at:%Y-%m-%d %H:%M})"


DEFAULT_TEMPLATE = "_default"


class TemplateChannel(models.TextChoices):
    """The wordings an administrator can write: the e-mail (also the message box's text) and the SMS."""

    EMAIL = "email", _("e-mail (and message box)")
    SMS = "sms", _("SMS")


def template_event_choices() -> list[tuple[str, str]]:
    """Every event with template files, then the fallback for events without their own text."""
    from .messages import events_with_templates

    return [(event.name, event.name) for event in events_with_templates()] + [
        (DEFAULT_TEMPLATE, _("_default (every event without its own text)"))
    ]


class MessageTemplate(models.Model):
    """A wording of a message written by a functional administrator, valid from a date.

    The version valid on the day a message was written is used for it (``templates_in_force``); without
    one, the text in the files (``templates/notifications/...``) is. Subject and body are Django templates
    with the same names as the files; ``clean`` refuses a text that does not compile or does not render
    for the event's samples, and tags that reach outside the text (``extends``, ``include``, other libraries).
    """

    event = models.CharField(_("event"), max_length=64, choices=template_event_choices)
    channel = models.CharField(_("channel"), max_length=8, choices=TemplateChannel.choices)
    subject = models.CharField(
        _("subject"), max_length=500, blank=True, help_text=_("E-mail only: leave empty for an SMS.")
    )
    body = models.TextField(_("text"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to (inclusive)"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ("event", "channel", "valid_from")
        constraints = [
            models.UniqueConstraint(fields=["event", "channel", "valid_from"], name="message_template_version"),
        ]

    def __str__(self):
        return f"{self.event} ({self.channel}) from {self.valid_from}"

    def clean(self):
        from django.core.exceptions import ValidationError

        from .templates_in_force import template_problems

        errors = template_problems(self)
        if errors:
            raise ValidationError(errors)
        check_validity(self, event=self.event, channel=self.channel)
