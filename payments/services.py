"""Payment services: the only code that writes payments.

- ``payment_start`` creates and starts a payment for an application, at most one open at a time
  (a double submit, the back button or a reload never starts a second one).
- ``payment_refresh`` asks the provider for the status and applies it with a guarded
  ``UPDATE … WHERE status IN (…)``: statuses only move forward, so replayed, late or out-of-order
  refreshes change nothing twice. Becoming ``completed`` sends ``payment_completed`` in the same
  transaction, exactly once.
- ``payment_webhook_received`` is what a provider's webhook triggers: it reads only the id.
- ``payments_reconcile`` asks again about payments that stay open too long (lost webhooks).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from justis.adapters import OutsideSystemUnavailable
from justis.audit import Actor, audit_record
from justis.models import AuditAction

from .models import FINAL, OPEN, SOURCES, Payment, PaymentStatus
from .registry import PluginNotAvailable, plugin_for
from .signals import payment_completed

logger = logging.getLogger(__name__)

SYSTEM = Actor.system("payments")
SOURCES_OF_REFRESH = ("return", "webhook", "reconcile")


class PaymentError(Exception):
    """A payment cannot go ahead; ``user_message`` says why in words for the applicant."""

    user_message = _("The payment cannot be started.")

    def __init__(self, detail: str = ""):
        super().__init__(detail or str(self.user_message))


class ApplicationAlreadyPaid(PaymentError):
    user_message = _("This application has already been paid.")


class PaymentProviderUnavailable(PaymentError):
    user_message = _(
        "The payment provider cannot be reached now. Your data is kept: please try again in a few minutes."
    )


def _absolute(path: str, request=None) -> str:
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.PUBLIC_BASE_URL + path


def _open_payment(application: Application, amount_cents: int) -> Payment | None:
    return (
        Payment.objects.filter(application=application, status__in=OPEN, amount_cents=amount_cents)
        .exclude(checkout_url="")
        .order_by("-created_at")
        .first()
    )


def payment_start(
    *,
    application: Application,
    amount_cents: int,
    description: str,
    return_url: str,
    plugin: str | None = None,
    request=None,
) -> Payment:
    """Start paying ``amount_cents`` for ``application``; send the payer to ``payment.checkout_url``.

    ``return_url`` is the local address the payer comes back to after paying (through the return view,
    which first asks the provider for the status). Returns the open payment of the same amount if there
    is one. Raises ``ApplicationAlreadyPaid`` when the application has a completed payment and
    ``PaymentProviderUnavailable`` when the provider does not answer (nothing is saved then).
    """
    if not url_has_allowed_host_and_scheme(return_url, allowed_hosts=set(settings.ALLOWED_HOSTS) or None):
        raise ValueError(f"return_url must be an address on this site, not {return_url!r}")
    if amount_cents <= 0:
        raise ValueError("amount_cents must be positive")
    payment_plugin = plugin_for(plugin)
    with transaction.atomic():
        # One start at a time per application: a concurrent double submit waits here, then finds ours.
        Application.objects.select_for_update().only("pk").get(pk=application.pk)
        if Payment.objects.filter(application=application, status=PaymentStatus.COMPLETED).exists():
            raise ApplicationAlreadyPaid(application.reference)
        existing = _open_payment(application, amount_cents)
        if existing is not None:
            return existing
        payment = Payment.objects.create(
            application=application,
            amount_cents=amount_cents,
            description=description[:255],
            plugin=payment_plugin.identifier,
            next_url=return_url,
            attempts=1,
        )
        return_address = _absolute(reverse("payments:return", args=[payment.public_id]), request)
        webhook_address = _absolute(reverse("payments:webhook", args=[payment_plugin.identifier]), request)
        try:
            checkout_url = payment_plugin.start(payment, return_url=return_address, webhook_url=webhook_address)
        except OutsideSystemUnavailable as exc:
            logger.warning("payment provider %s unavailable at start for %s: %s", payment.plugin, application, exc)
            raise PaymentProviderUnavailable(str(exc)) from exc
        payment.checkout_url = checkout_url
        payment.last_checked_at = payment.updated_at = timezone.now()
        payment.save(update_fields=["provider_payment_id", "checkout_url", "last_checked_at", "updated_at"])
        audit_record(
            actor=SYSTEM,
            action=AuditAction.PAYMENT_STARTED,
            subject_type="application",
            subject_id=application.reference,
            data={
                "payment": str(payment.public_id),
                "plugin": payment.plugin,
                "provider_payment_id": payment.provider_payment_id,
                "amount_cents": amount_cents,
            },
        )
    return payment


def payment_refresh(*, payment_id: int, source: str) -> Payment:
    """Ask the provider for the status of payment ``payment_id`` and apply it.

    ``source`` is ``"return"``, ``"webhook"`` or ``"reconcile"`` (kept in the audit trail). Never uses
    a status from a request. Raises ``PaymentProviderUnavailable`` when the provider does not answer
    (the attempt is counted; reconciliation asks again later).
    """
    if source not in SOURCES_OF_REFRESH:
        raise ValueError(f"unknown refresh source {source!r}")
    payment = Payment.objects.get(pk=payment_id)
    if payment.status in FINAL or not payment.provider_payment_id:
        return payment
    now = timezone.now()
    try:
        provider_status = plugin_for(payment.plugin).fetch_status(payment)
    except (OutsideSystemUnavailable, PluginNotAvailable) as exc:
        Payment.objects.filter(pk=payment.pk).update(
            attempts=F("attempts") + 1, last_checked_at=now, last_error=str(exc)[:255], updated_at=now
        )
        logger.warning("payment %s: status not fetched (%s): %s", payment.public_id, source, exc)
        raise PaymentProviderUnavailable(str(exc)) from exc
    Payment.objects.filter(pk=payment.pk).update(attempts=F("attempts") + 1, last_checked_at=now, last_error="")
    _apply(payment, provider_status, source)
    payment.refresh_from_db()
    return payment


def _apply(payment: Payment, target: str, source: str) -> bool:
    """Move ``payment`` to ``target`` if that is forward from where the row is now. True if it moved."""
    if target == payment.status or target not in SOURCES:
        return False
    now = timezone.now()
    updates = {"status": target, "updated_at": now}
    if target == PaymentStatus.COMPLETED:
        updates["completed_at"] = now
    try:
        with transaction.atomic():
            changed = Payment.objects.filter(pk=payment.pk, status__in=SOURCES[target]).update(**updates)
            if not changed:
                return False  # another refresh moved it already, or the target lies behind the current status
            payment.refresh_from_db()
            _audit_transition(payment, source)
            if target == PaymentStatus.COMPLETED:
                payment_completed.send(sender=Payment, payment=payment)
    except IntegrityError:
        # The application already has another completed payment: the payer paid twice. Keep this one
        # open and visible for a refund instead of breaking the one-payment rule.
        message = "paid, but the application was already paid by another payment: refund needed"
        Payment.objects.filter(pk=payment.pk).update(last_error=message, updated_at=now)
        logger.error("payment %s: %s", payment.public_id, message)
        return False
    return True


def _audit_transition(payment: Payment, source: str) -> None:
    if payment.status == PaymentStatus.COMPLETED:
        action = AuditAction.PAYMENT_COMPLETED
    elif payment.status in FINAL:
        action = AuditAction.PAYMENT_FAILED
    else:
        return
    audit_record(
        actor=SYSTEM,
        action=action,
        subject_type="application",
        subject_id=payment.application.reference,
        data={"payment": str(payment.public_id), "status": payment.status, "source": source},
    )


def payment_webhook_received(*, plugin_id: str, provider_payment_id: str) -> Payment | None:
    """A provider says something changed about ``provider_payment_id``: fetch and apply its status.

    Returns None for a payment we do not know (a guess, or another system's): nothing is fetched.
    """
    payment = Payment.objects.filter(plugin=plugin_id, provider_payment_id=provider_payment_id).first()
    if payment is None or not provider_payment_id:
        logger.info("webhook of %s for unknown payment %r ignored", plugin_id, provider_payment_id)
        return None
    return payment_refresh(payment_id=payment.pk, source="webhook")


def payments_reconcile(*, limit: int = 500) -> dict[str, int]:
    """Ask the provider again about payments open longer than ``PAYMENT_RECONCILE_AFTER_SECONDS``.

    Each payment is asked about at most once per that period (``last_checked_at``), and two runs at
    the same time share the work (SKIP LOCKED). Returns counts of what was found.
    """
    now = timezone.now()
    threshold = now - timedelta(seconds=settings.PAYMENT_RECONCILE_AFTER_SECONDS)
    with transaction.atomic():
        ids = list(
            Payment.objects.select_for_update(skip_locked=True)
            .filter(status__in=OPEN, created_at__lte=threshold)
            .exclude(last_checked_at__gt=threshold)
            .exclude(provider_payment_id="")
            .order_by("created_at")
            .values_list("pk", flat=True)[:limit]
        )
        Payment.objects.filter(pk__in=ids).update(last_checked_at=now)
    counts = {"checked": len(ids), "changed": 0, "unavailable": 0}
    for payment_id in ids:
        before = Payment.objects.values_list("status", flat=True).get(pk=payment_id)
        try:
            after = payment_refresh(payment_id=payment_id, source="reconcile").status
        except PaymentProviderUnavailable:
            counts["unavailable"] += 1
            continue
        counts["changed"] += after != before
    return counts
