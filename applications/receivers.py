"""Reactions to events of other apps, connected in ApplicationsConfig.ready()."""

from django.dispatch import receiver

from justis.audit import Actor
from payments.signals import payment_completed


@receiver(payment_completed, dispatch_uid="applications.payment_completed")
def _application_paid(sender, payment, **kwargs):
    """A completed payment makes a submitted application received: its statutory clock starts."""
    from .invitations import application_paid

    application_paid(application_id=payment.application_id, actor=Actor.system(f"payment {payment.plugin}"))
