"""The counter intake screen (being built)."""

from django.http import HttpResponse

from justis.login.access import clerk_required


@clerk_required
def intake(request):
    return HttpResponse("counter intake")
