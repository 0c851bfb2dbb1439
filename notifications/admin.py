"""The wordings of the messages as reference data (/beheer/notifications/messagetemplate/): functional
administrators add a version of an event's e-mail or SMS from a date, with the reason, history and audit trail
of every reference table (``justis.admin``). The add form starts from the wording in force
(``?event=…&channel=…``); a saved version shows its text rendered for the sample application.
"""

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from justis.admin import ReferenceDataAdmin, ReferenceDataForm, reference_admin

from .models import MessageTemplate, TemplateChannel, template_event_choices


class MessageTemplateForm(ReferenceDataForm):
    class Meta:
        widgets = {
            "subject": forms.TextInput(attrs={"size": 100}),
            "body": forms.Textarea(attrs={"rows": 24, "cols": 100}),
        }


@admin.register(MessageTemplate, site=reference_admin)
class MessageTemplateAdmin(ReferenceDataAdmin):
    form = MessageTemplateForm
    list_display = ("event", "channel", "valid_from", "valid_to", "subject")
    list_filter = ("channel", "event")
    search_fields = ("event", "subject", "body")
    ordering = ("event", "channel", "valid_from")
    fields = ("event", "channel", "valid_from", "valid_to", "subject", "body", "preview")
    readonly_fields = ("preview",)

    def get_changeform_initial_data(self, request):
        """``?event=…&channel=…`` fills in the wording in force today: the latest version, else the files."""
        from .templates_in_force import file_text, template_in_force

        initial = super().get_changeform_initial_data(request)
        event, channel = initial.get("event"), initial.get("channel")
        if event in {name for name, _label in template_event_choices()} and channel in TemplateChannel.values:
            in_force = template_in_force(event, channel, timezone.localdate())
            subject, body = (in_force.subject, in_force.body) if in_force else file_text(event, channel)
            initial.setdefault("subject", subject.strip() if channel == TemplateChannel.EMAIL else "")
            initial.setdefault("body", body)
        return initial

    @admin.display(description=_("Preview for a sample application"))
    def preview(self, obj):
        if obj is None or obj.pk is None:
            return _("Shown once the version is saved.")
        return format_html_join(
            "",
            '<div class="message-template-preview"><h3>{}</h3><p>{}</p><pre>{}</pre><p>{}</p></div>',
            preview_samples(obj),
        ) or format_html("")


def preview_samples(version) -> list[tuple[str, str, str, str]]:
    """``version`` rendered for each sample message of its event: (variant, subject, text, length)."""
    from .channels import sms_render
    from .messages import sample_messages, sample_variant
    from .services import outbox_render

    rows = []
    for message in sample_messages(version.event):
        if version.channel == TemplateChannel.SMS:
            subject, body = "", sms_render(message, version=version)
        else:
            subject, body = outbox_render(message, version=version)
        length = _("%(count)s characters") % {"count": len(body)}
        rows.append((sample_variant(message) or version.event, subject, body, length))
    return rows
