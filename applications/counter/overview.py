"""The municipality's overview and daily report (being built)."""

from django.http import HttpResponse

from justis.login.access import clerk_required


@clerk_required
def overview(request):
    return HttpResponse("overview")


@clerk_required
def report(request):
    return HttpResponse("report")


@clerk_required
def report_csv(request):
    return HttpResponse("report csv")
