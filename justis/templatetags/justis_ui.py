"""Template helpers for the partials in ``templates/components/`` (see docs/frontend.md)."""

from django import forms, template
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

register = template.Library()

# --- Form fields ---------------------------------------------------------------------------

TEXTBOX_TYPES = {"text", "email", "number", "password", "tel", "url", "search", "date", "datetime-local", "time"}
KIND_CLASSES = {
    "textbox": ("utrecht-textbox utrecht-textbox--html-input", "utrecht-textbox--invalid"),
    "textarea": ("utrecht-textarea utrecht-textarea--html-textarea", "utrecht-textarea--invalid"),
    "select": ("utrecht-select utrecht-select--html-select", "utrecht-select--invalid"),
    "checkbox": (
        "utrecht-checkbox utrecht-custom-checkbox utrecht-custom-checkbox--html-input",
        "utrecht-custom-checkbox--invalid",
    ),
    "radio": ("utrecht-radio-button utrecht-radio-button--html-input", ""),
    "file": ("utrecht-textbox utrecht-textbox--html-input", "utrecht-textbox--invalid"),
}


@register.filter
def field_kind(field) -> str:
    """What a bound field is, for the partials: hidden, checkbox, choices, textarea, select, textbox, file, other."""
    widget = field.field.widget
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "choices"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, forms.widgets.Input) and widget.input_type in TEXTBOX_TYPES:
        return "textbox"
    return "other"


def _classes(kind: str, field, existing: str = "") -> str:
    base, invalid = KIND_CLASSES.get(kind, ("", ""))
    return " ".join(part for part in (existing, base, invalid if field.errors else "") if part)


@register.filter
def described_by(field) -> str:
    """The ids of the field's description and error list, for aria-describedby."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    return " ".join(ids)


@register.simple_tag
def field_widget(field, **extra_attrs):
    """The field's input with the component classes, aria-describedby and aria-invalid.

    Extra attributes pass through: ``{% field_widget field autocomplete="email" %}``.
    """
    kind = field_kind(field)
    attrs = {"class": _classes(kind, field, field.field.widget.attrs.get("class", ""))}
    if kind != "choices":
        if described := described_by(field):
            attrs["aria-describedby"] = described
        if field.errors:
            attrs["aria-invalid"] = "true"
        if field.field.required and kind != "hidden":
            attrs["aria-required"] = "true"
    attrs.update({key.replace("_", "-"): value for key, value in extra_attrs.items()})
    return field.as_widget(attrs=attrs)


@register.simple_tag
def choice_groups(field):
    """The options of a radio or checkbox group, by option group (e.g. functieaspecten by risk area).

    ``[{"label": "8. Personen" or None, "options": [{"input": <input …>, "id": …, "label": …}, …]}, …]``
    """
    widget = field.field.widget
    kind = "radio" if widget.input_type == "radio" else "checkbox"  # CheckboxSelectMultiple extends RadioSelect
    base_attrs = {**widget.attrs, "id": field.auto_id}
    groups = []
    for group_label, options, _index in widget.optgroups(
        field.html_name, widget.format_value(field.value()), base_attrs
    ):
        rendered = []
        for data in options:
            attrs = {**data["attrs"], "class": _classes(kind, field)}
            attrs.pop("aria-describedby", None)  # the fieldset carries it
            if data.get("selected"):
                attrs["checked"] = True
            html = format_html(
                '<input type="{}" name="{}" value="{}"{}>', data["type"], data["name"], data["value"], flatatt(attrs)
            )
            rendered.append({"input": html, "id": attrs.get("id", ""), "label": data["label"]})
        groups.append({"label": group_label, "options": rendered})
    return groups


# --- Alerts --------------------------------------------------------------------------------

ALERT_TYPES = {"info", "ok", "warning", "error"}
ALERT_ALIASES = {"success": "ok", "debug": "info", "danger": "error"}
ALERT_LABELS = {"info": _("Information"), "ok": _("Done"), "warning": _("Warning"), "error": _("Error")}
ALERT_ICONS = {"info": "i", "ok": "✓", "warning": "!", "error": "✕"}


@register.simple_tag
def alert_props(kind: str | None) -> dict:
    """Type, role, label and icon of an alert; ``kind`` is info, ok, warning or error (or a Django message level)."""
    kind = ALERT_ALIASES.get(kind or "info", kind or "info")
    if kind not in ALERT_TYPES:
        kind = "info"
    role = "alert" if kind in {"warning", "error"} else "status"
    return {"type": kind, "role": role, "label": ALERT_LABELS[kind], "icon": ALERT_ICONS[kind]}


# --- Stage tracker -------------------------------------------------------------------------

APPLICATION_STAGES = [
    ("received", _("Received")),
    ("records_checked", _("Records checked")),
    ("assessing", _("Being assessed")),
    ("decided", _("Decided")),
    ("sent", _("Sent")),
]
STAGE_STATES = {"done": _("done"), "current": _("current step"), "upcoming": _("not started yet")}


@register.simple_tag
def stage_items(current: str, stages=None) -> list[dict]:
    """The stages with their state (done, current, upcoming) and the words that say it.

    ``stages`` is a list of ``(key, label)`` pairs; by default the stages of an application.
    ``current`` is the key of the current stage; an unknown key marks every stage upcoming,
    and ``"all_done"`` marks every stage done.
    """
    stages = list(stages or APPLICATION_STAGES)
    keys = [key for key, _label in stages]
    position = len(keys) if current == "all_done" else keys.index(current) if current in keys else -1
    items = []
    for index, (key, label) in enumerate(stages):
        if position < 0 or index > position:
            state = "upcoming"
        elif index < position:
            state = "done"
        else:
            state = "current"
        items.append({"key": key, "label": label, "state": state, "state_label": STAGE_STATES[state]})
    return items


@register.filter
def iso_readable(value):
    """An ISO date ("2026-12-06") or date-time ("2026-12-06T23:49:16+01:00") as the reader's own date (and time)."""
    from django.template.defaultfilters import date as date_format
    from django.utils import timezone
    from django.utils.dateparse import parse_date, parse_datetime

    if not value:
        return ""
    if "T" in str(value):
        moment = parse_datetime(str(value))
        return date_format(timezone.localtime(moment), "j F Y H:i") if moment else value
    day = parse_date(str(value))
    return date_format(day, "j F Y") if day else value
