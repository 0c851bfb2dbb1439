"""The staff login under /medewerkers/, in the namespace "two_factor" that django-two-factor-auth reverses."""

from django.urls import path

from . import staff_views

app_name = "two_factor"

urlpatterns = [
    path("inloggen/", staff_views.StaffLoginView.as_view(), name="login"),
    path("authenticator/instellen/", staff_views.StaffSetupView.as_view(), name="setup"),
    path("authenticator/qr-code/", staff_views.StaffQRGeneratorView.as_view(), name="qr"),
    path("reservecodes/", staff_views.backup_codes, name="backup_tokens"),
]
