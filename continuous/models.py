"""Continuous screening (continu screenen, domain.md §5): enrolled persons, their organisations, the
daily runs against the JDS and the signals a relevant new record raises.

These tables stand apart from the application intake: a run and the signal screens read only them
(and the organisations linked), so signals keep flowing when intake is down.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.validators import validate_bsn
from justis.bsn_crypto import DIGEST_PATTERN
from justis.fields import BSNDigestField, EncryptedBSNField


class Sector(models.TextChoices):
    CHILDCARE = "childcare", _("childcare (Personenregister Kinderopvang)")
    TAXI = "taxi", _("taxi (driver's card holders, via Kiwa)")


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    NON_ACTIVE = "non_active", _("non-active: waiting for a new VOG")


class ContinuousEnrolment(models.Model):
    """A person screened every day because of the VOG they work with (childcare register, taxi card).

    Active from ``active_from`` up to and including ``active_to`` (open-ended while enrolled). At most
    one open enrolment per person and sector. ``last_checked_on`` is the day of the last run that read
    this person's records successfully: a run reads every enrolment not yet checked for its day.
    """

    sector = models.CharField(_("sector"), max_length=16, choices=Sector.choices)
    # Encrypted at rest, found through the keyed digest (justis/fields.py).
    bsn = EncryptedBSNField(_("BSN"), validators=[validate_bsn])
    bsn_digest = BSNDigestField(source="bsn")
    given_names = models.CharField(_("given names"), max_length=200)
    surname = models.CharField(_("surname"), max_length=200)
    birth_date = models.DateField(_("date of birth"))
    email = models.EmailField(_("e-mail address of the person"), blank=True)
    vog_reference = models.CharField(_("reference (kenmerk) of the VOG"), max_length=40)
    certificate = models.ForeignKey(
        "screening.Certificate",
        verbose_name=_("certificate"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="continuous_enrolments",
    )
    active_from = models.DateField(_("active from"))
    active_to = models.DateField(_("active to (inclusive)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE
    )
    non_active_since = models.DateTimeField(_("non-active since"), null=True, blank=True)
    last_checked_on = models.DateField(_("last checked for the run of"), null=True, blank=True)
    last_checked_at = models.DateTimeField(_("last checked at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # When the retention job removed the personal data of this ended enrolment (justis.retention).
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("continuous screening enrolment")
        verbose_name_plural = _("continuous screening enrolments")
        ordering = ("surname", "given_names", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["sector", "bsn_digest"],
                condition=Q(active_to__isnull=True),
                name="continuous_one_open_enrolment",
            ),
            models.CheckConstraint(
                condition=Q(active_to__isnull=True) | Q(active_to__gte=F("active_from")),
                name="continuous_enrolment_period",
            ),
            models.CheckConstraint(
                condition=Q(bsn_digest__regex=DIGEST_PATTERN), name="continuous_enrolment_bsn_digest"
            ),
        ]
        indexes = [models.Index(fields=["last_checked_on"], name="continuous_enrolment_checked")]

    def __str__(self):
        return f"{self.full_name} ({self.get_sector_display()})"

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.surname}"

    def active_on(self, day) -> bool:
        return self.active_from <= day and (self.active_to is None or day <= self.active_to)


class EnrolmentLink(models.Model):
    """A koppeling: an organisation (childcare centre, gastouderbureau, taxi company) the person works for."""

    enrolment = models.ForeignKey(ContinuousEnrolment, on_delete=models.CASCADE, related_name="links")
    organisation = models.ForeignKey(
        "applications.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="continuous_links",
    )
    contact_email = models.EmailField(_("contact e-mail address"))
    active_from = models.DateField(_("linked from"))
    active_to = models.DateField(_("linked to (inclusive)"), null=True, blank=True)

    class Meta:
        verbose_name = _("linked organisation")
        verbose_name_plural = _("linked organisations")
        ordering = ("active_from", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "organisation"],
                condition=Q(active_to__isnull=True),
                name="continuous_one_open_link",
            ),
            models.CheckConstraint(
                condition=Q(active_to__isnull=True) | Q(active_to__gte=F("active_from")),
                name="continuous_link_period",
            ),
        ]

    def __str__(self):
        return f"{self.enrolment_id} → {self.organisation_id}"

    def active_on(self, day) -> bool:
        return self.active_from <= day and (self.active_to is None or day <= self.active_to)


class RunStatus(models.TextChoices):
    RUNNING = "running", _("running")
    WAITING = "waiting", _("waiting: the justice records system did not answer")
    DONE = "done", _("done")


class ContinuousRun(models.Model):
    """The daily run for one day: one row per day, so a second run of the same day adds nothing."""

    day = models.DateField(_("day"), unique=True)
    status = models.CharField(_("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.RUNNING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=255, blank=True)
    enrolments_checked = models.PositiveIntegerField(_("enrolments checked"), default=0)
    signals_raised = models.PositiveIntegerField(_("signals raised"), default=0)
    # A run that could not finish is completed by a later run (which reads every enrolment it missed).
    completed_by = models.DateField(_("completed by the run of"), null=True, blank=True)

    class Meta:
        verbose_name = _("continuous screening run")
        verbose_name_plural = _("continuous screening runs")
        ordering = ("-day",)

    def __str__(self):
        return f"{self.day}: {self.status}"


class SignalStatus(models.TextChoices):
    OPEN = "open", _("open")
    DECIDED = "decided", _("decided")


class SignalAction(models.TextChoices):
    NONE = "none", _("no action")
    NEW_VOG_REQUIRED = "new_vog_required", _("a new VOG is required")


SIGNAL_MOTIVATION_MIN_LENGTH = 20
SIGNAL_MOTIVATION_MAX_LENGTH = 5000


class Signal(models.Model):
    """A relevant new justice record of an enrolled person, for a screener to assess.

    One per enrolment and record (``record_key``, unique), so no run raises a signal twice.
    ``finding`` is the pre-assessment's finding for the record against the sector's screening basis.
    """

    enrolment = models.ForeignKey(ContinuousEnrolment, on_delete=models.PROTECT, related_name="signals")
    run = models.ForeignKey(ContinuousRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="signals")
    record_key = models.CharField(max_length=64)
    record = models.JSONField(_("justice record"))
    finding = models.JSONField(_("finding"), default=dict)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=16, choices=SignalStatus.choices, default=SignalStatus.OPEN)
    direct_risk = models.BooleanField(_("direct risk"), null=True, blank=True)
    motivation = models.TextField(_("motivation"), max_length=SIGNAL_MOTIVATION_MAX_LENGTH, blank=True)
    action = models.CharField(_("action"), max_length=32, choices=SignalAction.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        ordering = ("received_at", "pk")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "record_key"], name="continuous_one_signal_per_record"),
            models.CheckConstraint(
                condition=Q(status="open") | (Q(direct_risk__isnull=False) & ~Q(action="") & ~Q(motivation="")),
                name="continuous_signal_decided_complete",
            ),
        ]
        indexes = [models.Index(fields=["status", "received_at"], name="continuous_signal_queue")]

    def __str__(self):
        return f"{self.enrolment_id}: {self.record.get('offence_article', '')} ({self.status})"
