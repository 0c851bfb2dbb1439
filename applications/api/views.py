"""Municipal API v1: forward a VOG NP application taken at the counter, and follow its status."""

import hashlib
import json

from django.http import Http404
from django.utils.translation import gettext as _

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import exceptions, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from justis.audit import Actor

from ..intake import REMARK_FLAGS, DeskSequenceExhausted, IntakeData
from ..models import ApiToken, Channel, MayorAdvice
from ..selectors import applications_for_municipality
from ..services import ApplicantData, IdempotencyConflict, OrganisationContact, application_receive
from .serializers import ApplicationInput, ApplicationOutput
from .throttling import AnonymousAddressThrottle, MunicipalTokenThrottle, TooManyRequests, TooManyRequestsFromAddress

IDEMPOTENCY_KEY_MAX = 255

EXAMPLE = {
    "type": "VOG_NP",
    "applicant": {
        "bsn": "999990019",
        "given_names": "Jan",
        "surname_prefix": "",
        "surname": "Jansen",
        "birth_date": "1990-05-17",
        "birth_place": "Utrecht",
        "birth_country": "Nederland",
        "gender": "M",
        "nationalities": ["Nederlandse"],
        "email": "jan.jansen@example.org",
        "phone": "06 12345678",
        "address": {
            "street": "Biltstraat",
            "house_number": "112",
            "house_number_suffix": "",
            "postcode": "3572 BJ",
            "city": "Utrecht",
            "country": "Nederland",
        },
        "previous_identities": [
            {"given_names": "Jan", "surname_prefix": "", "surname": "Pietersen", "birth_date": "1990-05-17"}
        ],
    },
    "organisation": {
        "name": "Kinderopvang De Zonnebloem",
        "kvk_number": "12345678",
        "representative": "M. de Vries",
        "address": {
            "street": "Oudegracht",
            "house_number": "231",
            "house_number_suffix": "A",
            "postcode": "3511 NK",
            "city": "Utrecht",
            "country": "Nederland",
        },
        "phone": "030 1234567",
    },
    "purpose": {"position": "Pedagogisch medewerker", "functieaspecten": ["84", "86"]},
    "circumstances": "",
    "urgent_reason": "",
    "intake": {
        "location_code": "01",
        "personal_data_source": "municipal_system",
        "identity_document": {"kind": "identity_card", "number_end": "4X7B"},
        "payment": {"method": "pin"},
        "remarks": {
            "special_findings": {"value": False, "explanation": ""},
            "persisted": {"value": False, "explanation": ""},
            "covog_advice_requested": {"value": False, "explanation": ""},
            "general_explanation": {"value": True, "explanation": "Aanvrager werkt ook als gastouder."},
            "mayor_advice": "O",
            "remark": "",
        },
    },
}

# The remark flag in the API and the explanation field of the intake record.
_REMARK_TEXT_FIELD = dict(REMARK_FLAGS)

THROTTLED = OpenApiResponse(
    inline_serializer("TooManyRequests", {"detail": serializers.CharField()}),
    description=(
        "Too many requests with this token (limit per token: `MUNICIPAL_API_RATE`, e.g. 120/min). "
        "The `Retry-After` header gives the seconds to wait; nothing was saved."
    ),
)
NOT_AUTHENTICATED = OpenApiResponse(description="No valid token in the Authorization header.")
RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    OpenApiTypes.INT,
    OpenApiParameter.HEADER,
    response=[429],
    description="Seconds to wait before the next request with this token.",
)


def token_actor(token) -> Actor:
    return Actor(kind="api_client", identifier=str(token.pk), label=f"{token.name} ({token.municipality.code})")


