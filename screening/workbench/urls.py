from django.urls import path

from . import objection_views, refusal_views, views

app_name = "workbench"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("zaken/<str:reference>/", views.case, name="case"),
    path("zaken/<str:reference>/afgeven/", views.grant, name="grant"),
    path("zaken/<str:reference>/voornemen-weigering/", views.refuse, name="refuse"),
    path("zaken/<str:reference>/zienswijze/", refusal_views.register_view, name="register-view"),
    path("zaken/<str:reference>/weigering-voorstellen/", refusal_views.propose_refusal, name="propose-refusal"),
    path("zaken/<str:reference>/weigering-akkoord/", refusal_views.approve_refusal, name="approve-refusal"),
    path("zaken/<str:reference>/weigering-terugsturen/", refusal_views.send_back_refusal, name="send-back-refusal"),
    path("zaken/<str:reference>/oppakken/", views.claim, name="claim"),
    path("zaken/<str:reference>/vrijgeven/", views.release, name="release"),
    path("bezwaren/", objection_views.objections, name="objections"),
    path("bezwaren/registreren/", objection_views.objection_new, name="objection-new"),
    path("bezwaren/<int:objection_id>/", objection_views.objection, name="objection"),
    path("bezwaren/<int:objection_id>/hoorzitting/", objection_views.objection_hearing, name="objection-hearing"),
    path("bezwaren/<int:objection_id>/beslissen/", objection_views.objection_decision, name="objection-decision"),
]
