"""The certificate and the letters as PDF: an HTML template rendered by WeasyPrint, in Dutch with English beside it.

Rendering costs about 90 ms a page, so it runs on the low-priority ``documents`` queue, never inside
the assessment transaction. WeasyPrint is imported here only, not at module level elsewhere.
"""

from datetime import date

from django.conf import settings
from django.template.loader import render_to_string

from notifications.templatetags.message_dates import long_en, long_nl


def _long_dates(iso: str) -> dict:
    return {"nl": long_nl(iso), "en": long_en(iso)}


def verification_qr(url: str) -> str:
    """The QR code that opens ``url``, as an SVG data URI to embed in the certificate (segno: no Pillow)."""
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def _verification(certificate) -> dict:
    from .verification import verification_url

    url = verification_url(certificate.verification_code)
    return {"code": certificate.verification_code, "verify_url": url, "qr": verification_qr(url)}


def certificate_html(certificate) -> str:
    printed = certificate.printed
    if "legal_entity" in printed:
        return render_to_string(
            "screening/certificate_company.html",
            {
                "p": printed,
                **_verification(certificate),
                "application_date": _long_dates(printed["application_date"]),
                "issued_on": _long_dates(printed["issued_on"]),
                "valid_until": _long_dates(printed["valid_until"]) if printed.get("valid_until") else None,
            },
        )
    return render_to_string(
        "screening/certificate.html",
        {
            "p": printed,
            **_verification(certificate),
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


def _addressee(application) -> dict:
    """Who a letter is addressed to: the company (for its representative) or the applicant."""
    legal_entity = getattr(application, "legal_entity", None)
    if legal_entity is not None:
        return {"applicant": None, "legal_entity": legal_entity}
    return {"applicant": getattr(application, "applicant", None), "legal_entity": None}


def intention_to_refuse_html(*, application, reasons: str, deadline: date, sent_on: date) -> str:
    """The letter to the applicant, or for a VOG RP or GVA to the company (for its representative)."""
    legal_entity = getattr(application, "legal_entity", None)
    return render_to_string(
        "screening/letters/intention_to_refuse_company.html"
        if legal_entity is not None
        else "screening/letters/intention_to_refuse.html",
        {
            "application": application,
            **_addressee(application),
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


def refusal_decision_html(*, application, reasons: str, views, decided_on: date) -> str:
    from datetime import timedelta

    objection_until = decided_on + timedelta(weeks=settings.OBJECTION_PERIOD_WEEKS)
    return render_to_string(
        "screening/letters/refusal.html",
        {
            "application": application,
            **_addressee(application),
            "reasons": reasons,
            "views": [{"on": _long(view.submitted_at.date()), "channel": view.channel} for view in views],
            "decided_on": _long(decided_on),
            "objection_until": _long(objection_until),
            "objection_weeks": settings.OBJECTION_PERIOD_WEEKS,
            "phone": settings.JUSTIS_CONTACT_PHONE,
            "address": settings.JUSTIS_CONTACT_ADDRESS,
        },
    )


def refusal_decision_pdf(*, application, reasons: str, views, decided_on: date) -> bytes:
    """The decision to refuse (beschikking): reasons, the views read and how to object."""
    from weasyprint import HTML

    return HTML(
        string=refusal_decision_html(application=application, reasons=reasons, views=views, decided_on=decided_on)
    ).write_pdf()


def objection_decision_html(*, objection, application, sent_on: date) -> str:
    from .objections import appeal_deadline

    upheld = objection.outcome == "upheld"
    appeal_until = appeal_deadline(objection)
    return render_to_string(
        "screening/letters/objection_decision.html",
        {
            "application": application,
            **_addressee(application),
            "objection": objection,
            "outcome": objection.outcome,
            "upheld": upheld,
            "sent_on": _long(sent_on),
            "received_on": _long(objection.received_on),
            "decision_date": _long(objection.decision_date),
            "appeal_until": _long(appeal_until) if appeal_until and not upheld else None,
            "address": settings.JUSTIS_CONTACT_ADDRESS,
        },
    )


def objection_decision_pdf(*, objection, application, sent_on: date) -> bytes:
    """The decision on an objection: outcome, motivation and, when the refusal stands, the right of appeal."""
    from weasyprint import HTML

    return HTML(
        string=objection_decision_html(objection=objection, application=application, sent_on=sent_on)
    ).write_pdf()
