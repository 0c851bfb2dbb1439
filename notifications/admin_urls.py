from django.urls import path

from . import admin_views

app_name = "notifications-admin"

urlpatterns = [
    path("", admin_views.message_templates, name="templates"),
]
