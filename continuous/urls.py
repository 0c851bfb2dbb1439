from django.urls import path

from . import views

app_name = "continuous"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:pk>/", views.signal_detail, name="signal"),
    path("<int:pk>/besluiten/", views.decide, name="decide"),
]
