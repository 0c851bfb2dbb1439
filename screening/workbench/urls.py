from django.urls import path

from . import views

app_name = "workbench"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("zaken/<str:reference>/", views.case, name="case"),
    path("zaken/<str:reference>/afgeven/", views.grant, name="grant"),
    path("zaken/<str:reference>/voornemen-weigering/", views.refuse, name="refuse"),
    path("zaken/<str:reference>/oppakken/", views.claim, name="claim"),
    path("zaken/<str:reference>/vrijgeven/", views.release, name="release"),
]
