from django.urls import path

from .views import ApplicationByMunicipalNumberApi, ApplicationCreateApi, ApplicationDetailApi

app_name = "api-v1"

urlpatterns = [
    path("applications/", ApplicationCreateApi.as_view(), name="application-create"),
    path(
        "applications/by-municipal-number/<str:municipal_number>/",
        ApplicationByMunicipalNumberApi.as_view(),
        name="application-by-municipal-number",
    ),
    path("applications/<str:reference>/", ApplicationDetailApi.as_view(), name="application-detail"),
]
