"""Render form fields accessibly: descriptions and errors tied to the input, NL Design System classes."""

from django import forms, template

register = template.Library()

_CLASSES = {
    forms.Textarea: "utrecht-textarea",
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input",
    forms.RadioSelect: "utrecht-radio-button utrecht-radio-button--html-input",
    forms.CheckboxSelectMultiple: "utrecht-checkbox utrecht-checkbox--html-input",
}


@register.filter
def accessible(bound_field):
    """The widget of ``bound_field`` with aria-describedby/aria-invalid and the component class."""
    widget = bound_field.field.widget
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}-help")
    if bound_field.errors:
        described_by.append(f"{bound_field.auto_id}-error")
    attrs = {
        "class": next(
            (c for w, c in _CLASSES.items() if isinstance(widget, w)), "utrecht-textbox utrecht-textbox--html-input"
        )
    }
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
    if bound_field.field.required and not isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
        attrs["required"] = True
    return bound_field.as_widget(attrs=attrs)


@register.filter
def is_choice_group(bound_field) -> bool:
    return isinstance(bound_field.field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple))


@register.filter
def is_checkbox(bound_field) -> bool:
    return isinstance(bound_field.field.widget, forms.CheckboxInput)
