"""The administration of reference data for functional administrators, at /beheer/.

Access is decided by ``justis.login.access.functional_admin_allowed`` (the group and two factors),
not by Django's staff flag and model permissions; the login is the staff login. Reference data with
history is not deleted: a version is ended by its "valid to" date and a new version added.
"""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from justis.login.access import STAFF_LOGIN_URL, functional_admin_allowed


class ReferenceDataAdminSite(admin.AdminSite):
    site_header = _("Justis reference data")
    site_title = _("Justis reference data")
    index_title = _("Reference data")
    enable_nav_sidebar = False

    def has_permission(self, request):
        return functional_admin_allowed(request.user)

    def login(self, request, extra_context=None):
        user = request.user
        if user.is_authenticated and user.is_verified():
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next", request.get_full_path()), STAFF_LOGIN_URL)


class ReferenceDataAdmin(admin.ModelAdmin):
    """View, add and change for functional administrators; never delete (history is kept)."""

    def has_module_permission(self, request):
        return self.admin_site.has_permission(request)

    def has_view_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)

    def has_add_permission(self, request):
        return self.admin_site.has_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def _audit(self, request, obj, what: str) -> None:
        from justis.audit import Actor, audit_record
        from justis.models import AuditAction

        audit_record(
            actor=Actor.user(request.user),
            action=AuditAction.REFERENCE_DATA_CHANGED,
            subject_type=obj._meta.label_lower,
            subject_id=str(obj.pk),
            reason=what,
            data={"object": str(obj)[:200]},
        )

    def log_addition(self, request, obj, message):
        self._audit(request, obj, "added")
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._audit(request, obj, "changed")
        return super().log_change(request, obj, message)


reference_admin = ReferenceDataAdminSite(name="reference_admin")
