"""The administration of reference data for functional administrators, at /beheer/.

Access is decided by ``justis.login.access.functional_admin_allowed`` (the group and two factors),
not by Django's staff flag and model permissions; the login is the staff login. Reference data with
history is not deleted: a version is ended by its "valid to" date and a new version added.

Every save is kept as well (django-simple-history): the history page of a row lists its versions with
who saved them, when, the reason they gave (required on every form) and what changed; each version can
be opened read-only. The same changes go to the audit trail. Reverting from the history is off: a
correction is a new save with its own reason.
"""

from datetime import date

from django import forms
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from simple_history.admin import SimpleHistoryAdmin

from justis.login.access import STAFF_LOGIN_URL, functional_admin_allowed
from justis.reference_history import changes_between


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


class ReferenceDataForm(forms.ModelForm):
    """Every reference data form asks why: the reason is kept with the version and in the audit trail."""

    change_reason = forms.CharField(
        label=_("Reason for this change"),
        max_length=100,
        help_text=_("For example the decision or publication it follows. Kept with this version."),
    )


class ReferenceDataAdmin(SimpleHistoryAdmin):
    """View, add and change for functional administrators; never delete (history is kept)."""

    form = ReferenceDataForm
    object_history_template = "admin/reference_history.html"
    object_history_form_template = "admin/reference_version.html"

    def get_fields(self, request, obj=None):
        fields = [field for field in super().get_fields(request, obj) if field != "change_reason"]
        return [*fields, "change_reason"]

    def revert_disabled(self, request, obj=None):
        return True

    def history_view_title(self, request, obj):
        return _("History of %(object)s") % {"object": obj}

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """What each listed version changed against the version before it (also across pages)."""
        for record in historical_records:
            record.shown_changes = _shown_changes(self.model, record, record.prev_record)

    def save_model(self, request, obj, form, change):
        obj._change_reason = form.cleaned_data.get("change_reason", "")
        super().save_model(request, obj, form, change)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """One version, read-only: every field as it was, and what this save changed."""
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        request.current_app = self.admin_site.name
        obj = get_object_or_404(self.model, pk=object_id)
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        record = get_object_or_404(obj.history.all(), history_id=version_id)
        version = record.instance
        fields = _version_fields(self.model, version)
        changes = _shown_changes(self.model, record, record.prev_record)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Version of %(object)s") % {"object": version},
            "opts": self.model._meta,
            "original": obj,
            "record": record,
            "fields": fields,
            "changes": changes,
        }
        return TemplateResponse(request, self.object_history_form_template, context)

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

        record = obj.history.first()
        audit_record(
            actor=Actor.user(request.user),
            action=AuditAction.REFERENCE_DATA_CHANGED,
            subject_type=obj._meta.label_lower,
            subject_id=str(obj.pk),
            reason=what,
            data={
                "object": str(obj)[:200],
                "version": record.history_id if record else None,
                "change_reason": getattr(obj, "_change_reason", ""),
                "changes": changes_between(record, record.prev_record) if record else {},
            },
        )

    def log_addition(self, request, obj, message):
        self._audit(request, obj, "added")
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._audit(request, obj, "changed")
        return super().log_change(request, obj, message)


reference_admin = ReferenceDataAdminSite(name="reference_admin")


def _shown(field, value) -> object:
    """A value as an administrator reads it: the choice's label, a Dutch date, a dash for nothing."""
    if value is None or value == "":
        return "—"
    if field.flatchoices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    return value


def _version_fields(model, version) -> list[tuple[str, object]]:
    return [
        (field.verbose_name, _shown(field, getattr(version, field.attname)))
        for field in model._meta.concrete_fields
        if not field.primary_key
    ]


def _shown_changes(model, record, previous) -> list[tuple[str, object, object]]:
    if previous is None:
        return []
    rows = []
    for change in record.diff_against(previous).changes:
        field = model._meta.get_field(change.field)
        rows.append((field.verbose_name, _shown(field, change.old), _shown(field, change.new)))
    return rows
