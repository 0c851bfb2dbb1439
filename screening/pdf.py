"""The certificate and the letters as PDF: an HTML template rendered by WeasyPrint, in Dutch with English beside it.

Rendering costs about 90 ms a page, so it runs on the low-priority ``documents`` queue, never inside
the assessment transaction. WeasyPrint is imported here only, not at module level elsewhere.
"""

from datetime import date

from django.conf import settings
from django.template.loader import render_to_string

MONTHS_NL = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def _long_dates(iso: str) -> dict:
    day = date.fromisoformat(iso)
    return {
        "nl": f"{day.day} {MONTHS_NL[day.month - 1]} {day.year}",
        "en": f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}",
    }


def certificate_html(certificate) -> str:
    printed = certificate.printed
    if "legal_entity" in printed:
        return render_to_string(
            "screening/certificate_company.html",
            {
                "p": printed,
                "code": certificate.verification_code,
                "application_date": _long_dates(printed["application_date"]),
                "issued_on": _long_dates(printed["issued_on"]),
                "valid_until": _long_dates(printed["valid_until"]) if printed.get("valid_until") else None,
            },
        )
    return render_to_string(
        "screening/certificate.html",
        {
            "p": printed,
            "code": certificate.verification_code,
            "application_date": _long_dates(printed["application_date"]),
            "issued_on": _long_dates(printed["issued_on"]),
            "birth_date": _long_dates(printed["applicant"]["birth_date"]),
        },
    )


def certificate_pdf(certificate) -> bytes:
    from weasyprint import HTML

    return HTML(string=certificate_html(certificate)).write_pdf()


def _long(day: date) -> dict:
    return _long_dates(day.isoformat())


def intention_to_refuse_html(*, application, reasons: str, deadline: date, sent_on: date) -> str:
    """The letter to the applicant, or for a VOG RP or GVA to the company (for its representative)."""
    legal_entity = getattr(application, "legal_entity", None)
    return render_to_string(
        "screening/letters/intention_to_refuse_company.html"
        if legal_entity is not None
        else "screening/letters/intention_to_refuse.html",
        {
            "application": application,
            "applicant": None if legal_entity is not None else application.applicant,
            "legal_entity": legal_entity,
            "reasons": reasons,
            "sent_on": _long(sent_on),
            "deadline": _long(deadline),
            "phone": settings.JUSTIS_CONTACT_PHONE,
            "address": settings.JUSTIS_CONTACT_ADDRESS,
        },
    )


def intention_to_refuse_pdf(*, application, reasons: str, deadline: date, sent_on: date) -> bytes:
    """The letter with the intention to refuse: one short page, fast enough to render in the request."""
    from weasyprint import HTML

    return HTML(
        string=intention_to_refuse_html(application=application, reasons=reasons, deadline=deadline, sent_on=sent_on)
    ).write_pdf()
