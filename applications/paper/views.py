"""Paper applications entered by Justis staff (being built)."""

from django.http import HttpResponse

from justis.login.access import intake_officer_required


@intake_officer_required
def paper_list(request):
    return HttpResponse("paper")
