from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("<uuid:public_id>/terug/", views.payment_return, name="return"),
    path("webhook/<slug:plugin>/", views.webhook, name="webhook"),
    path("demo/<slug:provider_id>/", views.demo_bank, name="demo-bank"),
]
