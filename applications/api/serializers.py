"""Input and output of the municipal API v1. Validation at the edge: every error names its field."""

from datetime import date

from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from justis import api_fields as strict
from screening.catalogue import CatalogueError, function_aspect_on, purpose_code_on, specific_profile_on

from ..models import (
    URGENT_REASONS_BY_TYPE,
    Application,
    ApplicationType,
    CounterPaymentMethod,
    Desk,
    Gender,
    IdentityDocumentKind,
    IdentityVerification,
    MayorAdvice,
    PersonalDataSource,
)
from ..stages import CounterStage, counter_stage
from ..validators import validate_bsn, validate_kvk_number

EARLIEST_BIRTH_DATE = date(1900, 1, 1)
PREVIOUS_IDENTITIES_MAX = 10
NATIONALITIES_MAX = 10
TEXT_MAX = 2000

validate_phone = RegexValidator(
    r"^\+?[0-9][0-9 -]*$",
    _("A telephone number has digits, and may start with + and contain spaces or hyphens."),
    code="phone",
)


def validate_birth_date(value: date) -> date:
    if value > timezone.localdate():
        raise serializers.ValidationError(_("The date of birth lies in the future."))
    if value < EARLIEST_BIRTH_DATE:
        raise serializers.ValidationError(_("The date of birth is before 1900: check the year."))
    return value


class AddressInput(serializers.Serializer):
    street = strict.CharField(max_length=35, required=False, allow_blank=True, default="")
    house_number = strict.CharField(max_length=10, required=False, allow_blank=True, default="")
    house_number_suffix = strict.CharField(max_length=10, required=False, allow_blank=True, default="")
    postcode = strict.CharField(max_length=10, required=False, allow_blank=True, default="")
    city = strict.CharField(max_length=40, required=False, allow_blank=True, default="")
    country = strict.CharField(max_length=40, required=False, allow_blank=True, default="")


class PreviousIdentityInput(serializers.Serializer):
    given_names = strict.CharField(max_length=200)
    surname_prefix = strict.CharField(max_length=10, required=False, allow_blank=True, default="")
    surname = strict.CharField(max_length=200)
    birth_date = serializers.DateField(help_text=_("YYYY-MM-DD"))
    bsn = strict.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("The BSN of this identity, when it had another one: 9 digits, passes the 11-test."),
    )

    def validate_birth_date(self, value):
        return validate_birth_date(value)

    def validate_bsn(self, value):
        if value:
            validate_bsn(value)  # DRF reports Django's ValidationError under this field
        return value


class ApplicantInput(serializers.Serializer):
    bsn = strict.CharField(validators=[validate_bsn], help_text=_("Burgerservicenummer: 9 digits, passes the 11-test."))
    given_names = strict.CharField(max_length=200)
    surname_prefix = strict.CharField(max_length=10, required=False, allow_blank=True, default="")
    surname = strict.CharField(max_length=200)
    birth_date = serializers.DateField(help_text=_("YYYY-MM-DD"))
    birth_place = strict.CharField(max_length=40)
    birth_country = strict.CharField(max_length=40)
    email = strict.EmailField(max_length=254, required=False, allow_blank=True, default="")
    phone = strict.CharField(max_length=15, required=False, allow_blank=True, default="", validators=[validate_phone])
    gender = strict.ChoiceField(
        choices=Gender.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("The population register's code: M (male), V (female), O (unknown)."),
    )
    nationalities = serializers.ListField(
        child=strict.CharField(max_length=60),
        required=False,
        default=list,
        max_length=NATIONALITIES_MAX,
        error_messages={"max_length": _("Give at most {max_length} nationalities.")},
        help_text=_("All nationalities, as in the population register (e.g. “Nederlandse”)."),
    )
    address = AddressInput(required=False)
    previous_identities = serializers.ListField(
        child=PreviousIdentityInput(),
        required=False,
        default=list,
        max_length=PREVIOUS_IDENTITIES_MAX,
        error_messages={"max_length": _("Give at most {max_length} previous identities.")},
        help_text=_("Earlier identities of the applicant (other names, date of birth or BSN), at most 10."),
    )

    def validate_birth_date(self, value):
        return validate_birth_date(value)


class OrganisationInput(serializers.Serializer):
    name = strict.CharField(max_length=80)
    kvk_number = strict.CharField(
        required=False,
        allow_blank=True,
        default="",
        validators=[],
        help_text=_("8 digits; may be left out for an organisation outside the Netherlands."),
    )
    representative = strict.CharField(
        max_length=80,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Name of the person who signed for the organisation."),
    )
    address = AddressInput(required=False)
    phone = strict.CharField(max_length=15, required=False, allow_blank=True, default="", validators=[validate_phone])

    def validate_kvk_number(self, value):
        if value:
            validate_kvk_number(value)
        return value


