import uuid

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from digid_eherkenning.managers import BaseDigidManager, BaseeHerkenningManager

from .bsn_crypto import DIGEST_PATTERN
from .fields import BSNDigestField, EncryptedBSNField


class DigidUserManager(BaseDigidManager):
    """How the DigiD login finds and creates the account of a citizen, by BSN."""

    def get_by_bsn(self, bsn):
        return self.get(bsn=bsn)

    def digid_create(self, bsn, **kwargs):
        return self.create(username=f"digid-{uuid.uuid4().hex[:24]}", bsn=bsn, **kwargs)


class EherkenningUserManager(BaseeHerkenningManager):
    """How the eHerkenning login finds and creates the account of an organisation, by RSIN."""

    def get_by_rsin(self, rsin):
        return self.get(rsin=rsin)

    def eherkenning_create(self, rsin, **kwargs):
        return self.create(username=f"eherkenning-{uuid.uuid4().hex[:24]}", rsin=rsin, **kwargs)


class User(AbstractUser):
    """Everyone who logs in: citizens (DigiD, by BSN), organisation users (eHerkenning), staff.

    Citizens and organisation users have no password; staff log in with two factors.
    """

    # Encrypted at rest; unique and found through the keyed digest (justis/fields.py). NULL: no citizen.
    bsn = EncryptedBSNField(_("BSN"), null=True, blank=True)
    bsn_digest = BSNDigestField(source="bsn", null=True, unique=True)
    rsin = models.CharField(_("RSIN"), max_length=9, blank=True)
    organisation = models.ForeignKey(
        "applications.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    # A municipal clerk works at one desk of one municipality and sees only that municipality's work.
    desk = models.ForeignKey(
        "applications.Desk",
        verbose_name=_("desk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clerks",
    )

    objects = UserManager()
    digid_objects = DigidUserManager()
    eherkenning_objects = EherkenningUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(bsn_digest__isnull=True) | Q(bsn_digest__regex=DIGEST_PATTERN), name="user_bsn_digest"
            ),
        ]

    @property
    def is_citizen(self) -> bool:
        return bool(self.bsn)

    @property
    def is_organisation_user(self) -> bool:
        return self.organisation_id is not None

    @property
    def is_municipal_clerk(self) -> bool:
        return self.desk_id is not None

    @property
    def is_intake_officer(self) -> bool:
        from .roles import Role, user_has_role

        return user_has_role(self, Role.INTAKE_OFFICER)

    @property
    def is_auditor(self) -> bool:
        from .roles import Role, user_has_role

        return user_has_role(self, Role.AUDITOR)

    @property
    def is_screener(self) -> bool:
        """A screener or a senior screener (both work the queue)."""
        return self.is_authenticated and self.groups.filter(name__in=("screener", "senior_screener")).exists()


