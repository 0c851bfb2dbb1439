"""The counter intake form: the paper VOG NP form (domain.md §1.1) and the municipality's part.

Every error names its field ("Straat: maximaal 35 tekens (u typte 41).") and the limits are those of
the municipal message (domain.md §1.1.1). The purpose and the screening basis reuse the organisation
portal's ``PurposeForm`` (its catalogue checks); the counter asks them the way the paper form does:
one specific profile (section 2.3) or functieaspecten (section 2.4), never both.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import date

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.utils import ErrorDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..intake import REMARK_FLAGS
from ..models import (
    URGENT_REASONS_BY_TYPE,
    CounterPaymentMethod,
    Gender,
    IdentityDocumentKind,
    MayorAdvice,
    UrgentReason,
)
from ..portals.forms import PurposeForm
from ..services import OrganisationContact
from ..validators import validate_bsn, validate_kvk_number

PURPOSE_FIELDS = ("purpose_kind", "position", "tasks", "description", "screening_profile", "functieaspecten")
HISTORY_ROWS = 3
HISTORY_FIELDS = ("given_names", "surname_prefix", "surname", "birth_date", "bsn")
EARLIEST_BIRTH_DATE = date(1900, 1, 1)
DATE_FORMATS = ["%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d"]
NETHERLANDS = {"nederland", "nl", "netherlands", "the netherlands"}
NATIONALITY_MAX_LENGTH = 60

HOUSE_NUMBER = re.compile(r"^[1-9][0-9]{0,4}$")
PHONE = re.compile(r"^\+?[0-9][0-9 -]*$")
DUTCH_POSTCODE = re.compile(r"^([1-9][0-9]{3}) ?([A-Z]{2})$")
DOCUMENT_END = re.compile(r"^[A-Z0-9]{4}$")
# The prefixes (voorvoegsels) that start a Dutch surname, longest first: "van der" before "van".
SURNAME_PREFIXES = sorted(
    ("van", "de", "der", "den", "van de", "van der", "van den", "van het", "ter", "ten", "te", "in 't", "'t", "d'"),
    key=len,
    reverse=True,
)

# The order of the page, which the error summary follows.
PAGE_ORDER = [
    "bsn", "given_names", "surname_prefix", "surname", "birth_date", "birth_place", "birth_country", "gender",
    "nationalities", "street", "house_number", "house_number_suffix", "postcode", "city", "country", "phone", "email",
    *(f"history_{number}_{part}" for number in range(1, HISTORY_ROWS + 1) for part in HISTORY_FIELDS),
    "org_name", "org_representative", "org_street", "org_house_number", "org_postcode", "org_city", "org_country",
    "org_phone", "org_kvk_number", "purpose_kind", "position", "tasks", "description", "screening_profile",
    "functieaspecten", "circumstances", "circumstances_text", "id_document_kind", "id_document_number_end",
    "payment_method", "fee_received", "urgent_reason", "special_findings", "special_findings_text", "persisted",
    "persisted_text", "covog_advice_requested", "covog_advice_text", "general_explanation",
    "general_explanation_text", "mayor_advice", "remark", "idempotency_key",
]  # fmt: skip

YES_NO = [("no", gettext_lazy("No")), ("yes", gettext_lazy("Yes"))]


def _text(label, max_length: int, *, required: bool = True, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=required, **kwargs)


def _date(label, *, required: bool = True) -> forms.DateField:
    # A plain text field, as in the organisation portal: a browser's date picker orders day and
    # month by its own locale.
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=gettext_lazy("DD-MM-YYYY, for example 17-05-1990."),
    )


def _yes_no(label) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=YES_NO, coerce=lambda value: value == "yes", widget=forms.RadioSelect, initial="no"
    )


def _explanation(label) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Required when the answer is yes. At most 2,000 characters."),
    )


def is_netherlands(country: str) -> bool:
    return not country.strip() or country.strip().casefold() in NETHERLANDS


def split_name(name: str) -> dict:
    """An earlier name as the register writes it ("Maria de Vries") split into the form's parts."""
    words = name.split()
    lowered = [word.casefold() for word in words]
    for start in range(len(words)):
        for prefix in SURNAME_PREFIXES:
            size = len(prefix.split())
            if lowered[start : start + size] == prefix.split() and start + size < len(words):
                return {
                    "given_names": " ".join(words[:start]),
                    "surname_prefix": " ".join(words[start : start + size]),
                    "surname": " ".join(words[start + size :]),
                }
    return {"given_names": " ".join(words[:-1]), "surname_prefix": "", "surname": " ".join(words[-1:])}


