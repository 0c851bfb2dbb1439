from django.urls import path

from . import views

urlpatterns = [
    path("organisatie/", views.organisation_requests, name="organisation-requests"),
    path("organisatie/aanvraag-klaarzetten/", views.organisation_prepare, name="organisation-prepare"),
    path("aanvraag/", views.invitation_start, name="invitation-start"),
    path("aanvraag/aanvullen/", views.invitation_complete, name="invitation-complete"),
    path("aanvraag/<str:code>/", views.invitation_start, name="invitation-link"),
    path("mijnjustis/", views.mijnjustis_home, name="mijnjustis"),
    path("mijnjustis/<str:reference>/", views.mijnjustis_detail, name="mijnjustis-detail"),
    path("mijnjustis/<str:reference>/betalen/", views.mijnjustis_pay, name="mijnjustis-pay"),
    path("mijnjustis/<str:reference>/zienswijze/", views.mijnjustis_zienswijze, name="mijnjustis-zienswijze"),
    path("mijnjustis/<str:reference>/intrekken/", views.mijnjustis_withdraw, name="mijnjustis-withdraw"),
    path("mijnjustis/<str:reference>/verklaring.pdf", views.mijnjustis_certificate, name="mijnjustis-certificate"),
]
