from django.db import IntegrityError, transaction

import pytest

from payments.models import Payment, PaymentStatus

from .conftest import AFTER_PAYMENT

pytestmark = pytest.mark.django_db


def make(application, **fields) -> Payment:
    values = {
        "application": application,
        "amount_cents": 4495,
        "description": "VOG",
        "plugin": "demo",
        "next_url": AFTER_PAYMENT,
        **fields,
    }
    return Payment.objects.create(**values)


def refused(application, **fields) -> bool:
    try:
        with transaction.atomic():
            make(application, **fields)
    except IntegrityError:
        return True
    return False


def test_amount_must_be_positive_and_in_euros(application):
    assert refused(application, amount_cents=0)
    assert refused(application, currency="USD")
    assert not refused(application, amount_cents=1)


def test_provider_payment_id_is_unique_per_plugin(application):
    make(application, provider_payment_id="tr_1")
    assert refused(application, provider_payment_id="tr_1")
    assert not refused(application, provider_payment_id="tr_1", plugin="mollie")
    # Payments not yet known at the provider have no id: any number of them.
    assert not refused(application)
    assert not refused(application)


def test_at_most_one_completed_payment_per_application(application):
    make(application, status=PaymentStatus.COMPLETED)
    assert refused(application, status=PaymentStatus.COMPLETED)
    assert not refused(application, status=PaymentStatus.FAILED)


def test_unknown_status_is_refused(application):
    assert refused(application, status="refunded")


def test_amount_text_has_two_decimals(application):
    assert make(application, amount_cents=4495).amount_text == "44.95"
    assert make(application, amount_cents=700).amount_text == "7.00"
    assert make(application, amount_cents=5).amount_text == "0.05"