class CounterIntakeForm(PurposeForm):
    """A VOG NP taken at the municipal counter: applicant, organisation, purpose, and the desk's part.

    ``lookup_only=True`` is the form as sent with the button that fetches the applicant from the
    population register: only the BSN is checked then, so the clerk sees no errors about fields
    that are still to be filled in.
    """

    # --- 1. Applicant ------------------------------------------------------------------------
    bsn = forms.CharField(
        label=gettext_lazy("BSN"),
        max_length=11,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=gettext_lazy("Nine digits, from the identity document. Then fetch the data from the BRP."),
    )
    given_names = _text(gettext_lazy("Given names"), 200)
    surname_prefix = _text(
        gettext_lazy("Surname prefix"), 10, required=False, help_text=gettext_lazy("For example van, de or van der.")
    )
    surname = _text(gettext_lazy("Surname"), 200, help_text=gettext_lazy("Without the prefix."))
    birth_date = _date(gettext_lazy("Date of birth"))
    birth_place = _text(gettext_lazy("Place of birth"), 40)
    birth_country = _text(gettext_lazy("Country of birth"), 40)
    gender = forms.ChoiceField(label=gettext_lazy("Gender"), choices=[("", "—"), *Gender.choices])
    nationalities = _text(
        gettext_lazy("Nationalities"),
        200,
        help_text=gettext_lazy("Every nationality, separated by commas, for example: Nederlandse, Marokkaanse."),
    )
    street = _text(gettext_lazy("Street"), 35)
    house_number = _text(
        gettext_lazy("House number"), 5, widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
    )
    house_number_suffix = _text(gettext_lazy("House letter or addition"), 10, required=False)
    postcode = _text(gettext_lazy("Postcode"), 10)
    city = _text(gettext_lazy("Town"), 40)
    country = _text(gettext_lazy("Country"), 40, initial="Nederland")
    phone = _text(gettext_lazy("Telephone number"), 15, required=False, widget=forms.TextInput(attrs={"type": "tel"}))
    email = forms.EmailField(label=gettext_lazy("E-mail address"), max_length=254, required=False)

    # --- 2. Organisation (belanghebbende) ----------------------------------------------------
    org_name = _text(gettext_lazy("Name of the organisation"), 80)
    org_representative = _text(gettext_lazy("Name of the representative"), 80)
    org_street = _text(gettext_lazy("Street"), 35)
    org_house_number = _text(gettext_lazy("House number and addition"), 10)
    org_postcode = _text(gettext_lazy("Postcode"), 10, required=False)
    org_city = _text(gettext_lazy("Town"), 40)
    org_country = _text(gettext_lazy("Country"), 40, initial="Nederland")
    org_phone = _text(gettext_lazy("Telephone number"), 15, widget=forms.TextInput(attrs={"type": "tel"}))
    org_kvk_number = _text(
        gettext_lazy("KvK number (optional)"),
        8,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    circumstances = _yes_no(gettext_lazy("Special circumstances (section 2.5)"))
    circumstances_text = _explanation(gettext_lazy("Description of the special circumstances"))

    # --- 3. The desk -------------------------------------------------------------------------
    id_document_kind = forms.ChoiceField(
        label=gettext_lazy("Identity document checked"), choices=[("", "—"), *IdentityDocumentKind.choices]
    )
    id_document_number_end = _text(
        gettext_lazy("Last 4 characters of the document number"),
        4,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
    payment_method = forms.ChoiceField(
        label=gettext_lazy("Paid by"), choices=CounterPaymentMethod.choices, widget=forms.RadioSelect
    )
    fee_received = forms.BooleanField(label=gettext_lazy("Fee received"))
    urgent_reason = forms.ChoiceField(
        label=gettext_lazy("Urgent procedure"),
        required=False,
        help_text=gettext_lazy("Only when the applicant asks for it, for one of these reasons."),
    )
    special_findings = _yes_no(gettext_lazy("Special findings"))
    special_findings_text = _explanation(gettext_lazy("Explanation of the special findings"))
    persisted = _yes_no(gettext_lazy("Applicant persists"))
    persisted_text = _explanation(gettext_lazy("Explanation of persisting"))
    covog_advice_requested = _yes_no(gettext_lazy("COVOG advice requested"))
    covog_advice_text = _explanation(gettext_lazy("Explanation of the COVOG advice request"))
    general_explanation = _yes_no(gettext_lazy("General explanation"))
    general_explanation_text = _explanation(gettext_lazy("Text of the general explanation"))
    mayor_advice = forms.ChoiceField(
        label=gettext_lazy("Mayor's advice (burgemeestersadvies)"), choices=MayorAdvice.choices, initial="O"
    )
    remark = forms.CharField(
        label=gettext_lazy("Remark of the municipality"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("At most 2,000 characters."),
    )
    # Made when the form is first shown: sending the same form again gives the same application.
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, lookup_only: bool = False, fee: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.lookup_only = lookup_only
        for name in ("basis", "save_as_default"):
            del self.fields[name]
        for number in range(1, HISTORY_ROWS + 1):
            self.fields.update(self._history_fields(number))
        self.fields["screening_profile"].label = _("Specific screening profile (section 2.3)")
        self.fields["screening_profile"].choices = [
            ("", _("— none: screen on the functieaspecten below —")),
            *self.fields["screening_profile"].choices[1:],
        ]
        self.fields["screening_profile"].help_text = _("Either one specific profile, or functieaspecten: not both.")
        self.fields["functieaspecten"].label = _("Functieaspecten (section 2.4)")
        self.fields["urgent_reason"].choices = [
            ("", _("— no urgent procedure —")),
            *((reason.value, reason.label) for reason in map(UrgentReason, URGENT_REASONS_BY_TYPE["VOG_NP"])),
        ]
        if fee:
            self.fields["fee_received"].help_text = _("The applicant paid the fee of %(fee)s.") % {"fee": fee}
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())
        self.order_fields(PAGE_ORDER)
        self._name_the_fields_in_errors()

    @staticmethod
    def _history_fields(number: int) -> dict:
        prefix = f"history_{number}_"
        return {
            f"{prefix}given_names": _text(gettext_lazy("Given names"), 200, required=False),
            f"{prefix}surname_prefix": _text(gettext_lazy("Surname prefix"), 10, required=False),
            f"{prefix}surname": _text(gettext_lazy("Surname"), 200, required=False),
            f"{prefix}birth_date": _date(gettext_lazy("Date of birth"), required=False),
            f"{prefix}bsn": forms.CharField(
                label=gettext_lazy("BSN"),
                max_length=11,
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            ),
        }

    # --- Errors that name the field ------------------------------------------------------------

    def error_name(self, name: str) -> str:
        """How an error message names the field: its label, made unique where the page repeats it."""
        organisation = {
            "org_street": _("Street of the organisation"),
            "org_house_number": _("House number of the organisation"),
            "org_postcode": _("Postcode of the organisation"),
            "org_city": _("Town of the organisation"),
            "org_country": _("Country of the organisation"),
            "org_phone": _("Telephone number of the organisation"),
            "org_kvk_number": _("KvK number"),
        }
        if name in organisation:
            return organisation[name]
        if name.startswith("history_"):
            _prefix, number, part = name.split("_", 2)
            parts = {
                "given_names": _("Earlier identity %(number)s, given names"),
                "surname_prefix": _("Earlier identity %(number)s, surname prefix"),
                "surname": _("Earlier identity %(number)s, surname"),
                "birth_date": _("Earlier identity %(number)s, date of birth"),
                "bsn": _("Earlier identity %(number)s, BSN"),
            }
            return parts[part] % {"number": number}
        return str(self.fields[name].label)

    def _name_the_fields_in_errors(self) -> None:
        for name, field in self.fields.items():
            messages = {"required": _("%(field)s: fill this in.")}
            if getattr(field, "max_length", None):
                messages["max_length"] = _("%(field)s: at most %(limit_value)d characters (you typed %(show_value)d).")
            if isinstance(field, forms.ChoiceField):
                messages["invalid_choice"] = _("%(field)s: choose one of the options.")
            if isinstance(field, forms.EmailField):
                messages["invalid"] = _("%(field)s: write an e-mail address such as name@example.nl.")
            if isinstance(field, forms.DateField):
                messages["invalid"] = _("%(field)s: write the date as DD-MM-YYYY, for example 17-05-1990.")
            for code, message in messages.items():
                # Only the field's name is filled in here; Django fills in the limits.
                field.error_messages[code] = message.replace("%(field)s", self.error_name(name))
        self.fields["fee_received"].error_messages["required"] = _(
            "Fee received: confirm that the applicant paid the fee."
        )
        self.fields["idempotency_key"].error_messages["required"] = self.fields["idempotency_key"].error_messages[
            "invalid"
        ] = _("The form is incomplete: open the counter screen again.")

    def _fail(self, name: str, message: str) -> ValidationError:
        return ValidationError(message.replace("%(field)s", self.error_name(name)))

    # --- Cleaning --------------------------------------------------------------------------

    def full_clean(self):
        super().full_clean()
        if self._errors is None:
            return
        if self.lookup_only:
            self._errors = ErrorDict({name: errors for name, errors in self._errors.items() if name == "bsn"})
        for name, errors in list(self._errors.items()):
            if name == NON_FIELD_ERRORS:
                continue
            # PurposeForm's checks repeat a problem the field has already reported ("fill in the
            # position" after "at most 100 characters"): the field's own message is the clearer one.
            messages = list(errors)[:1] if name in PURPOSE_FIELDS else list(errors)
            self._errors[name] = self.error_class(
                [self._named(name, message) for message in messages], renderer=self.renderer
            )

    def _named(self, name: str, message: str) -> str:
        """Every message starts with the name of its field, also those of PurposeForm and the catalogue."""
        prefix = f"{self.error_name(name)}:"
        if message.startswith(prefix):
            return message
        if len(message) > 1 and message[1].islower():
            message = message[0].lower() + message[1:]
        return f"{prefix} {message}"

    def lookup_bsn(self) -> str | None:
        """The BSN to look up in the register; None (with the error on the field) when it is not valid."""
        self.is_valid()
        return None if "bsn" in self.errors else self.cleaned_data.get("bsn")

    def _clean_bsn_value(self, name: str) -> str:
        value = re.sub(r"[\s.]", "", self.cleaned_data.get(name, ""))
        if value:
            try:
                validate_bsn(value)
            except ValidationError as exc:
                raise ValidationError(" ".join(exc.messages)) from exc
        return value

    def clean_bsn(self):
        return self._clean_bsn_value("bsn")

    def _clean_birth_date_value(self, name: str):
        value = self.cleaned_data.get(name)
        if value is None:
            return value
        if value > timezone.localdate():
            raise self._fail(name, _("%(field)s: lies in the future. Check the date."))
        if value < EARLIEST_BIRTH_DATE:
            raise self._fail(name, _("%(field)s: lies before 1900. Check the year."))
        return value

    def clean_birth_date(self):
        return self._clean_birth_date_value("birth_date")

    def clean_house_number(self):
        value = self.cleaned_data["house_number"].strip()
        if not HOUSE_NUMBER.match(value):
            raise self._fail(
                "house_number",
                _("%(field)s: digits only, for example 12. A letter or an addition goes in the next field."),
            )
        return value

    def _clean_phone(self, name: str) -> str:
        value = self.cleaned_data.get(name, "").strip()
        if value and not PHONE.match(value):
            raise self._fail(name, _("%(field)s: digits only, possibly starting with +, for example 020 1234567."))
        return value

    def clean_phone(self):
        return self._clean_phone("phone")

    def clean_org_phone(self):
        return self._clean_phone("org_phone")

    def clean_org_kvk_number(self):
        value = self.cleaned_data["org_kvk_number"].strip()
        if value:
            try:
                validate_kvk_number(value)
            except ValidationError as exc:
                raise ValidationError(" ".join(exc.messages)) from exc
        return value

    def clean_nationalities(self):
        values = []
        for value in re.split(r"[,;\n]", self.cleaned_data["nationalities"]):
            value = value.strip()
            if len(value) > NATIONALITY_MAX_LENGTH:
                raise self._fail("nationalities", _("%(field)s: at most 60 characters for each nationality."))
            if value and value not in values:
                values.append(value)
        if not values:
            raise self._fail("nationalities", _("%(field)s: fill this in."))
        return values

    def clean_id_document_number_end(self):
        value = self.cleaned_data["id_document_number_end"].strip().upper()
        if not DOCUMENT_END.match(value):
            raise self._fail("id_document_number_end", _("%(field)s: exactly 4 letters or digits, for example 12AB."))
        return value

    def _clean_postcode(self, name: str, country_name: str) -> None:
        """A Dutch postcode is required and written as 1234 AB; a foreign one is taken as it is."""
        if name not in self.cleaned_data:
            return
        value = self.cleaned_data[name].strip().upper()
        self.cleaned_data[name] = value
        if not is_netherlands(self.cleaned_data.get(country_name, "")):
            return
        if not value:
            self.add_error(name, self._fail(name, _("%(field)s: fill this in.")))
            return
        match = DUTCH_POSTCODE.match(value)
        if match is None:
            self.add_error(name, self._fail(name, _("%(field)s: four digits and two letters, for example 1012 AB.")))
            return
        self.cleaned_data[name] = f"{match[1]} {match[2]}"

    def _clean_history(self) -> None:
        identities = []
        for number in range(1, HISTORY_ROWS + 1):
            names = {part: f"history_{number}_{part}" for part in HISTORY_FIELDS}
            for part in ("given_names", "surname_prefix", "surname"):
                if names[part] in self.cleaned_data:
                    self.cleaned_data[names[part]] = self.cleaned_data[names[part]].strip()
            if names["bsn"] in self.cleaned_data:
                try:
                    self.cleaned_data[names["bsn"]] = self._clean_bsn_value(names["bsn"])
                except ValidationError as exc:
                    self.add_error(names["bsn"], exc)
            if names["birth_date"] in self.cleaned_data:
                try:
                    self._clean_birth_date_value(names["birth_date"])
                except ValidationError as exc:
                    self.add_error(names["birth_date"], exc)
            row = {part: self.cleaned_data.get(name) for part, name in names.items()}
            if not any(row.values()) and not any(self.data.get(name, "").strip() for name in names.values()):
                continue
            if not row["surname"] and names["surname"] not in self.errors:
                self.add_error(names["surname"], self._fail(names["surname"], _("%(field)s: fill this in.")))
            identities.append({part: value for part, value in row.items() if value})
        self.cleaned_data["previous_identities"] = identities

    def clean(self):
        data = self.cleaned_data
        profile, aspects = data.get("screening_profile"), data.get("functieaspecten") or []
        # PurposeForm checks the chosen basis against the catalogue.
        data["basis"] = "profile" if profile else "aspects"
        data = super().clean()
        if profile and aspects:
            self.add_error(
                "screening_profile",
                self._fail(
                    "screening_profile", _("%(field)s: choose one specific profile or functieaspecten, not both.")
                ),
            )
        self._clean_postcode("postcode", "country")
        self._clean_postcode("org_postcode", "org_country")
        for flag, text in (("circumstances", "circumstances_text"), *REMARK_FLAGS):
            if data.get(flag) and not (data.get(text) or "").strip() and text not in self.errors:
                self.add_error(text, self._fail(text, _("%(field)s: fill this in, because the answer is yes.")))
        self._clean_history()
        return data

    # --- For the template and the view ---------------------------------------------------------

    def conditions(self) -> str:
        """For portal.js: which fields show only with a given answer (all show without JavaScript)."""
        return json.dumps(
            [
                ["position", "purpose_kind", "work"],
                ["tasks", "purpose_kind", "work"],
                ["description", "purpose_kind", "other"],
                *([text, flag, "yes"] for flag, text in (("circumstances", "circumstances_text"), *REMARK_FLAGS)),
            ]
        )

    def history_rows(self):
        return [
            (number, [self[f"history_{number}_{part}"] for part in HISTORY_FIELDS])
            for number in range(1, HISTORY_ROWS + 1)
        ]

    def remark_fields(self):
        return [(self[flag], self[text]) for flag, text in REMARK_FLAGS]

    def organisation_contact(self) -> OrganisationContact:
        data = self.cleaned_data
        return OrganisationContact(
            representative=data["org_representative"],
            street=data["org_street"],
            house_number=data["org_house_number"],
            postcode=data["org_postcode"],
            city=data["org_city"],
            country=data["org_country"],
            phone=data["org_phone"],
        )
