from django.urls import path

from . import dashboard_views

app_name = "dashboard"

urlpatterns = [
    path("", dashboard_views.overview, name="overview"),
    path("voortgang.json", dashboard_views.progress, name="progress"),
]
