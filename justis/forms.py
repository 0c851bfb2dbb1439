"""Form rendering: every Django form renders through the NL Design System partials.

``FORM_RENDERER`` points here, so ``{{ form }}`` renders ``components/form.html`` and
``{{ form.field.as_field_group }}`` renders ``components/form_field.html``. Templates can also
include them directly: ``{% include "components/form.html" with form=form %}``.
"""

from django.forms.renderers import TemplatesSetting


class JustisFormRenderer(TemplatesSetting):
    """Looks templates up like the project does (``templates/`` first), with our partials."""

    form_template_name = "components/form.html"
    field_template_name = "components/form_field.html"
