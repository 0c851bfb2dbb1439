from django.urls import path

from . import admin_views

app_name = "continuous-admin"

urlpatterns = [
    path("", admin_views.enrolments, name="enrolments"),
    path("nieuw/", admin_views.enrolment_new, name="enrolment-new"),
    path("<int:pk>/", admin_views.enrolment_detail, name="enrolment"),
    path("<int:pk>/koppelen/", admin_views.link_new, name="link"),
    path("<int:pk>/ontkoppelen/<int:link_pk>/", admin_views.unlink, name="unlink"),
    path("<int:pk>/beeindigen/", admin_views.end, name="end"),
]
