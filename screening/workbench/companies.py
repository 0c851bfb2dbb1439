"""The case screen of a VOG RP or GVA: the legal entity and the records grouped per key person and company.

The records stay indexed as in ``Assessment.records`` (the objective criterion per record refers to
that index); ``Assessment.subjects`` says who was screened, who not and why (``screening.companies``).
"""

from __future__ import annotations

from datetime import date

from applications.models import ApplicationType, KeyPersonRole

from ..companies import KEY_PERSON, LEFT_TOO_LONG_AGO, NO_BSN, SCREENED


def _in_language(texts: dict | None, language: str) -> str:
    texts = texts or {}
    return texts.get(language) or texts.get("en") or texts.get("nl") or ""


def _role_label(subject: dict) -> str:
    if subject["kind"] != KEY_PERSON:
        return ""
    role = subject.get("role", "")
    return str(KeyPersonRole(role).label) if role in KeyPersonRole.values else role


def company_case_context(application, records: list[dict], language: str) -> dict:
    """What the case screen adds for a company: ``legal_entity`` and ``subject_groups`` (empty otherwise).

    ``records`` are the rows the case screen built from ``Assessment.records`` (with ``index`` and the
    pre-assessment's ``finding``); each group gets its own rows, with the GVA exclusion ground named.
    """
    if application.type not in (ApplicationType.VOG_RP, ApplicationType.GVA):
        return {"legal_entity": None, "subject_groups": []}
    assessment = getattr(application, "assessment", None)
    subjects = (assessment.subjects if assessment else None) or []
    by_index = {row["index"]: row for row in records}
    findings = (assessment.findings if assessment else None) or []
    groups = []
    for subject in subjects:
        rows = []
        for index in subject.get("records", []):
            row = by_index.get(index)
            if row is None:
                continue
            finding = findings[index] if index < len(findings) else {}
            ground = finding.get("ground_name")
            ground_name = _in_language(ground, language) if ground else ""
            rows.append({**row, "ground": ground_name, "ground_code": finding.get("ground")})
        left_on = subject.get("left_on")
        groups.append(
            {
                "kind": subject["kind"],
                "id": subject["id"],
                "name": subject["name"],
                "role": _role_label(subject),
                "status": subject["status"],
                "screened": subject["status"] == SCREENED,
                "left_too_long_ago": subject["status"] == LEFT_TOO_LONG_AGO,
                "no_bsn": subject["status"] == NO_BSN,
                "left_on": date.fromisoformat(left_on) if left_on else None,
                "for_screener": subject.get("for_screener", 0),
                "explanation": _in_language(subject.get("explanation"), language),
                "rows": rows,
            }
        )
    return {
        "legal_entity": getattr(application, "legal_entity", None),
        "subject_groups": groups,
        "is_gva": application.type == ApplicationType.GVA,
    }
