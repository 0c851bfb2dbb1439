"""Demo data of the logins (development only).

Organisations for the demo KvK login (any other 8-digit KvK number works too), and the demo desks
and staff accounts with their authenticator app that ``seed_demo`` creates.
"""

import hashlib

from justis.roles import Role

DEMO_ORGANISATIONS = {
    "12345678": "Kinderopvang De Zonnebloem B.V.",
    "23456789": "Stichting Openbaar Onderwijs Zuidrand",
    "34567890": "Zorggroep Het Anker",
    "45678901": "Voetbalvereniging Sparta Noord (vrijwilligers)",
    "56789012": "Taxicentrale Snel & Veilig",
}


# --- Demo staff (development only: seed_demo creates them when ENABLE_DEMO_LOGINS is on) ------------

# Every demo staff account has this password and an authenticator app with a fixed key, so that
# `manage.py demo_totp <username>` can print the code the app would show.
DEMO_STAFF_PASSWORD = "demo-justis-vog"  # noqa: S105 - a published demo password, refused in production

# Desks: (municipality code, desk code, name).
DEMO_DESKS = (
    ("0363", "01", "Stadsloket Centrum"),
    ("0363", "02", "Stadsloket Zuidoost"),
    ("0344", "01", "Stadskantoor Utrecht"),
    ("0599", "01", "Stadswinkel Centrum"),
)

# Staff: username, first name, last name, role, desk ((municipality code, desk code) or None).
DEMO_STAFF = (
    ("balie.amsterdam", "Eva", "de Wit", Role.MUNICIPAL_CLERK, ("0363", "01")),
    ("balie.amsterdam.zuidoost", "Noah", "Smits", Role.MUNICIPAL_CLERK, ("0363", "02")),
    ("balie.utrecht", "Lotte", "Kramer", Role.MUNICIPAL_CLERK, ("0344", "01")),
    ("balie.rotterdam", "Daan", "Verbeek", Role.MUNICIPAL_CLERK, ("0599", "01")),
    ("backoffice.justis", "Sara", "Hoekstra", Role.INTAKE_OFFICER, None),
    ("beoordelaar.justis", "Mila", "Jansen", Role.SCREENER, None),
    ("senior.justis", "Ruben", "Dijkstra", Role.SENIOR_SCREENER, None),
    # A second screener for objections: neither the proposer nor the approver of a refusal decides on it.
    ("bezwaar.justis", "Joost", "Vermeulen", Role.SCREENER, None),
    ("beheer.justis", "Iris", "Bos", Role.FUNCTIONAL_ADMIN, None),
    ("teamleider.justis", "Fleur", "Mulder", Role.TEAM_LEAD, None),
    ("techniek.justis", "Bram", "Peeters", Role.OPERATOR, None),
)


def demo_totp_key(username: str) -> str:
    """The fixed key (40 hex digits) of a demo staff member's authenticator app."""
    return hashlib.sha1(f"justis-demo-authenticator:{username}".encode(), usedforsecurity=False).hexdigest()


def demo_staff_seed() -> list[str]:
    """Create or restore the demo desks and staff accounts with their authenticator app; returns the usernames.

    Safe to run again: desks are found by municipality and code, accounts by username; the password,
    group, desk and the app's key are set back to the demo values. Desks of municipalities that are not
    in the database are left out.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import transaction

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from applications.models import Desk, Municipality

    User = get_user_model()
    created = []
    with transaction.atomic():
        municipalities = {m.code: m for m in Municipality.objects.filter(code__in={d[0] for d in DEMO_DESKS})}
        desks = {}
        for municipality_code, code, name in DEMO_DESKS:
            if municipality_code in municipalities:
                desks[municipality_code, code], _new = Desk.objects.get_or_create(
                    municipality=municipalities[municipality_code], code=code, defaults={"name": name}
                )
        for username, first_name, last_name, role, desk_key in DEMO_STAFF:
            if desk_key is not None and desk_key not in desks:
                continue
            user, _new = User.objects.update_or_create(
                username=username,
                defaults={
                    "first_name": first_name,
                    "last_name": last_name,
                    "desk": desks[desk_key] if desk_key else None,
                    "is_active": True,
                },
            )
            user.set_password(DEMO_STAFF_PASSWORD)
            user.save(update_fields=["password"])
            user.groups.add(Group.objects.get_or_create(name=role.value)[0])
            TOTPDevice.objects.update_or_create(
                user=user,
                name="default",
                defaults={
                    "key": demo_totp_key(username),
                    "confirmed": True,
                    "throttling_failure_count": 0,
                    "throttling_failure_timestamp": None,
                },
            )
            created.append(username)
    return created
