"""The public verification page (/controleren/) and API (GET /api/v1/certificates/verify/<code>/). No login.

Views parse the request, apply the rate limit and render; ``screening.verification`` does the work.
"""

from django import forms
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from applications.api.throttling import AnonymousAddressThrottle
from applications.models import ApplicationType

from .models import CheckChannel
from .verification import (
    CertificateCheckThrottle,
    CheckResult,
    certificate_check,
    client_address,
    too_many_checks_message,
)


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_(
            "The code on the certificate, for example ABCD-EFGH-JKMN-PQRS. Capitals, spaces and dashes do not matter."
        ),
        error_messages={"required": _("Fill in the verification code printed on the certificate.")},
    )
    organisation = forms.CharField(
        label=_("Your organisation (optional)"),
        max_length=200,
        required=False,
        help_text=_("When you fill this in, the applicant sees that your organisation checked the certificate."),
    )


def _language() -> str:
    return (get_language() or "nl")[:2]


def _shown(result: CheckResult) -> dict:
    """The result as the page shows it: the printed wording in the reader's language."""
    if not result.genuine:
        return {"genuine": False}
    basis = result.screening_basis
    language = _language()
    return {
        "genuine": True,
        "type": result.type,
        "type_label": ApplicationType(result.type).label,
        "application_date": result.application_date,
        "basis_kind": basis["kind"] if basis else "",
        "basis_items": [
            {"code": item["code"], "text": item["nl"] if language == "nl" else item["en"]} for item in basis["items"]
        ]
        if basis
        else [],
        "valid_until": result.valid_until,
        "expired": result.expired,
    }


def _throttled(request, form):
    throttle = CertificateCheckThrottle()
    if throttle.allow_request(request, None):
        return None
    message, seconds = too_many_checks_message(throttle.wait())
    response = render(request, "verification/check.html", {"form": form, "too_many": message}, status=429)
    response["Retry-After"] = str(seconds)
    return response


@require_http_methods(["GET", "POST"])
def verify_page(request):
    """The form; a sent form shows the result on the same page."""
    if request.method == "GET":
        return render(request, "verification/check.html", {"form": VerifyForm()})
    form = VerifyForm(request.POST)
    if not form.is_valid():
        return render(request, "verification/check.html", {"form": form})
    throttled = _throttled(request, form)
    if throttled is not None:
        return throttled
    result = certificate_check(
        typed_code=form.cleaned_data["code"],
        channel=CheckChannel.PAGE,
        client_address=client_address(request),
        organisation_name=form.cleaned_data["organisation"],
    )
    return render(
        request,
        "verification/check.html",
        {"form": VerifyForm(initial=form.cleaned_data), "result": _shown(result)},
        status=200 if result.genuine else 404,
    )


@require_http_methods(["GET"])
def verify_code_page(request, code: str):
    """The address in the QR code: the result at once, and the form for another code."""
    form = VerifyForm(initial={"code": code})
    throttled = _throttled(request, form)
    if throttled is not None:
        return throttled
    result = certificate_check(typed_code=code, channel=CheckChannel.PAGE, client_address=client_address(request))
    return render(
        request,
        "verification/check.html",
        {"form": form, "result": _shown(result)},
        status=200 if result.genuine else 404,
    )


# --- API ---------------------------------------------------------------------------------------------


class ScreeningBasisItem(serializers.Serializer):
    code = serializers.CharField()
    nl = serializers.CharField(help_text="The wording printed on the certificate, in Dutch.")
    en = serializers.CharField(help_text="The wording printed on the certificate, in English.")


class ScreeningBasisOutput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["specific_profile", "functieaspecten"])
    items = ScreeningBasisItem(many=True)


class VerifyOutput(serializers.Serializer):
    genuine = serializers.BooleanField()
    type = serializers.ChoiceField(choices=ApplicationType.choices)
    application_date = serializers.DateField()
    screening_basis = ScreeningBasisOutput(allow_null=True, help_text="Empty for a GVA.")
    valid_until = serializers.DateField(allow_null=True, help_text="The last valid day of a GVA; empty for a VOG.")
    expired = serializers.BooleanField(help_text="True for a GVA after its last valid day (verlopen).")


NOT_FOUND = inline_serializer(
    "VerifyNotFound", {"genuine": serializers.BooleanField(), "detail": serializers.CharField()}
)


class TooManyChecks(Throttled):
    """429 with Retry-After (set by DRF from ``wait``) and the page's message, in the request's language."""

    def __init__(self, wait: float | None):
        message, seconds = too_many_checks_message(wait)
        super().__init__(wait=None, detail=message)
        self.wait = seconds


class CertificateVerifyApi(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    # Its own limit on checks, and the general one on requests without a token.
    throttle_classes = [CertificateCheckThrottle, AnonymousAddressThrottle]

    def throttled(self, request, wait):
        raise TooManyChecks(wait)

    @extend_schema(
        operation_id="certificates_verify",
        summary="Is this a genuine certificate?",
        description=(
            "Public: no token. An organisation checks the verification code printed on a VOG or GVA "
            "(XXXX-XXXX-XXXX-XXXX; lower case, spaces and missing dashes are accepted, O is read as 0 and I and L "
            "as 1). 200 with the type, application date, screening basis and, for a GVA, its last valid day: "
            "nothing about the person. 404 when no certificate has this code. At most `VERIFY_RATE` checks per "
            "client address (page and API together); every check is recorded and shown to the applicant."
        ),
        tags=["certificates"],
        auth=[],
        parameters=[
            OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH, description="The verification code."),
            OpenApiParameter(
                "Retry-After",
                OpenApiTypes.INT,
                OpenApiParameter.HEADER,
                response=[429],
                description="Seconds to wait before the next check from this address.",
            ),
        ],
        responses={
            200: VerifyOutput,
            404: OpenApiResponse(NOT_FOUND, description="No certificate has this code."),
            429: OpenApiResponse(
                inline_serializer("TooManyChecks", {"detail": serializers.CharField()}),
                description="Too many checks from this address (`VERIFY_RATE`); see Retry-After.",
            ),
        },
    )
    def get(self, request, code: str):
        result = certificate_check(typed_code=code, channel=CheckChannel.API, client_address=client_address(request))
        if not result.genuine:
            return Response(
                {
                    "genuine": False,
                    "detail": str(
                        _(
                            "No certificate has this code. Check the code, or ask the applicant for the "
                            "certificate (PDF)."
                        )
                    ),
                },
                status=404,
            )
        return Response(
            VerifyOutput(
                {
                    "genuine": True,
                    "type": result.type,
                    "application_date": result.application_date,
                    "screening_basis": result.screening_basis,
                    "valid_until": result.valid_until,
                    "expired": result.expired,
                }
            ).data
        )
