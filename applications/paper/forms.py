"""Entry forms of the paper back office. Every error names its field and says why, in the user's language.

The purpose and screening part is the organisation portal's ``PurposeForm`` (and its partial
``organisation/_purpose_fields.html``); scans are checked by ``applications/portals/uploads.py``.
"""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..fees import euros
from ..models import (
    LEGAL_FORMS_BY_TYPE,
    ApplicationType,
    Gender,
    KeyPersonRole,
    LegalForm,
    ScannedDocumentKind,
    UrgentReason,
)
from ..portals.forms import PurposeForm
from ..portals.uploads import ACCEPT, checked_upload
from ..services import ApplicantData
from ..validators import validate_bsn, validate_kvk_number
from .services import (
    EXTRA_COPY_CENTS,
    MAX_EXTRA_COPIES,
    KeyPersonData,
    LegalEntityData,
    PaperDocument,
    PurposeData,
    key_person_problems,
    paper_fee_cents,
)

# The order of the fields on the page, so the error summary lists them in that order too.
PURPOSE_FIELDS = ["purpose_kind", "position", "tasks", "description", "basis", "functieaspecten", "screening_profile"]
COMPANY_FIELDS = [
    "kvk_number",
    "company_name",
    "legal_form",
    "street",
    "house_number",
    "postcode",
    "city",
    "representative_name",
]
PAYMENT_AND_DOCUMENT_FIELDS = ["payment_confirmed", "scan", "id_copy", "payment_proof"]
DATE_INPUT_FORMATS = ["%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d"]
MAX_KEY_PERSONS = 30
# The document fields of every entry form and the kind each becomes.
DOCUMENT_FIELDS = {
    "scan": ScannedDocumentKind.APPLICATION_FORM,
    "id_copy": ScannedDocumentKind.ID_COPY,
    "payment_proof": ScannedDocumentKind.PAYMENT_PROOF,
}


def date_field(label, *, required: bool = True, help_text=None) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        # A plain text field: a browser's date picker orders day and month by its own locale.
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=help_text or _("DD-MM-YYYY, for example 17-05-1990."),
        error_messages={"invalid": _("Write the date as DD-MM-YYYY, for example 17-05-1990.")},
    )


def _not_in_future(value, message):
    if value and value > timezone.localdate():
        raise forms.ValidationError(message)
    return value


class NamedErrorsMixin:
    """Django's "This field is required." names no field; ours do."""

    def name_required_errors(self):
        default = forms.Field.default_error_messages["required"]
        for field in self.fields.values():
            if field.error_messages.get("required") is default:
                field.error_messages["required"] = gettext("%(field)s is required.") % {"field": field.label}


