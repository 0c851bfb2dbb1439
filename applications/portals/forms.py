"""Forms of the organisation portal and MijnJustis. Errors say which field and why, in the user's language."""

import uuid

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from screening.catalogue import CatalogueError, function_aspect_on, specific_profile_on
from screening.models import (
    OBJECTION_GROUNDS_MAX_LENGTH,
    OBJECTION_TEXT_MAX_LENGTH,
    ZIENSWIJZE_TEXT_MAX_LENGTH,
    FunctionAspect,
    SpecificProfile,
)

from ..invitations import invitation_code_normalise
from ..models import Delivery
from .uploads import ACCEPT, checked_upload


def _current(queryset):
    today = timezone.localdate()
    return queryset.filter(valid_from__lte=today).exclude(valid_to__lt=today)


def aspect_choices_by_area():
    """Functieaspecten valid today, grouped by risk area, with the catalogue's wording."""
    groups: dict[str, list] = {}
    for aspect in _current(FunctionAspect.objects.select_related("risk_area")).order_by("code"):
        area = f"{aspect.risk_area.number}. {aspect.risk_area.name_nl}"
        groups.setdefault(area, []).append((aspect.code, f"{aspect.code} – {aspect.text_nl}"))
    return list(groups.items())


def profile_choices():
    return [("", _("— choose a profile —"))] + [
        (profile.code, f"{profile.code} – {profile.name_nl}")
        for profile in _current(SpecificProfile.objects).order_by("code")
    ]


class PurposeForm(forms.Form):
    """What the certificate is for and what Justis screens on: the organisation's part of a request."""

    purpose_kind = forms.ChoiceField(
        label=_("Purpose"),
        choices=[("work", _("Work relation (employee, intern, volunteer)")), ("other", _("Another purpose"))],
        widget=forms.RadioSelect,
        initial="work",
    )
    position = forms.CharField(label=_("Position"), max_length=100, required=False)
    tasks = forms.CharField(label=_("Tasks"), max_length=100, required=False, help_text=_("At most 100 characters."))
    description = forms.CharField(
        label=_("Description of the purpose"),
        max_length=100,
        required=False,
        help_text=_("For another purpose, e.g. a visa or a licence. At most 100 characters."),
    )
    basis = forms.ChoiceField(
        label=_("Screening"),
        choices=[
            ("aspects", _("General screening profile: choose functieaspecten")),
            ("profile", _("A specific screening profile")),
        ],
        widget=forms.RadioSelect,
        initial="aspects",
    )
    functieaspecten = forms.MultipleChoiceField(
        label=_("Functieaspecten"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose every aspect that belongs to the position. Justis screens only on these."),
    )
    screening_profile = forms.ChoiceField(label=_("Specific screening profile"), required=False)
    is_free = forms.BooleanField(label=_("Free VOG for a volunteer"), required=False)
    save_as_default = forms.BooleanField(
        label=_("Remember this purpose and screening for the next request"), required=False
    )

    def __init__(self, *args, free_vog_allowed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["functieaspecten"].choices = aspect_choices_by_area()
        self.fields["screening_profile"].choices = profile_choices()
        if not free_vog_allowed:
            del self.fields["is_free"]

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        free = data.get("is_free")
        if not free:
            if data.get("purpose_kind") == "work" and not data.get("position"):
                self.add_error("position", _("Fill in the position."))
            if data.get("purpose_kind") == "other" and not data.get("description"):
                self.add_error("description", _("Describe the purpose."))
        if data.get("basis") == "profile":
            if not data.get("screening_profile"):
                self.add_error("screening_profile", _("Choose a specific screening profile."))
            else:
                try:
                    specific_profile_on(data["screening_profile"], today)
                except CatalogueError as exc:
                    self.add_error("screening_profile", str(exc))
            data["functieaspecten"] = []
        else:
            if not data.get("functieaspecten"):
                self.add_error("functieaspecten", _("Choose at least one functieaspect."))
            for code in data.get("functieaspecten") or []:
                try:
                    function_aspect_on(code, today)
                except CatalogueError as exc:
                    self.add_error("functieaspecten", str(exc))
            data["screening_profile"] = ""
        return data

    def purpose_kwargs(self) -> dict:
        """The validated purpose and screening as keyword arguments of ``application_prepare``."""
        data = self.cleaned_data
        work = data["purpose_kind"] == "work"
        return {
            "purpose_code": "WRE" if work else "OVG",
            "position": data["position"] if work else "",
            "purpose_description": data["tasks"] if work else data["description"],
            "screening_profile": data["screening_profile"],
            "functieaspecten": sorted(data["functieaspecten"]),
            "is_free": bool(data.get("is_free")),
        }


class ApplicantForm(forms.Form):
    """Who the request is for: one row of a bulk upload, or the applicant part of the single form."""

    given_names = forms.CharField(label=_("Given names of the applicant"), max_length=200)
    surname = forms.CharField(label=_("Surname of the applicant"), max_length=200)
    birth_date = forms.DateField(
        label=_("Date of birth of the applicant"),
        # A plain text field: a browser's date picker orders day and month by its own locale.
        input_formats=["%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d"],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("DD-MM-YYYY, for example 17-05-1990."),
        error_messages={"invalid": _("Write the date of birth as DD-MM-YYYY, for example 17-05-1990.")},
    )
    email = forms.EmailField(
        label=_("E-mail address of the applicant"), help_text=_("The link and the application code are sent here.")
    )

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date of birth lies in the future."))
        return value


class PrepareRequestForm(PurposeForm, ApplicantForm):
    """The single request: purpose and screening, then the applicant."""

    field_order = [*PurposeForm.base_fields, *ApplicantForm.base_fields]


class InvitationCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Application code"),
        max_length=20,
        help_text=_("The code from the e-mail, e.g. 7K3Q-9MXA-2B4C."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )

    def clean_code(self):
        code = invitation_code_normalise(self.cleaned_data["code"])
        if len(code) != 14:
            raise forms.ValidationError(_("An application code has 12 letters and digits."))
        return code


class CompleteRequestForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), help_text=_("We send news about your application here."))
    delivery = forms.ChoiceField(
        label=_("How do you want to receive the certificate?"), choices=Delivery.choices, widget=forms.RadioSelect
    )
    declaration = forms.BooleanField(
        label=_("I declare that I filled in this form truthfully and completely."),
        error_messages={"required": _("Confirm the declaration to continue.")},
    )


