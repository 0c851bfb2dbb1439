from django import forms
from django.utils.translation import gettext_lazy as _

from .plugins.demo import BANKS


class DemoBankForm(forms.Form):
    """The demo bank's page: choose a bank, then pay or cancel."""

    PAY, CANCEL = "pay", "cancel"

    bank = forms.ChoiceField(label=_("Choose your bank"), choices=BANKS, widget=forms.RadioSelect, required=False)
    action = forms.ChoiceField(choices=[(PAY, _("Pay")), (CANCEL, _("Cancel"))])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == self.PAY and not cleaned.get("bank"):
            self.add_error("bank", _("Choose your bank to pay."))
        return cleaned
