"""Who may open which page or endpoint: one table, keyed by URL pattern name.

The views enforce access themselves (``justis.login.access`` decorators, the token authentication of the
API, the admin site's ``has_permission``) and scope objects to their owner in the selectors. This table
states the intended outcome per role in one readable place; ``tests/test_role_matrix.py`` walks the URL
configuration and checks every page against every role, so a new URL without a rule here fails the build
and a decorator that lets the wrong role in is caught.

A rule is either a set of roles (the only roles that may open the page; anyone else, the anonymous visitor
included, is sent to a login or refused) or one of two markers:

- ``ANYONE``: a public page (home, status, certificate check, payment return, health checks).
- ``LOGIN_FLOW``: a page of a login flow (DigiD, eHerkenning, the staff login): open to everyone, it
  sends a visitor on to a login or back to where they came from, and never shows protected data.

Auditors open the search of the audit trail and its export (read-only), and nothing else of the service.
"""

from __future__ import annotations

import re

from justis.roles import STAFF_ROLES, Role

ANYONE = "anyone"
LOGIN_FLOW = "login flow"
NOBODY: frozenset[Role] = frozenset()

CITIZEN = frozenset({Role.CITIZEN})
ORGANISATION = frozenset({Role.ORGANISATION})
CLERK = frozenset({Role.MUNICIPAL_CLERK})
MUNICIPAL_SYSTEM = frozenset({Role.MUNICIPAL_SYSTEM})
INTAKE_OFFICER = frozenset({Role.INTAKE_OFFICER})
SCREENERS = frozenset({Role.SCREENER, Role.SENIOR_SCREENER})
FUNCTIONAL_ADMIN = frozenset({Role.FUNCTIONAL_ADMIN})
TEAM_LEAD = frozenset({Role.TEAM_LEAD})
OPERATOR = frozenset({Role.OPERATOR})
AUDITOR = frozenset({Role.AUDITOR})
STAFF = frozenset(STAFF_ROLES)

# A rule for every URL of a namespace at once: the admin site decides access for all its pages in one
# place (``ReferenceDataAdminSite.has_permission``), so each model it registers is covered by this rule.
# The DigiD and eHerkenning packages bring their own login, return (ACS) and logout pages; with the demo
# logins (development, tests) DigiD is a mock with its own identity provider pages.
NAMESPACE_RULES: dict[str, frozenset[Role] | str] = {
    "reference_admin": FUNCTIONAL_ADMIN,
    "digid": LOGIN_FLOW,
    "digid-mock": LOGIN_FLOW,
    "eherkenning": LOGIN_FLOW,
}

# Namespaces of the production login (``ENABLE_DEMO_LOGINS`` off), absent from the demo configuration.
PRODUCTION_ONLY_NAMESPACES = frozenset({"eherkenning"})

# Pages of such a namespace whose rule differs from the namespace's.
NAMESPACE_EXCEPTIONS: dict[str, frozenset[Role] | str] = {
    # The admin site's own login only sends a visitor on to the staff login; its logout ends the session.
    "reference_admin:login": LOGIN_FLOW,
    "reference_admin:logout": LOGIN_FLOW,
    # No reference data admin has autocomplete fields, so the admin refuses every autocomplete request.
    "reference_admin:autocomplete": NOBODY,
}

# Pages of a namespace by the end of their name: reference data is never deleted (a version is ended by
# its "valid to" date), so the delete page of every model is refused to everyone, functional administrators too.
NAMESPACE_SUFFIX_RULES: dict[tuple[str, str], frozenset[Role] | str] = {
    ("reference_admin", "_delete"): NOBODY,
}