class BulkUploadForm(PurposeForm):
    """The purpose and screening once, and a CSV file with one applicant a line."""

    file = forms.FileField(
        label=_("CSV file with the applicants"),
        help_text=_(
            "One applicant a line, with the columns voornamen, achternaam, geboortedatum (DD-MM-YYYY) and "
            "e-mailadres, separated by semicolons or commas. Save a spreadsheet as CSV."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["save_as_default"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.BULK_MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB. Split it into smaller files.")
                % {"mb": settings.BULK_MAX_UPLOAD_MB}
            )
        return upload


class ZienswijzeForm(forms.Form):
    """The applicant's view on an intention to refuse, with an optional attachment.

    ``submission_key`` is a one-time key made when the form is shown: sending the same form twice
    (a double click, a reload) gives the view saved the first time instead of a second one.
    """

    text = forms.CharField(
        label=_("Your view"),
        max_length=ZIENSWIJZE_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Explain why Justis should still issue the certificate. At most 5,000 characters."),
        error_messages={
            "required": _("Write your view."),
            "max_length": _("Your view is too long: at most 5,000 characters (now %(show_value)d)."),
        },
    )
    attachment = forms.FileField(
        label=_("Attachment (optional)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        allow_empty_file=True,  # checked_upload says what is allowed instead
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachment"].help_text = _(
            "For example a letter from your employer or a court document. A PDF, JPEG or PNG file of at most "
            "%(max)s MB."
        ) % {"max": settings.ZIENSWIJZE_MAX_UPLOAD_MB}
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4())

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        return checked_upload(upload) if upload else None


class ObjectionForm(forms.Form):
    """The applicant's objection (bezwaar) against a refusal, given in MijnJustis.

    ``late_excuse`` is asked only after the objection period; ``submission_key`` makes sending the same
    form twice give the objection saved the first time.
    """

    grounds = forms.CharField(
        label=_("Your objection"),
        max_length=OBJECTION_GROUNDS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Explain why you think the decision is wrong. At most 10,000 characters."),
        error_messages={
            "required": _("Write why you object to the decision."),
            "max_length": _("Your objection is too long: at most 10,000 characters (now %(show_value)d)."),
        },
    )
    late_excuse = forms.CharField(
        label=_("Why are you objecting after the last day?"),
        max_length=OBJECTION_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Justis only considers a late objection if you could not object in time, for example because of illness."
        ),
        error_messages={"required": _("Explain why you could not object in time.")},
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, late: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not late:
            del self.fields["late_excuse"]
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4())
