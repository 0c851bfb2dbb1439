import pytest

from justis.audit import Actor
from payments.models import Payment
from payments.signals import payment_completed
from tests.factories import received_application

DRILL = Actor.system("drill")
FEE_CENTS = 4495  # the VOG NP fee for the digital channel
AFTER_PAYMENT = "/aanvraag/klaar/"


@pytest.fixture
def application(reference_data):
    return received_application()


@pytest.fixture
def completed_signals():
    """The payments ``payment_completed`` was sent for, in order."""
    received: list[int] = []

    def receiver(sender, payment, **kwargs):
        assert sender is Payment
        received.append(payment.pk)

    payment_completed.connect(receiver, weak=False, dispatch_uid="tests.payments.receiver")
    yield received
    payment_completed.disconnect(dispatch_uid="tests.payments.receiver")
