from django.urls import path

from . import intake, overview

app_name = "counter"

urlpatterns = [
    path("", intake.intake, name="intake"),
    path("doorgezet/<str:reference>/", intake.done, name="done"),
    path("aanvragen/", overview.overview, name="overview"),
    path("aanvragen/<str:municipal_number>/", overview.detail, name="detail"),
    path("rapport/", overview.report, name="report"),
    path("rapport.csv", overview.report_csv, name="report-csv"),
]