class PurposeInput(serializers.Serializer):
    code = strict.CharField(
        max_length=3,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("WRE (work relation, with a position) or OVG (other purpose, with a description)."),
    )
    position = strict.CharField(max_length=100, required=False, allow_blank=True, default="")
    description = strict.CharField(max_length=100, required=False, allow_blank=True, default="")
    screening_profile = strict.CharField(max_length=2, required=False, allow_blank=True, default="")
    functieaspecten = serializers.ListField(
        child=strict.CharField(max_length=2), required=False, default=list, max_length=30
    )

    def validate(self, attrs):
        day = timezone.localdate()
        errors: dict[str, list] = {}
        if not (attrs["code"] or attrs["position"] or attrs["description"]):
            raise serializers.ValidationError(
                {"position": [_("Give the position (work relation), or a description of another purpose.")]}
            )
        code = attrs["code"] or ("WRE" if attrs["position"] else "OVG")
        try:
            purpose_code_on(code, day)
        except CatalogueError as exc:
            errors["code"] = [str(exc)]
        if code == "WRE" and not attrs["position"]:
            errors["position"] = [_("A work relation (WRE) needs the position.")]
        if code == "OVG" and not attrs["description"]:
            errors["description"] = [_("Another purpose (OVG) needs a description of the purpose.")]

        profile, aspects = attrs["screening_profile"], attrs["functieaspecten"]
        if profile and aspects:
            errors["non_field_errors"] = [
                _("Give either screening_profile or functieaspecten, not both: a VOG has exactly one screening basis.")
            ]
        elif not profile and not aspects:
            errors["non_field_errors"] = [
                _("Give a screening_profile (one code) or functieaspecten (one or more codes).")
            ]
        elif profile:
            try:
                specific_profile_on(profile, day)
            except CatalogueError as exc:
                errors["screening_profile"] = [str(exc)]
        else:
            aspect_errors = {}
            if len(set(aspects)) != len(aspects):
                errors["functieaspecten"] = [_("Each functieaspect may be given only once.")]
            for index, aspect in enumerate(aspects):
                try:
                    function_aspect_on(aspect, day)
                except CatalogueError as exc:
                    aspect_errors[index] = [str(exc)]
            if aspect_errors:
                errors["functieaspecten"] = aspect_errors
        if errors:
            raise serializers.ValidationError(errors)
        return {**attrs, "code": code}


class RemarkFlagInput(serializers.Serializer):
    value = strict.BooleanField(required=False, default=False, error_messages={"invalid": _("Give true or false.")})
    explanation = strict.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        explanation = attrs["explanation"].strip()
        if attrs["value"] and not explanation:
            raise serializers.ValidationError({"explanation": [_("Explain this remark: it is marked yes.")]})
        if not attrs["value"] and explanation:
            raise serializers.ValidationError(
                {"explanation": [_("An explanation goes with a remark marked yes; this one is marked no.")]}
            )
        return {**attrs, "explanation": explanation}


def _remark_flag(help_text):
    return RemarkFlagInput(required=False, help_text=help_text)


class RemarksInput(serializers.Serializer):
    special_findings = _remark_flag(_("Bijzonderheden geconstateerd: the clerk noticed something special."))
    persisted = _remark_flag(_("Persisteren: the applicant insisted on applying after the clerk raised a doubt."))
    covog_advice_requested = _remark_flag(_("COVOG-advies gevraagd: the municipality asks Justis for advice."))
    general_explanation = _remark_flag(_("Algemene toelichting: a general explanation of the municipality."))
    mayor_advice = strict.ChoiceField(
        choices=MayorAdvice.choices,
        required=False,
        default=MayorAdvice.UNKNOWN,
        help_text=_("Burgemeestersadvies: O (unknown), N (no), V (expected)."),
    )
    remark = strict.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")


class IdentityDocumentInput(serializers.Serializer):
    kind = strict.ChoiceField(choices=IdentityDocumentKind.choices)
    number_end = strict.RegexField(
        r"^[A-Za-z0-9]{4}$",
        error_messages={"invalid": _("Give exactly the last 4 letters or digits of the document number.")},
        help_text=_("The last 4 letters or digits of the document number; stored in capitals."),
    )

    def validate_number_end(self, value):
        return value.upper()


class PaymentInput(serializers.Serializer):
    method = strict.ChoiceField(
        choices=CounterPaymentMethod.choices,
        help_text=_("How the fee was paid at the counter. The amount comes from the fee table."),
    )


INTAKE_DATA_SOURCES = (PersonalDataSource.MUNICIPAL_SYSTEM, PersonalDataSource.MANUAL)


