"""Justis back office: paper forms (VOG RP, GVA) and applications of persons not registered in the Netherlands."""

from django.urls import path

from . import views

app_name = "paper"

urlpatterns = [
    path("", views.paper_list, name="list"),
    path("nieuw/rni/", views.paper_new_rni, name="new-rni"),
    path("nieuw/vog-rp/", views.paper_new_vog_rp, name="new-vog-rp"),
    path("nieuw/gva/", views.paper_new_gva, name="new-gva"),
    path("<str:reference>/", views.paper_detail, name="detail"),
    path("<str:reference>/documenten/<int:document_id>/", views.paper_document, name="document"),
]
