import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.fees import decimal_euros


class PaymentStatus(models.TextChoices):
    STARTED = "started", _("Started")
    PROCESSING = "processing", _("Being processed by the provider")
    COMPLETED = "completed", _("Completed")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


OPEN = frozenset({PaymentStatus.STARTED, PaymentStatus.PROCESSING})
FINAL = frozenset({PaymentStatus.COMPLETED, PaymentStatus.FAILED, PaymentStatus.CANCELLED, PaymentStatus.EXPIRED})

# Statuses only move forward: the statuses each status may be reached from. A final status is never left.
SOURCES: dict[str, frozenset[str]] = {
    PaymentStatus.STARTED: frozenset(),
    PaymentStatus.PROCESSING: frozenset({PaymentStatus.STARTED}),
    **{final: OPEN for final in FINAL},
}


class Payment(models.Model):
    """One attempt to pay the fee of an application through a payment provider.

    Only ``payments.services`` writes it. The provider is the truth about whether money moved: the
    status is always read from the provider (on return, webhook and reconciliation), never from what
    a browser or a webhook body says.
    """

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="payments", verbose_name=_("application")
    )
    amount_cents = models.PositiveIntegerField(_("amount in cents"))
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    description = models.CharField(_("description"), max_length=255)
    plugin = models.CharField(_("payment plugin"), max_length=32)
    provider_payment_id = models.CharField(_("payment id at the provider"), max_length=64, blank=True)
    checkout_url = models.URLField(_("checkout address"), max_length=2000, blank=True)
    next_url = models.CharField(_("address after payment"), max_length=2000)
    status = models.CharField(_("status"), max_length=16, choices=PaymentStatus.choices, default=PaymentStatus.STARTED)

    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # Bookkeeping of the conversations with the provider.
    attempts = models.PositiveIntegerField(_("provider calls"), default=0)
    last_checked_at = models.DateTimeField(_("last asked the provider at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(condition=Q(currency="EUR"), name="payment_currency_eur"),
            models.CheckConstraint(condition=Q(status__in=PaymentStatus.values), name="payment_status_known"),
            models.UniqueConstraint(
                fields=["plugin", "provider_payment_id"],
                condition=~Q(provider_payment_id=""),
                name="payment_provider_id_unique_per_plugin",
            ),
            # An application is paid once: at most one completed payment.
            models.UniqueConstraint(
                fields=["application"], condition=Q(status="completed"), name="payment_one_completed_per_application"
            ),
        ]
        indexes = [
            # The reconciliation job's view: open payments only, which are few.
            models.Index(fields=["created_at"], condition=Q(status__in=["started", "processing"]), name="payment_open"),
        ]

    def __str__(self):
        return f"{self.public_id} ({self.amount_cents / 100:.2f} {self.currency}, {self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def amount_text(self) -> str:
        """The amount as providers want it: euros with two decimals, e.g. ``"7.30"``."""
        return decimal_euros(self.amount_cents)


class DemoProviderStatus(models.TextChoices):
    """The statuses of the simulated provider, spelt as Mollie spells them."""

    OPEN = "open", _("open")
    PENDING = "pending", _("pending")
    PAID = "paid", _("paid")
    CANCELED = "canceled", _("cancelled")
    EXPIRED = "expired", _("expired")
    FAILED = "failed", _("failed")


class DemoProviderPayment(models.Model):
    """The simulated payment provider's own record of a payment (the demo plugin; development only)."""

    provider_id = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=16, choices=DemoProviderStatus.choices, default=DemoProviderStatus.OPEN)
    amount_cents = models.PositiveIntegerField()
    description = models.CharField(max_length=255)
    return_url = models.CharField(max_length=2000)
    webhook_url = models.CharField(max_length=2000, blank=True)
    bank = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("demo provider payment")
        verbose_name_plural = _("demo provider payments")

    def __str__(self):
        return f"{self.provider_id} ({self.status})"
