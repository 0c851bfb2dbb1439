from django.urls import path

from . import views

app_name = "servicestatus"

urlpatterns = [
    path("", views.incident_list, name="list"),
    path("nieuw/", views.incident_new, name="new"),
    path("<int:pk>/", views.incident_detail, name="detail"),
    path("<int:pk>/bijwerken/", views.incident_add_update, name="update"),
    path("<int:pk>/afsluiten/", views.incident_close, name="resolve"),
]
