from django import forms
from django.utils.translation import gettext_lazy as _


class DemoKvkLoginForm(forms.Form):
    kvk_number = forms.CharField(
        label=_("KvK number"),
        min_length=8,
        max_length=8,
        help_text=_("8 digits. Pick one of the demo organisations or type any KvK number."),
        error_messages={
            "required": _("Fill in the KvK number of the organisation."),
            "min_length": _("A KvK number has exactly 8 digits."),
            "max_length": _("A KvK number has exactly 8 digits."),
        },
    )

    def clean_kvk_number(self):
        value = self.cleaned_data["kvk_number"].strip()
        if not value.isdigit():
            raise forms.ValidationError(_("A KvK number has exactly 8 digits."))
        return value
