from django.urls import path

from . import verify_views

urlpatterns = [
    path("", verify_views.verify_page, name="verify"),
    path("<str:code>/", verify_views.verify_code_page, name="verify-code"),
]
