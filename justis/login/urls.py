from django.conf import settings
from django.urls import include, path

from . import views

urlpatterns = [
    path("inloggen/", views.login_choice, name="login"),
    path("inloggen/eherkenning-demo/", views.demo_eherkenning, name="demo-eherkenning"),
    path("uitloggen/", views.logout, name="logout"),
    path("sessie/verlengen/", views.extend_session, name="extend-session"),
]

if settings.ENABLE_DEMO_LOGINS:
    urlpatterns += [
        # Before the mock's own "login": the start of a DigiD login goes through DigiD's breaker.
        path("digid/login/", views.digid_login, name="digid-login-guarded"),
        path("digid/", include("digid_eherkenning.mock.digid_urls")),
        path("digid/idp/", include("digid_eherkenning.mock.idp.digid_urls")),
    ]
else:
    from .csp import saml_urls

    urlpatterns += [
        # The packages' own pages, with a login start that may post to the identity provider (form-action).
        path("digid/", include(saml_urls("digid_eherkenning.digid_urls"))),
        path("eherkenning/", include(saml_urls("digid_eherkenning.eherkenning_urls"))),
    ]
