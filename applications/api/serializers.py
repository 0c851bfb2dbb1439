"""Input and output of the municipal API v1. Validation at the edge: every error names its field."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rest_framework import serializers

from screening.catalogue import CatalogueError, function_aspect_on, purpose_code_on, specific_profile_on

from ..lifecycle import Status
from ..models import Application, ApplicationType
from ..validators import validate_bsn, validate_kvk_number

EARLIEST_BIRTH_DATE = date(1900, 1, 1)


class AddressInput(serializers.Serializer):
    street = serializers.CharField(max_length=35, required=False, allow_blank=True, default="")
    house_number = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    house_number_suffix = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    postcode = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    city = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    country = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class ApplicantInput(serializers.Serializer):
    bsn = serializers.CharField(
        validators=[validate_bsn], help_text=_("Burgerservicenummer: 9 digits, passes the 11-test.")
    )
    given_names = serializers.CharField(max_length=200)
    surname_prefix = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    surname = serializers.CharField(max_length=200)
    birth_date = serializers.DateField(help_text=_("YYYY-MM-DD"))
    birth_place = serializers.CharField(max_length=40)
    birth_country = serializers.CharField(max_length=40)
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True, default="")
    address = AddressInput(required=False)

    def validate_birth_date(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError(_("The date of birth lies in the future."))
        if value < EARLIEST_BIRTH_DATE:
            raise serializers.ValidationError(_("The date of birth is before 1900: check the year."))
        return value


class OrganisationInput(serializers.Serializer):
    name = serializers.CharField(max_length=80)
    kvk_number = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        validators=[],
        help_text=_("8 digits; may be left out for an organisation outside the Netherlands."),
    )

    def validate_kvk_number(self, value):
        if value:
            validate_kvk_number(value)
        return value


class PurposeInput(serializers.Serializer):
    code = serializers.CharField(
        max_length=3,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("WRE (work relation, with a position) or OVG (other purpose, with a description)."),
    )
    position = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    description = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    screening_profile = serializers.CharField(max_length=2, required=False, allow_blank=True, default="")
    functieaspecten = serializers.ListField(
        child=serializers.CharField(max_length=2), required=False, default=list, max_length=30
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


class ApplicationInput(serializers.Serializer):
    type = serializers.ChoiceField(choices=ApplicationType.choices)
    applicant = ApplicantInput()
    organisation = OrganisationInput()
    purpose = PurposeInput()

    def validate_type(self, value):
        if value != ApplicationType.VOG_NP:
            raise serializers.ValidationError(
                _("A municipality forwards only VOG NP applications; VOG RP and GVA are applied for at Justis.")
            )
        return value


class ApplicationOutput(serializers.ModelSerializer):
    status = serializers.ChoiceField(
        choices=Status.choices,
        help_text=_(
            "received, in_assessment, in_review, on_hold, intent_to_refuse, issued, refused, withdrawn "
            "(prepared, submitted and expired only occur in the digital channel)."
        ),
    )
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = Application
        fields = (
            "reference",
            "type",
            "status",
            "status_label",
            "application_date",
            "received_at",
            "decision_due_date",
            "decided_at",
        )
        read_only_fields = fields
