from django.urls import path

from . import views

BULK = "organisatie/meerdere-klaarzetten/"

urlpatterns = [
    path("organisatie/", views.organisation_requests, name="organisation-requests"),
    path("organisatie/aanvraag-klaarzetten/", views.organisation_prepare, name="organisation-prepare"),
    path("organisatie/meerdere-klaarzetten/", views.organisation_bulk, name="organisation-bulk"),
    path(
        "organisatie/meerdere-klaarzetten/<int:upload_id>/",
        views.organisation_bulk_detail,
        name="organisation-bulk-detail",
    ),
    path(
        "organisatie/meerdere-klaarzetten/<int:upload_id>/voortgang/",
        views.organisation_bulk_status,
        name="organisation-bulk-status",
    ),
    path(
        "organisatie/meerdere-klaarzetten/<int:upload_id>/verslag.csv",
        views.organisation_bulk_report,
        name="organisation-bulk-report",
    ),
    path("aanvraag/", views.invitation_start, name="invitation-start"),
    path("aanvraag/aanvullen/", views.invitation_complete, name="invitation-complete"),
    path("aanvraag/<str:code>/", views.invitation_start, name="invitation-link"),
    path("mijnjustis/", views.mijnjustis_home, name="mijnjustis"),
    # Before the pages of one application: "mijn-gegevens" is never a reference.
    path("mijnjustis/mijn-gegevens/", views.mijnjustis_my_data, name="mijnjustis-my-data"),
    path("mijnjustis/mijn-gegevens/overzicht/", views.mijnjustis_my_data_summary, name="mijnjustis-my-data-summary"),
    path("mijnjustis/mijn-gegevens/mijn-gegevens.json", views.mijnjustis_my_data_json, name="mijnjustis-my-data-json"),
    path("mijnjustis/<str:reference>/", views.mijnjustis_detail, name="mijnjustis-detail"),
    path("mijnjustis/<str:reference>/betalen/", views.mijnjustis_pay, name="mijnjustis-pay"),
    path("mijnjustis/<str:reference>/zienswijze/", views.mijnjustis_zienswijze, name="mijnjustis-zienswijze"),
    path("mijnjustis/<str:reference>/bezwaar/", views.mijnjustis_objection, name="mijnjustis-objection"),
    path("mijnjustis/<str:reference>/intrekken/", views.mijnjustis_withdraw, name="mijnjustis-withdraw"),
    path("mijnjustis/<str:reference>/verklaring.pdf", views.mijnjustis_certificate, name="mijnjustis-certificate"),
    path("mijnjustis/<str:reference>/brieven/<int:letter_id>.pdf", views.mijnjustis_letter, name="mijnjustis-letter"),
]