class IntakeInput(serializers.Serializer):
    location_code = strict.RegexField(
        r"^[0-9]{2}$",
        error_messages={"invalid": _("A location code has exactly 2 digits (e.g. 01).")},
        help_text=_("The 2-digit code of the municipality's desk where the application was taken."),
    )
    personal_data_source = strict.ChoiceField(
        choices=[(value, value.label) for value in INTAKE_DATA_SOURCES],
        required=False,
        default=PersonalDataSource.MUNICIPAL_SYSTEM,
        help_text=_(
            "municipal_system: the personal data comes from the population register through the municipal "
            "system. manual: the register could not be read and the data was typed; Justis checks it against "
            "the register before the assessment."
        ),
    )
    identity_document = IdentityDocumentInput()
    payment = PaymentInput()
    remarks = RemarksInput(required=False)

    def validate(self, attrs):
        municipality = self.context["municipality"]
        desk = Desk.objects.filter(municipality=municipality, code=attrs["location_code"]).first()
        if desk is None:
            raise serializers.ValidationError(
                {
                    "location_code": [
                        _("Municipality %(municipality)s has no desk with location code %(code)s.")
                        % {"municipality": municipality, "code": attrs["location_code"]}
                    ]
                }
            )
        return {**attrs, "desk": desk}


class ApplicationInput(serializers.Serializer):
    type = strict.ChoiceField(choices=ApplicationType.choices)
    applicant = ApplicantInput()
    organisation = OrganisationInput()
    purpose = PurposeInput()
    circumstances = strict.CharField(
        max_length=TEXT_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Special circumstances the organisation signals (omstandigheden); empty when none."),
    )
    urgent_reason = strict.ChoiceField(
        choices=[(value, value.label) for value in URGENT_REASONS_BY_TYPE[ApplicationType.VOG_NP]],
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Reason for the urgent procedure (spoedprocedure); empty when not asked."),
    )
    intake = IntakeInput(help_text=_("What the municipality checked and recorded at the counter."))

    def validate_type(self, value):
        if value != ApplicationType.VOG_NP:
            raise serializers.ValidationError(
                _("A municipality forwards only VOG NP applications; VOG RP and GVA are applied for at Justis.")
            )
        return value


class FeeOutput(serializers.Serializer):
    amount_cents = serializers.IntegerField(
        source="fee_cents", help_text=_("The fee taken at the counter, in euro cents (4135 is € 41,35).")
    )
    currency = serializers.SerializerMethodField(help_text=_("Always EUR."))

    @extend_schema_field({"type": "string", "enum": ["EUR"]})
    def get_currency(self, intake) -> str:
        return "EUR"


class ApplicationOutput(serializers.ModelSerializer):
    """An application as the municipality sees it: where it is, never the outcome of the screening.

    The stage is the one of the counter screens (``applications.stages.CounterStage``): in review,
    intention to refuse and refused would tell whether the person has justice records, so they read as
    "assessing" and "decided", as they do for the clerk.
    """

    status = serializers.SerializerMethodField(
        help_text=_(
            "The stage: received, assessing, on_hold (information is missing), decided (the applicant receives "
            "the decision by post), withdrawn, expired, or not_received. Never the outcome of the screening."
        ),
    )
    status_label = serializers.SerializerMethodField(help_text=_("The stage in words, in the request's language."))
    municipal_number = serializers.CharField(
        source="intake.municipal_number",
        allow_null=True,
        read_only=True,
        help_text=_("GGGG-LL-YYYYMMDD-NNNN: municipality, location, date and the desk's daily sequence."),
    )
    location_code = serializers.CharField(source="intake.desk.code", allow_null=True, read_only=True)
    fee = FeeOutput(
        source="intake", allow_null=True, read_only=True, help_text=_("The fee from the fee table for this channel.")
    )
    identity_verification = serializers.ChoiceField(
        choices=IdentityVerification.choices,
        read_only=True,
        help_text=_(
            "not_needed (data from the population register), pending (typed by hand: Justis checks it against "
            "the register before the assessment), verified, mismatch (differs: the application waits for a person)."
        ),
    )

    class Meta:
        model = Application
        fields = (
            "reference",
            "type",
            "status",
            "status_label",
            "municipal_number",
            "location_code",
            "fee",
            "identity_verification",
            "application_date",
            "received_at",
            "decision_due_date",
            "decided_at",
        )
        read_only_fields = fields

    @extend_schema_field({"type": "string", "enum": list(CounterStage.values)})
    def get_status(self, application) -> str:
        return counter_stage(application.status).value

    def get_status_label(self, application) -> str:
        return str(counter_stage(application.status).label)
