"""Form rendering: every Django form renders through the NL Design System partials.

``FORM_RENDERER`` points here, so ``{{ form }}`` renders ``components/form.html`` and
``{{ form.field.as_field_group }}`` renders ``components/form_field.html``. Templates can also
include them directly: ``{% include "components/form.html" with form=form %}``.
"""

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

# Day first, as people in the Netherlands write a date; the ISO form for pasted values.
DATE_FORMATS = ["%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d"]


class JustisFormRenderer(TemplatesSetting):
    """Looks templates up like the project does (``templates/`` first), with our partials."""

    form_template_name = "components/form.html"
    field_template_name = "components/form_field.html"


def date_field(label, *, required: bool = False) -> forms.DateField:
    """A date typed as DD-MM-YYYY in a plain text field: a browser's date picker orders day and month by its
    own locale."""
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("DD-MM-YYYY, for example 17-05-1990."),
        error_messages={"invalid": _("Enter the date as DD-MM-YYYY, for example 17-05-1990.")},
    )
