"""Payment pages: the payer's return from the provider, the providers' webhook, the demo bank.

Thin: each view calls one service. The status always comes from the provider, never from the request.
"""

import logging
from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .forms import DemoBankForm
from .models import DemoProviderPayment, DemoProviderStatus, PaymentStatus
from .plugins.demo import demo_bank_decide, demo_enabled, demo_status
from .registry import PluginNotAvailable, plugin_for
from .selectors import payment_by_public_id
from .services import PaymentProviderUnavailable, payment_refresh, payment_webhook_received

logger = logging.getLogger(__name__)


@require_GET
def payment_return(request, public_id):
    """The payer is back from the provider: ask the provider how it went, then continue the application."""
    payment = payment_by_public_id(public_id)
    if payment is None:
        raise Http404
    try:
        payment = payment_refresh(payment_id=payment.pk, source="return")
    except PaymentProviderUnavailable:
        messages.warning(
            request,
            _(
                "We cannot check your payment with the payment provider right now. We keep checking; "
                "look again in a few minutes."
            ),
        )
    else:
        if payment.status == PaymentStatus.COMPLETED:
            messages.success(request, _("Thank you: your payment has been received."))
        elif payment.is_open:
            messages.info(request, _("Your payment is being processed. This page shows the result once it is known."))
        else:
            messages.warning(request, _("The payment was not completed. No money has been taken; you can try again."))
    safe = url_has_allowed_host_and_scheme(
        payment.next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(payment.next_url if safe else "/")


@csrf_exempt
@require_POST
def webhook(request, plugin):
    """A provider tells us a payment changed. Only its id is read; 200 for anything we handled or ignore."""
    try:
        payment_plugin = plugin_for(plugin)
    except PluginNotAvailable:
        raise Http404 from None
    provider_payment_id = payment_plugin.webhook_payment_id(request)
    if not provider_payment_id:
        return HttpResponse("id missing", status=400, content_type="text/plain")
    try:
        payment_webhook_received(plugin_id=payment_plugin.identifier, provider_payment_id=provider_payment_id)
    except PaymentProviderUnavailable:
        pass  # logged by the service; the reconciliation job asks again
    except Exception:
        # A 5xx makes providers retry for days; the payment stays open and reconciliation retries it.
        logger.exception("webhook of %s for %s failed", plugin, provider_payment_id)
    return HttpResponse("", status=200, content_type="text/plain")


@require_http_methods(["GET", "POST"])
def demo_bank(request, provider_id):
    """The demo bank's iDEAL page (development only)."""
    if not demo_enabled():
        raise Http404
    row = get_object_or_404(DemoProviderPayment, provider_id=provider_id)
    if demo_status(row) != DemoProviderStatus.OPEN:
        return redirect(row.return_url)  # finished already: the bank sends the payer back
    form = DemoBankForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        row = demo_bank_decide(
            provider_id=row.provider_id,
            pay=form.cleaned_data["action"] == DemoBankForm.PAY,
            bank=form.cleaned_data["bank"],
        )
        return redirect(row.return_url)
    amount = Decimal(row.amount_cents) / 100
    return render(
        request,
        "payments/demo_bank.html",
        {"form": form, "row": row, "amount": amount},
        status=400 if form.errors else 200,
    )
