"""Reads of payments for views and other apps."""

from __future__ import annotations

from .models import Payment, PaymentStatus


def payment_by_public_id(public_id) -> Payment | None:
    return Payment.objects.select_related("application").filter(public_id=public_id).first()


def application_is_paid(application) -> bool:
    return Payment.objects.filter(application=application, status=PaymentStatus.COMPLETED).exists()


def payments_of_application(application) -> list[Payment]:
    return list(Payment.objects.filter(application=application).order_by("-created_at", "-id"))
