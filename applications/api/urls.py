from django.urls import path

from .views import ApplicationCreateApi, ApplicationDetailApi

app_name = "api-v1"

urlpatterns = [
    path("applications/", ApplicationCreateApi.as_view(), name="application-create"),
    path("applications/<str:reference>/", ApplicationDetailApi.as_view(), name="application-detail"),
]
