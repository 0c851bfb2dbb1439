from django.urls import include, path

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from screening.verify_views import CertificateVerifyApi
from servicestatus import views as status_views

from . import health, metrics, views
from .admin import reference_admin

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics_view, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("justis.login.urls")),
    path("medewerkers/", include("justis.login.staff_urls")),
    path("", include("applications.portals.urls")),
    path("balie/", include("applications.counter.urls")),
    path("backoffice/papier/", include("applications.paper.urls")),
    path("beoordeling/signalen/", include("continuous.urls")),
    path("beheer/storingen/", include("servicestatus.urls")),
    path("beheer/dashboard/", include("applications.dashboard_urls")),
    path("status/", status_views.status_page, name="status"),
    path("status.json", status_views.status_json, name="status-json"),
    path("beheer/continu-screenen/", include("continuous.admin_urls")),
    path("beheer/berichtsjablonen/", include("notifications.admin_urls")),
    path("beheer/berichten/", include("notifications.operator_urls")),
    path("beheer/audittrail/", include("justis.audit_urls")),
    path("beoordeling/", include("screening.workbench.urls")),
    path("controleren/", include("screening.verify_urls")),
    path("api/v1/certificates/verify/<str:code>/", CertificateVerifyApi.as_view(), name="api-certificate-verify"),
    path("api/v1/", include("applications.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script from ?script instead of inline (Content Security Policy).
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
    path("betalen/", include("payments.urls")),
    path("beheer/", reference_admin.urls),
]

handler400 = "justis.views.bad_request"
handler500 = "justis.views.server_error"