class AuditAction(models.TextChoices):
    APPLICATION_RECEIVED = "application.received", _("application received")
    STATUS_CHANGED = "application.status_changed", _("status changed")
    JUSTICE_DATA_READ = "justice_data.read", _("justice data read")
    JUSTICE_DATA_UNAVAILABLE = "justice_data.unavailable", _("justice records system unavailable")
    PERSONAL_DATA_READ = "personal_data.read", _("personal data read from the population register")
    PERSONAL_DATA_UNAVAILABLE = "personal_data.unavailable", _("population register unavailable")
    CERTIFICATE_CREATED = "certificate.created", _("certificate created")
    CERTIFICATE_RENDERED = "certificate.rendered", _("certificate document rendered")
    CERTIFICATE_DOWNLOADED = "certificate.downloaded", _("certificate downloaded")
    LETTER_DOWNLOADED = "letter.downloaded", _("letter downloaded")
    DOCUMENT_DOWNLOADED = "document.downloaded", _("scanned document downloaded")
    API_TOKEN_CREATED = "api_token.created", _("API token created")
    FAULT_SET = "fault.set", _("fault switch set")
    FAULT_CLEARED = "fault.cleared", _("fault switch cleared")
    PAYMENT_STARTED = "payment.started", _("payment started")
    PAYMENT_COMPLETED = "payment.completed", _("payment completed")
    PAYMENT_FAILED = "payment.failed", _("payment not completed")
    ZIENSWIJZE_RECEIVED = "zienswijze.received", _("view (zienswijze) received")
    IDENTITY_CHECKED = "identity.checked", _("personal data checked against the population register")
    MUNICIPAL_REPORT_EXPORTED = "municipal_report.exported", _("municipal daily report exported")
    APPLICATION_VIEWED = "application.viewed", _("application with personal data viewed by staff")
    CASE_CLAIMED = "case.claimed", _("case taken up by a screener")
    CASE_RELEASED = "case.released", _("case released by a screener")
    CASE_OPENED = "case.opened", _("case with justice data opened by a screener")
    CASE_ASSESSED = "case.assessed", _("case assessed by a screener")
    REFUSAL_PROPOSED = "refusal.proposed", _("refusal proposed by a screener")
    REFUSAL_APPROVED = "refusal.approved", _("refusal approved by a second screener")
    REFUSAL_SENT_BACK = "refusal.sent_back", _("refusal proposal sent back by a second screener")
    OBJECTION_REGISTERED = "objection.registered", _("objection (bezwaar) registered")
    OBJECTION_DECIDED = "objection.decided", _("objection (bezwaar) decided")
    ENROLMENT_CHANGED = "continuous.enrolment_changed", _("continuous screening enrolment changed")
    SIGNAL_OPENED = "signal.opened", _("signal with justice data opened by a screener")
    SIGNAL_DECIDED = "signal.decided", _("signal assessed by a screener")
    REFERENCE_DATA_CHANGED = (
        "reference_data.changed",
        _("reference data added or changed by a functional administrator"),
    )
    OUTBOX_RESENT = "outbox.resent", _("message put back for delivery by an operator")
    INCIDENT_PUBLISHED = "incident.published", _("incident published on the status page")
    INCIDENT_UPDATED = "incident.updated", _("incident update published")
    INCIDENT_RESOLVED = "incident.resolved", _("incident resolved")
    AUDIT_SEARCHED = "audit.searched", _("audit trail searched by an auditor")
    AUDIT_EXPORTED = "audit.exported", _("audit trail exported by an auditor")
    PERSONAL_DATA_EXPORTED = "personal_data.exported", _("own data downloaded by the citizen (right of access)")
    RETENTION_RUN = "retention.run", _("retention run: personal data deleted or anonymised after its period")


class AuditEvent(models.Model):
    """One entry of the audit trail: who did what to which subject, when and why.

    Written by services in the same transaction as the change it records. Never updated.
    """

    at = models.DateTimeField(_("at"), default=timezone.now)
    actor_kind = models.CharField(_("actor kind"), max_length=32)
    actor_id = models.CharField(_("actor id"), max_length=128, blank=True)
    actor_label = models.CharField(_("actor"), max_length=255, blank=True)
    action = models.CharField(_("action"), max_length=64, choices=AuditAction.choices)
    subject_type = models.CharField(_("subject type"), max_length=64)
    subject_id = models.CharField(_("subject id"), max_length=64)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ("-at", "-id")
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "at"], name="audit_subject_at"),
            models.Index(fields=["action", "at"], name="audit_action_at"),
            # The auditors' search: by actor (username), and by period alone, newest first.
            models.Index(fields=["actor_label", "at"], name="audit_actor_at"),
            models.Index(fields=["at", "id"], name="audit_at_id"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action} {self.subject_type}:{self.subject_id}"


class FaultSwitch(models.Model):
    """A drill switch that makes the simulator of one outside system fail in a chosen way."""

    system = models.CharField(_("system"), max_length=32, unique=True)
    mode = models.CharField(_("mode"), max_length=16)
    set_at = models.DateTimeField(_("set at"), default=timezone.now)
    set_by = models.CharField(_("set by"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("fault switch")
        verbose_name_plural = _("fault switches")

    def __str__(self):
        return f"{self.system}: {self.mode}"
