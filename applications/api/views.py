"""Municipal API v1: forward a VOG NP application, and follow its status."""

import hashlib
import json

from django.http import Http404
from django.utils.translation import gettext as _

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from justis.audit import Actor

from ..models import Channel
from ..selectors import applications_for_municipality
from ..services import ApplicantData, IdempotencyConflict, application_receive
from .serializers import ApplicationInput, ApplicationOutput

IDEMPOTENCY_KEY_MAX = 255

EXAMPLE = {
    "type": "VOG_NP",
    "applicant": {
        "bsn": "999990019",
        "given_names": "Jan",
        "surname": "Jansen",
        "birth_date": "1990-05-17",
        "birth_place": "Utrecht",
        "birth_country": "Nederland",
        "email": "jan.jansen@example.org",
    },
    "organisation": {"name": "Kinderopvang De Zonnebloem", "kvk_number": "12345678"},
    "purpose": {"position": "Pedagogisch medewerker", "functieaspecten": ["84", "86"]},
}


def token_actor(token) -> Actor:
    return Actor(kind="api_client", identifier=str(token.pk), label=f"{token.name} ({token.municipality.code})")


class ApplicationCreateApi(APIView):
    @extend_schema(
        operation_id="applications_forward",
        summary="Forward a VOG NP application taken at the municipal counter",
        description=(
            "The municipality has checked the applicant's identity and taken the fee, so the application "
            "is received at once and its assessment is queued. Send an `Idempotency-Key` header: a retry "
            "with the same key returns the same application (200) and never creates a second one."
        ),
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=False,
                description="Unique per application, at most 255 characters (e.g. a UUID).",
            )
        ],
        request=ApplicationInput,
        responses={
            201: ApplicationOutput,
            200: OpenApiResponse(
                ApplicationOutput, description="Repeated request: the application made the first time."
            ),
            400: OpenApiResponse(description="Invalid input; the errors name the field."),
            409: OpenApiResponse(description="The Idempotency-Key was used before for a different application."),
        },
        examples=[OpenApiExample("Counter application", value=EXAMPLE, request_only=True)],
    )
    def post(self, request):
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > IDEMPOTENCY_KEY_MAX:
            raise ValidationError({"Idempotency-Key": [_("At most 255 characters.")]})
        serializer = ApplicationInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        applicant = data["applicant"]
        address = applicant.get("address") or {}
        purpose = data["purpose"]
        try:
            application, created = application_receive(
                application_type=data["type"],
                channel=Channel.MUNICIPAL_API,
                applicant=ApplicantData(
                    bsn=applicant["bsn"],
                    given_names=applicant["given_names"],
                    surname_prefix=applicant["surname_prefix"],
                    surname=applicant["surname"],
                    birth_date=applicant["birth_date"],
                    birth_place=applicant["birth_place"],
                    birth_country=applicant["birth_country"],
                    email=applicant["email"],
                    **address,
                ),
                organisation_name=data["organisation"]["name"],
                kvk_number=data["organisation"]["kvk_number"],
                purpose_code=purpose["code"],
                position=purpose["position"],
                purpose_description=purpose["description"],
                screening_profile=purpose["screening_profile"],
                functieaspecten=purpose["functieaspecten"],
                actor=token_actor(request.auth),
                municipality=request.auth.municipality,
                idempotency_key=key,
                request_fingerprint=hashlib.sha256(
                    json.dumps(request.data, sort_keys=True, default=str).encode()
                ).hexdigest(),
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
        return Response(
            ApplicationOutput(application).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
            headers={"Location": f"/api/v1/applications/{application.reference}/"},
        )


class ApplicationDetailApi(APIView):
    @extend_schema(
        operation_id="applications_status",
        summary="The current status of an application this municipality forwarded",
        responses={
            200: ApplicationOutput,
            404: OpenApiResponse(description="No such application for this municipality."),
        },
    )
    def get(self, request, reference: str):
        application = (
            applications_for_municipality(municipality=request.auth.municipality).filter(reference=reference).first()
        )
        if application is None:
            raise Http404
        return Response(ApplicationOutput(application).data)
