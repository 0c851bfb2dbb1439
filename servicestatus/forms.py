from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ChannelState, ServiceChannel


def _text(label, *, max_length=2000, help_text=""):
    return forms.CharField(
        label=label, max_length=max_length, help_text=help_text, widget=forms.Textarea(attrs={"rows": 4})
    )


class ChannelsMixin:
    """One select per channel of the service: operational, disrupted or down."""

    def add_channel_fields(self, current: dict[str, str] | None = None):
        for channel in ServiceChannel:
            self.fields[f"channel_{channel.value}"] = forms.ChoiceField(
                label=channel.label,
                choices=ChannelState.choices,
                initial=(current or {}).get(channel.value, ChannelState.OPERATIONAL),
            )

    def channel_field_names(self):
        return [f"channel_{channel.value}" for channel in ServiceChannel]

    def clean_channels(self) -> dict[str, str]:
        affected = {
            channel.value: self.cleaned_data[f"channel_{channel.value}"]
            for channel in ServiceChannel
            if self.cleaned_data.get(f"channel_{channel.value}") not in (None, ChannelState.OPERATIONAL)
        }
        if not affected and f"channel_{ServiceChannel.DIGITAL_APPLICATIONS.value}" not in self.errors:
            self.add_error(
                f"channel_{ServiceChannel.DIGITAL_APPLICATIONS.value}",
                _("Choose at least one channel that is disrupted or down."),
            )
        return affected

    def clean_expected_end_at(self):
        moment = self.cleaned_data.get("expected_end_at")
        if moment and moment <= timezone.now():
            raise forms.ValidationError(_("The expected end must be in the future."))
        return moment


def _expected_end():
    return forms.DateTimeField(
        label=_("Expected end"),
        required=False,
        help_text=_("Optional. Date and time, for example 24-11-2026 14:00."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class IncidentOpenForm(ChannelsMixin, forms.Form):
    title_nl = forms.CharField(label=_("Title (Dutch)"), max_length=120)
    title_en = forms.CharField(label=_("Title (English)"), max_length=120)
    text_nl = _text(_("Explanation (Dutch)"), help_text=_("What does not work, and what can people do?"))
    text_en = _text(_("Explanation (English)"))
    expected_end_at = _expected_end()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_channel_fields()

    def clean(self):
        cleaned = super().clean()
        cleaned["channels"] = self.clean_channels()
        return cleaned


class IncidentUpdateForm(ChannelsMixin, forms.Form):
    text_nl = _text(_("Update (Dutch)"))
    text_en = _text(_("Update (English)"))
    expected_end_at = _expected_end()

    def __init__(self, *args, current_channels=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_channel_fields(current_channels)

    def clean(self):
        cleaned = super().clean()
        cleaned["channels"] = self.clean_channels()
        return cleaned


class IncidentResolveForm(forms.Form):
    resolve_text_nl = _text(_("Closing message (Dutch)"), help_text=_("For example: everything works again."))
    resolve_text_en = _text(_("Closing message (English)"))
