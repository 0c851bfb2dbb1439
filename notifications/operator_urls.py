from django.urls import path

from . import operator_views

app_name = "operator-messages"

urlpatterns = [
    path("", operator_views.overview, name="overview"),
    path("<int:pk>/opnieuw/", operator_views.resend, name="resend"),
    path("geparkeerd/<str:channel>/opnieuw/", operator_views.resend_parked, name="resend-parked"),
]