class DocumentsForm(NamedErrorsMixin, forms.Form):
    """The scan of the paper form (required) and the documents sent with it; a one-time submission key.

    ``submission_key`` is made when the form is shown: the same form sent twice (a double click, a
    reload) gives the application entered the first time instead of a second one.
    """

    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    payment_confirmed = forms.BooleanField(
        label=_("The fee has been received by bank transfer"),
        error_messages={
            "required": _("Confirm that the fee has been received: Justis enters a paper application once it is paid.")
        },
    )
    scan = forms.FileField(
        label=_("Scan of the application form"),
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        allow_empty_file=True,  # checked_upload says what is allowed instead
        error_messages={"required": _("Choose the scan of the application form: a PDF, JPEG or PNG file.")},
    )
    id_copy = forms.FileField(
        label=_("Copy of an identity document (optional)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        allow_empty_file=True,
    )
    payment_proof = forms.FileField(
        label=_("Proof of payment (optional)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        allow_empty_file=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        size = _("A PDF, JPEG or PNG file of at most %(max)s MB.") % {"max": settings.PAPER_MAX_UPLOAD_MB}
        for name in DOCUMENT_FIELDS:
            self.fields[name].help_text = size
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4())

    def _checked(self, name):
        upload = self.cleaned_data.get(name)
        return checked_upload(upload, max_mb=settings.PAPER_MAX_UPLOAD_MB) if upload else None

    def clean_scan(self):
        return self._checked("scan")

    def clean_id_copy(self):
        return self._checked("id_copy")

    def clean_payment_proof(self):
        return self._checked("payment_proof")

    def documents(self) -> list[PaperDocument]:
        return [
            PaperDocument(kind=kind, upload=self.cleaned_data[name])
            for name, kind in DOCUMENT_FIELDS.items()
            if self.cleaned_data.get(name)
        ]

    def submission_key_value(self) -> uuid.UUID:
        return self.cleaned_data.get("submission_key") or uuid.uuid4()


def _purpose_data(form: PurposeForm) -> PurposeData:
    purpose = form.purpose_kwargs()
    return PurposeData(
        purpose_code=purpose["purpose_code"],
        position=purpose["position"],
        purpose_description=purpose["purpose_description"],
        screening_profile=purpose["screening_profile"],
        functieaspecten=tuple(purpose["functieaspecten"]),
    )


# --- VOG NP of a person not registered in the Netherlands (RNI) ------------------------------------


class RniApplicationForm(PurposeForm, DocumentsForm):
    """The VOG NP form sent by e-mail by a person who is not registered in a Dutch municipality."""

    field_order = [
        *PURPOSE_FIELDS,
        "given_names",
        "surname_prefix",
        "surname",
        "birth_date",
        "birth_place",
        "birth_country",
        "gender",
        "nationalities",
        "street",
        "postcode",
        "city",
        "country",
        "email",
        "phone",
        "organisation_name",
        "organisation_kvk",
        *PAYMENT_AND_DOCUMENT_FIELDS,
    ]

    given_names = forms.CharField(label=_("Given names"), max_length=200, help_text=_("As on the identity document."))
    surname_prefix = forms.CharField(label=_("Surname prefix (optional)"), max_length=10, required=False)
    surname = forms.CharField(label=_("Surname"), max_length=200, help_text=_("As on the identity document."))
    birth_date = date_field(_("Date of birth"))
    birth_place = forms.CharField(label=_("Place of birth"), max_length=40)
    birth_country = forms.CharField(label=_("Country of birth"), max_length=40)
    gender = forms.ChoiceField(
        label=_("Gender (optional)"), choices=[("", _("— not given —")), *Gender.choices], required=False
    )
    nationalities = forms.CharField(
        label=_("Nationalities"), max_length=200, help_text=_("All nationalities; separate them with commas.")
    )
    street = forms.CharField(label=_("Street and house number"), max_length=35)
    postcode = forms.CharField(label=_("Postcode (optional)"), max_length=10, required=False)
    city = forms.CharField(label=_("Town"), max_length=40)
    country = forms.CharField(label=_("Country"), max_length=40)
    email = forms.EmailField(label=_("E-mail address"), help_text=_("News about the application is sent here."))
    phone = forms.CharField(label=_("Telephone (optional)"), max_length=15, required=False)
    organisation_name = forms.CharField(label=_("Name of the organisation"), max_length=80)
    organisation_kvk = forms.CharField(
        label=_("KvK number of the organisation (optional)"),
        required=False,
        help_text=_("8 digits; leave empty for an organisation outside the Netherlands."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["save_as_default"]
        fee = euros(paper_fee_cents(application_type=ApplicationType.VOG_NP))
        self.fields["payment_confirmed"].label = _("The fee of %(fee)s has been received by bank transfer") % {
            "fee": fee
        }
        self.name_required_errors()

    def clean_birth_date(self):
        return _not_in_future(self.cleaned_data["birth_date"], _("The date of birth lies in the future."))

    def clean_nationalities(self):
        values = [part.strip() for part in self.cleaned_data["nationalities"].split(",") if part.strip()]
        if not values:
            raise forms.ValidationError(_("Fill in at least one nationality."))
        if any(len(value) > 60 for value in values):
            raise forms.ValidationError(_("A nationality has at most 60 characters."))
        return tuple(values)

    def clean_organisation_kvk(self):
        value = self.cleaned_data["organisation_kvk"].replace(" ", "")
        if value:
            validate_kvk_number(value)
        return value

    def entry_kwargs(self) -> dict:
        """The validated form as keyword arguments of ``rni_application_enter``."""
        data = self.cleaned_data
        return {
            "applicant": ApplicantData.from_values(data, bsn=""),
            "organisation_name": data["organisation_name"],
            "kvk_number": data["organisation_kvk"],
            "purpose": _purpose_data(self),
            "documents": self.documents(),
            "submission_key": self.submission_key_value(),
        }


# --- VOG RP and GVA: the company and its key persons -----------------------------------------------


class KeyPersonForm(NamedErrorsMixin, forms.Form):
    """One natural person in a key position (GVA form B), or a former director (form C)."""

    role = forms.ChoiceField(label=_("Role"))
    given_names = forms.CharField(label=_("Given names"), max_length=200)
    surname_prefix = forms.CharField(label=_("Surname prefix (optional)"), max_length=10, required=False)
    surname = forms.CharField(label=_("Surname"), max_length=200)
    bsn = forms.CharField(
        label=_("BSN (optional)"),
        required=False,
        help_text=_("9 digits; leave empty for a person without a BSN."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    birth_date = date_field(_("Date of birth"))
    birth_place = forms.CharField(label=_("Place of birth (optional)"), max_length=40, required=False)
    birth_country = forms.CharField(label=_("Country of birth (optional)"), max_length=40, required=False)
    nationality = forms.CharField(label=_("Nationality"), max_length=60)
    left_on = date_field(
        _("Left on (former director only)"),
        required=False,
        help_text=_("DD-MM-YYYY. Only former directors who left in the 12 months before the application count."),
    )

    def __init__(self, *args, application_type: str, legal_form: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.legal_form = legal_form
        roles = [
            (role.value, role.label)
            for role in KeyPersonRole
            if role != KeyPersonRole.OWNER or LegalForm.EENMANSZAAK in LEGAL_FORMS_BY_TYPE[application_type]
        ]
        self.fields["role"].choices = [("", _("— choose a role —")), *roles]
        self.name_required_errors()

    def clean_bsn(self):
        value = self.cleaned_data["bsn"].replace(" ", "").replace(".", "")
        if value:
            validate_bsn(value)
        return value

    def clean(self):
        data = super().clean()
        if data.get("role") and data.get("birth_date"):
            problems = key_person_problems(self.key_person(), legal_form=self.legal_form, day=timezone.localdate())
            for field, message in problems.items():
                if field not in self.errors:
                    self.add_error(field, message)
        return data

    def key_person(self) -> KeyPersonData:
        data = self.cleaned_data
        return KeyPersonData(
            role=data["role"],
            given_names=data.get("given_names", ""),
            surname_prefix=data.get("surname_prefix", ""),
            surname=data.get("surname", ""),
            bsn=data.get("bsn", ""),
            birth_date=data["birth_date"],
            birth_place=data.get("birth_place", ""),
            birth_country=data.get("birth_country", ""),
            nationality=data.get("nationality", ""),
            left_on=data.get("left_on"),
        )


class BaseKeyPersonFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_few_forms": _("Fill in at least one key person."),
        "too_many_forms": _("At most 30 key persons on one application."),
    }


class CompanyApplicationForm(DocumentsForm):
    """The company (part 1.1 of the form), its key persons, the documents and the payment."""

    application_type: str = ""

    kvk_number = forms.CharField(
        label=_("KvK number"), help_text=_("8 digits."), widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    company_name = forms.CharField(label=_("Name of the company"), max_length=80)
    legal_form = forms.ChoiceField(label=_("Legal form"))
    street = forms.CharField(label=_("Street"), max_length=35)
    house_number = forms.CharField(label=_("House number"), max_length=10)
    postcode = forms.CharField(label=_("Postcode (optional)"), max_length=10, required=False)
    city = forms.CharField(label=_("Seat (town)"), max_length=40)
    representative_name = forms.CharField(
        label=_("Name of the representative"),
        max_length=80,
        help_text=_("The director, partner or manager who signed the form."),
    )

    def __init__(self, data=None, files=None, *, person_rows: int = 3, **kwargs):
        super().__init__(data, files, **kwargs)
        self.fields["legal_form"].choices = [
            ("", _("— choose a legal form —")),
            *((form.value, form.label) for form in LEGAL_FORMS_BY_TYPE[self.application_type]),
        ]
        formset = forms.formset_factory(
            KeyPersonForm,
            formset=BaseKeyPersonFormSet,
            extra=max(min(person_rows, MAX_KEY_PERSONS) - 1, 0),
            min_num=1,
            validate_min=True,
            max_num=MAX_KEY_PERSONS,
            validate_max=True,
        )
        self.persons = formset(
            data,
            prefix="persons",
            form_kwargs={
                "application_type": self.application_type,
                "legal_form": (data or {}).get("legal_form", ""),
            },
        )

    def clean_kvk_number(self):
        value = self.cleaned_data["kvk_number"].replace(" ", "")
        validate_kvk_number(value)
        return value

    def is_valid(self) -> bool:
        # Both, so that every error shows at once.
        return all([super().is_valid(), self.persons.is_valid()])

    def legal_entity(self) -> LegalEntityData:
        data = self.cleaned_data
        return LegalEntityData(
            kvk_number=data["kvk_number"],
            name=data["company_name"],
            legal_form=data["legal_form"],
            street=data["street"],
            house_number=data["house_number"],
            postcode=data["postcode"],
            city=data["city"],
            representative_name=data["representative_name"],
        )

    def key_persons(self) -> list[KeyPersonData]:
        return [form.key_person() for form in self.persons.forms if form.cleaned_data]

    def entry_kwargs(self) -> dict:
        """The validated form as keyword arguments of ``company_application_enter``."""
        return {
            "application_type": self.application_type,
            "legal_entity": self.legal_entity(),
            "key_persons": self.key_persons(),
            "documents": self.documents(),
            "submission_key": self.submission_key_value(),
        }


class VogRpApplicationForm(PurposeForm, CompanyApplicationForm):
    """The paper VOG RP: the company, what the certificate is for and the screening, key persons."""

    application_type = ApplicationType.VOG_RP
    field_order = [*PURPOSE_FIELDS, *COMPANY_FIELDS, "urgent_reason", *PAYMENT_AND_DOCUMENT_FIELDS]

    urgent_reason = forms.ChoiceField(
        label=_("Urgent procedure"),
        required=False,
        choices=[("", _("No urgent procedure")), (UrgentReason.ACTIVITIES_ABROAD.value, _("Activities abroad"))],
        help_text=_("A VOG RP may use the urgent procedure only for activities abroad."),
        error_messages={"invalid_choice": _("A VOG RP may use the urgent procedure only for activities abroad.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["save_as_default"]
        fee = euros(paper_fee_cents(application_type=ApplicationType.VOG_RP))
        self.fields["payment_confirmed"].label = _("The fee of %(fee)s has been received by bank transfer") % {
            "fee": fee
        }
        self.name_required_errors()

    def entry_kwargs(self) -> dict:
        return {
            **super().entry_kwargs(),
            "purpose": _purpose_data(self),
            "urgent_reason": self.cleaned_data["urgent_reason"],
        }


class GvaApplicationForm(CompanyApplicationForm):
    """The paper GVA: the company (or eenmanszaak), key persons and former directors, extra copies."""

    application_type = ApplicationType.GVA
    field_order = [*COMPANY_FIELDS, "extra_copies", *PAYMENT_AND_DOCUMENT_FIELDS]

    extra_copies = forms.IntegerField(
        label=_("Extra copies"),
        required=False,
        min_value=0,
        max_value=MAX_EXTRA_COPIES,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": _("Write the number of extra copies as a whole number from 0 to 10."),
            "min_value": _("Write the number of extra copies as a whole number from 0 to 10."),
            "max_value": _("At most 10 extra copies."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fee = paper_fee_cents(application_type=ApplicationType.GVA)
        self.fee_cents = fee
        self.fields["extra_copies"].help_text = _("%(copy)s for each extra copy, at most 10.") % {
            "copy": euros(EXTRA_COPY_CENTS)
        }
        self.fields["payment_confirmed"].label = _(
            "The fee of %(fee)s plus %(copy)s for each extra copy has been received by bank transfer"
        ) % {"fee": euros(fee), "copy": euros(EXTRA_COPY_CENTS)}
        self.name_required_errors()

    def clean_extra_copies(self):
        return self.cleaned_data["extra_copies"] or 0

    def entry_kwargs(self) -> dict:
        return {**super().entry_kwargs(), "extra_copies": self.cleaned_data["extra_copies"]}