ACCESS_RULES: dict[str, frozenset[Role] | str] = {
    # --- Public pages --------------------------------------------------------------------------
    "home": ANYONE,
    "healthz": ANYONE,
    "readyz": ANYONE,
    "set_language": ANYONE,
    "status": ANYONE,
    "status-json": ANYONE,
    "verify": ANYONE,
    "verify-code": ANYONE,
    "api-certificate-verify": ANYONE,
    "api-schema": ANYONE,
    "api-docs": ANYONE,
    # An invitation is opened by its code before the applicant logs in with DigiD.
    "invitation-start": ANYONE,
    "invitation-link": ANYONE,
    # The payer comes back from the payment provider (the payment's unguessable public id).
    "payments:return": ANYONE,
    # The payment provider calls the webhook; the demo bank stands in for the provider's pages.
    "payments:webhook": ANYONE,
    "payments:demo-bank": ANYONE,
    # --- Login flows ---------------------------------------------------------------------------
    "login": LOGIN_FLOW,
    "demo-eherkenning": LOGIN_FLOW,
    "logout": LOGIN_FLOW,
    "extend-session": LOGIN_FLOW,
    "digid-login-guarded": LOGIN_FLOW,
    "two_factor:login": LOGIN_FLOW,
    # Setting up the authenticator app: a staff member, logged in with the password.
    "two_factor:setup": STAFF,
    "two_factor:qr": STAFF,
    "two_factor:backup_tokens": STAFF,
    # --- Organisations (eHerkenning): their own requests, the stage only -------------------------
    "organisation-requests": ORGANISATION,
    "organisation-prepare": ORGANISATION,
    "organisation-bulk": ORGANISATION,
    "organisation-bulk-detail": ORGANISATION,
    "organisation-bulk-status": ORGANISATION,
    "organisation-bulk-report": ORGANISATION,
    # --- Citizens (DigiD): their own applications ------------------------------------------------
    "invitation-complete": CITIZEN,
    "mijnjustis": CITIZEN,
    "mijnjustis-detail": CITIZEN,
    "mijnjustis-pay": CITIZEN,
    "mijnjustis-zienswijze": CITIZEN,
    "mijnjustis-objection": CITIZEN,
    "mijnjustis-withdraw": CITIZEN,
    "mijnjustis-certificate": CITIZEN,
    "mijnjustis-letter": CITIZEN,
    "mijnjustis-my-data": CITIZEN,
    "mijnjustis-my-data-summary": CITIZEN,
    "mijnjustis-my-data-json": CITIZEN,
    # --- Municipal clerks: their own municipality -----------------------------------------------
    "counter:intake": CLERK,
    "counter:done": CLERK,
    "counter:overview": CLERK,
    "counter:detail": CLERK,
    "counter:report": CLERK,
    "counter:report-csv": CLERK,
    # --- Municipal systems (API token): their own municipality's applications --------------------
    "api-v1:application-create": MUNICIPAL_SYSTEM,
    "api-v1:application-by-municipal-number": MUNICIPAL_SYSTEM,
    "api-v1:application-detail": MUNICIPAL_SYSTEM,
    # --- Justis intake officers: paper applications ---------------------------------------------
    "paper:list": INTAKE_OFFICER,
    "paper:new-rni": INTAKE_OFFICER,
    "paper:new-vog-rp": INTAKE_OFFICER,
    "paper:new-gva": INTAKE_OFFICER,
    "paper:detail": INTAKE_OFFICER,
    "paper:document": INTAKE_OFFICER,
    # --- Screeners and senior screeners: cases, objections, continuous screening signals ---------
    "workbench:queue": SCREENERS,
    "workbench:case": SCREENERS,
    "workbench:grant": SCREENERS,
    "workbench:refuse": SCREENERS,
    "workbench:register-view": SCREENERS,
    "workbench:propose-refusal": SCREENERS,
    "workbench:approve-refusal": SCREENERS,
    "workbench:send-back-refusal": SCREENERS,
    "workbench:claim": SCREENERS,
    "workbench:release": SCREENERS,
    "workbench:objections": SCREENERS,
    "workbench:objection-new": SCREENERS,
    "workbench:objection": SCREENERS,
    "workbench:objection-hearing": SCREENERS,
    "workbench:objection-decision": SCREENERS,
    "continuous:queue": SCREENERS,
    "continuous:signal": SCREENERS,
    "continuous:decide": SCREENERS,
    # --- Functional administrators: reference data, message templates, continuous screening ------
    "continuous-admin:enrolments": FUNCTIONAL_ADMIN,
    "continuous-admin:enrolment-new": FUNCTIONAL_ADMIN,
    "continuous-admin:enrolment": FUNCTIONAL_ADMIN,
    "continuous-admin:link": FUNCTIONAL_ADMIN,
    "continuous-admin:unlink": FUNCTIONAL_ADMIN,
    "continuous-admin:end": FUNCTIONAL_ADMIN,
    "notifications-admin:templates": FUNCTIONAL_ADMIN,
    # --- Team leads: incidents, the public service status and the dashboard -----------------
    "servicestatus:list": TEAM_LEAD,
    "servicestatus:new": TEAM_LEAD,
    "servicestatus:detail": TEAM_LEAD,
    "servicestatus:update": TEAM_LEAD,
    "servicestatus:resolve": TEAM_LEAD,
    # The dashboard of the whole service (figures only, no personal or justice data) and its live
    # progress figures. Team leads only: screeners have their queues, operators the message screen.
    "dashboard:overview": TEAM_LEAD,
    "dashboard:progress": TEAM_LEAD,
    # --- Operators: the delivery of messages ---------------------------------------------------
    # Prometheus metrics: an operator, or a scraper with the METRICS_TOKEN bearer token (not a role).
    "metrics": OPERATOR,
    "operator-messages:overview": OPERATOR,
    "operator-messages:resend": OPERATOR,
    "operator-messages:resend-parked": OPERATOR,
    # --- Auditors: the audit trail, read-only ---------------------------------------------------
    "audit:search": AUDITOR,
    "audit:export": AUDITOR,
}


def rule_for(name: str) -> frozenset[Role] | str | None:
    """The rule of a URL pattern ("namespace:name"), or None when the table has none."""
    if name in NAMESPACE_EXCEPTIONS:
        return NAMESPACE_EXCEPTIONS[name]
    if name in ACCESS_RULES:
        return ACCESS_RULES[name]
    # An unnamed pattern is keyed by its route ("reference_admin:beheer/…/<path:object_id>/").
    head = re.split(r"[/<(^]", name, maxsplit=1)[0]
    namespace = head.rsplit(":", 1)[0] if ":" in head else ""
    for (suffix_namespace, suffix), rule in NAMESPACE_SUFFIX_RULES.items():
        if namespace == suffix_namespace and name.endswith(suffix):
            return rule
    return NAMESPACE_RULES.get(namespace)
