"""Incidents that team leads publish, per channel of the service.

The public status page never reads these tables: every change writes a snapshot (see ``snapshot.py``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ServiceChannel(models.TextChoices):
    DIGITAL_APPLICATIONS = "digital_applications", _("Digital applications")
    MUNICIPAL_FORWARDING = "municipal_forwarding", _("Applications forwarded by municipalities")
    SCREENING = "screening", _("Screening")
    CERTIFICATES = "certificates", _("Issuing certificates")
    CONTINUOUS_SCREENING = "continuous_screening", _("Continuous screening")


class ChannelState(models.TextChoices):
    OPERATIONAL = "operational", _("Operational")
    DEGRADED = "degraded", _("Disrupted")
    DOWN = "down", _("Down")


# Worse states rank higher: a channel shows the worst state of its open incidents.
STATE_RANK = {ChannelState.OPERATIONAL: 0, ChannelState.DEGRADED: 1, ChannelState.DOWN: 2}


class Incident(models.Model):
    title_nl = models.CharField(_("title (Dutch)"), max_length=120)
    title_en = models.CharField(_("title (English)"), max_length=120)
    text_nl = models.TextField(_("explanation (Dutch)"), max_length=2000)
    text_en = models.TextField(_("explanation (English)"), max_length=2000)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    expected_end_at = models.DateTimeField(_("expected end"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("published by")
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The fan-out of the notices: when each phase reached its last recipient, and when a batch last ran
    # (beat's ``incident_notices_resume`` restarts a phase whose chain of tasks was lost).
    opened_notices_done_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolved_notices_done_at = models.DateTimeField(null=True, blank=True, editable=False)
    notices_touched_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ("-started_at", "-id")
        indexes = [models.Index(fields=["resolved_at"], name="incident_resolved")]
        constraints = [
            models.CheckConstraint(
                condition=Q(expected_end_at__isnull=True) | Q(expected_end_at__gt=models.F("started_at")),
                name="incident_expected_end_after_start",
            ),
        ]

    def __str__(self):
        return self.title_nl

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class IncidentChannel(models.Model):
    """A channel an incident affects, and how badly."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="channels")
    channel = models.CharField(_("channel"), max_length=32, choices=ServiceChannel.choices)
    state = models.CharField(_("state"), max_length=16, choices=ChannelState.choices)

    class Meta:
        verbose_name = _("affected channel")
        verbose_name_plural = _("affected channels")
        ordering = ("channel",)
        constraints = [
            models.UniqueConstraint(fields=["incident", "channel"], name="incident_channel_once"),
            models.CheckConstraint(condition=~Q(state="operational"), name="incident_channel_affected"),
        ]

    def __str__(self):
        return f"{self.channel}: {self.state}"


class IncidentUpdate(models.Model):
    """A timestamped message about the progress of an incident."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="updates")
    text_nl = models.TextField(_("update (Dutch)"), max_length=2000)
    text_en = models.TextField(_("update (English)"), max_length=2000)
    at = models.DateTimeField(_("at"), default=timezone.now)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("incident update")
        verbose_name_plural = _("incident updates")
        ordering = ("at", "id")

    def __str__(self):
        return self.text_nl[:60]
