"""Signals of the payments app.

``payment_completed(sender=Payment, payment=payment)`` is sent exactly once per payment, inside the
transaction that marks it completed. A receiver that raises rolls that transaction back: the payment
stays open and the next refresh (return, webhook or reconciliation) tries again.
"""

from django.dispatch import Signal

payment_completed = Signal()