def request_fingerprint(data) -> str:
    """The same JSON gives the same fingerprint, whatever the order of its keys or its spacing."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _intake_data(intake: dict) -> IntakeData:
    remarks = intake.get("remarks") or {}
    flags = {}
    for flag, text_field in _REMARK_TEXT_FIELD.items():
        given = remarks.get(flag) or {}
        flags[flag] = given.get("value", False)
        flags[text_field] = given.get("explanation", "")
    return IntakeData(
        desk=intake["desk"],
        clerk=None,
        personal_data_source=intake["personal_data_source"],
        id_document_kind=intake["identity_document"]["kind"],
        id_document_number_end=intake["identity_document"]["number_end"],
        payment_method=intake["payment"]["method"],
        mayor_advice=remarks.get("mayor_advice", MayorAdvice.UNKNOWN),
        remark=remarks.get("remark", ""),
        **flags,
    )


class MunicipalApiView(APIView):
    throttle_classes = [MunicipalTokenThrottle]

    def initial(self, request, *args, **kwargs):
        """A request without a valid token counts against its address's limit (``API_ANONYMOUS_RATE``) before
        it is refused: DRF authenticates and checks permissions before its throttles run, so guessed tokens
        would otherwise never be counted."""
        try:
            authenticated = isinstance(request.auth, ApiToken)
        except exceptions.APIException:
            self._address_limit(request)
            raise
        if not authenticated:
            self._address_limit(request)
        super().initial(request, *args, **kwargs)

    def _address_limit(self, request) -> None:
        throttle = AnonymousAddressThrottle()
        if not throttle.allow_request(request, self):
            raise TooManyRequestsFromAddress(throttle.wait())

    def throttled(self, request, wait):
        raise TooManyRequests(wait)

    def scoped_applications(self):
        return applications_for_municipality(municipality=self.request.auth.municipality).select_related("intake__desk")


class ApplicationCreateApi(MunicipalApiView):
    @extend_schema(
        operation_id="applications_forward",
        summary="Forward a VOG NP application taken at the municipal counter",
        description=(
            "The municipality has checked the applicant's identity document and taken the fee, so the "
            "application is received at once and its assessment is queued. The `intake` block says what the "
            "counter checked and recorded: the desk (`location_code`, a desk of the token's municipality), the "
            "identity document, how the fee was paid (the amount comes from the fee table and is in the answer) "
            "and the municipality's remarks. The answer carries the municipal number "
            "GGGG-LL-YYYYMMDD-NNNN.\n\n"
            "Send an `Idempotency-Key` header: a retry with the same key and the same body returns the same "
            "application (200) and never creates a second one; the same key with another body is a 409.\n\n"
            "Every error names its field path, e.g. "
            '`{"intake": {"remarks": {"persisted": {"explanation": ["…"]}}}}`, in Dutch or English '
            "(`Accept-Language`)."
        ),
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=False,
                description="Unique per application, at most 255 characters (e.g. a UUID).",
            ),
            RETRY_AFTER,
        ],
        request=ApplicationInput,
        responses={
            201: ApplicationOutput,
            200: OpenApiResponse(
                ApplicationOutput, description="Repeated request: the application made the first time."
            ),
            400: OpenApiResponse(description="Invalid input; the errors name the field."),
            401: NOT_AUTHENTICATED,
            409: OpenApiResponse(description="The Idempotency-Key was used before for a different application."),
            429: THROTTLED,
        },
        examples=[OpenApiExample("Counter application", value=EXAMPLE, request_only=True)],
    )
    def post(self, request):
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > IDEMPOTENCY_KEY_MAX:
            raise ValidationError({"Idempotency-Key": [_("At most 255 characters.")]})
        serializer = ApplicationInput(data=request.data, context={"municipality": request.auth.municipality})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        applicant = data["applicant"]
        organisation = data["organisation"]
        purpose = data["purpose"]
        try:
            application, created = application_receive(
                application_type=data["type"],
                channel=Channel.MUNICIPAL_API,
                applicant=ApplicantData.from_values({**applicant, **(applicant.get("address") or {})}),
                organisation_name=organisation["name"],
                kvk_number=organisation["kvk_number"],
                organisation_contact=OrganisationContact(
                    representative=organisation["representative"],
                    phone=organisation["phone"],
                    **(organisation.get("address") or {}),
                ),
                purpose_code=purpose["code"],
                position=purpose["position"],
                purpose_description=purpose["description"],
                screening_profile=purpose["screening_profile"],
                functieaspecten=purpose["functieaspecten"],
                circumstances=data["circumstances"],
                urgent_reason=data["urgent_reason"],
                intake=_intake_data(data["intake"]),
                actor=token_actor(request.auth),
                municipality=request.auth.municipality,
                idempotency_key=key,
                request_fingerprint=request_fingerprint(request.data),
            )
        except IdempotencyConflict as exc:
            return Response(
                {
                    "detail": _(
                        "This Idempotency-Key was already used for application %(reference)s with other data. "
                        "Use a new key for a new application."
                    )
                    % {"reference": exc.reference}
                },
                status=status.HTTP_409_CONFLICT,
            )
        except DeskSequenceExhausted as exc:
            raise ValidationError(
                {
                    "intake": {
                        "location_code": [
                            _("This desk has handed out all 9999 municipal numbers of today. Use another desk.")
                        ]
                    }
                }
            ) from exc
        return Response(
            ApplicationOutput(application).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
            headers={"Location": f"/api/v1/applications/{application.reference}/"},
        )


class ApplicationDetailApi(MunicipalApiView):
    @extend_schema(
        operation_id="applications_status",
        summary="The current status of an application this municipality forwarded",
        parameters=[RETRY_AFTER],
        responses={
            200: ApplicationOutput,
            401: NOT_AUTHENTICATED,
            404: OpenApiResponse(description="No such application for this municipality."),
            429: THROTTLED,
        },
    )
    def get(self, request, reference: str):
        application = self.scoped_applications().filter(reference=reference).first()
        if application is None:
            raise Http404
        return Response(ApplicationOutput(application).data)


class ApplicationByMunicipalNumberApi(MunicipalApiView):
    @extend_schema(
        operation_id="applications_by_municipal_number",
        summary="Does Justis know this municipal number?",
        description=(
            "The municipal system asks whether Justis knows an application of this municipality by its "
            "municipal number (GGGG-LL-YYYYMMDD-NNNN, given in the answer to the forward), for instance when a "
            "clerk or the applicant quotes it. 200 with the application (its Justis reference and status); 404 "
            "when this municipality forwarded no application with that number. A forward whose answer was lost "
            "is best repeated with the same Idempotency-Key: it returns the application made the first time."
        ),
        parameters=[RETRY_AFTER],
        responses={
            200: ApplicationOutput,
            401: NOT_AUTHENTICATED,
            404: OpenApiResponse(description="This municipality forwarded no application with this number."),
            429: THROTTLED,
        },
    )
    def get(self, request, municipal_number: str):
        application = self.scoped_applications().filter(intake__municipal_number=municipal_number).first()
        if application is None:
            raise Http404
        return Response(ApplicationOutput(application).data)
