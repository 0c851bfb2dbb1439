"""The real BRP client: "Haal Centraal BRP Personen Bevragen" (version 2) over HTTPS.

``POST {base_url}/personen`` with ``{"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer":
[bsn], "fields": [...]}`` answers ``{"personen": [...]}``: one person, or an empty list when the BSN is
not registered (a 404 is read the same way). An ``X-API-Key`` header and a client certificate (mTLS)
are sent when configured. A timeout or refused connection raises ``OutsideSystemUnavailable``; any
other HTTP error, a 5xx or a malformed answer raises ``OutsideSystemError``.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import date

from applications.validators import bsn_is_valid
from justis.adapters import OutsideSystemError, OutsideSystemUnavailable, http_endpoint
from justis.faults import System

from .base import BrpAddress, BrpPerson

# Only what the application needs (data minimisation): the API answers no more than these fields.
FIELDS = [
    "burgerservicenummer",
    "naam.voornamen",
    "naam.voorvoegsel",
    "naam.geslachtsnaam",
    "geboorte.datum",
    "geboorte.plaats",
    "geboorte.land",
    "geslacht",
    "nationaliteiten",
    "verblijfplaats",
]
# Nationality entries without a nationality of their own.
NATIONALITY_TYPES = {"Staatloos": "Staatloos", "BehandeldAlsNederlander": "Behandeld als Nederlander"}


class HttpBrp:
    def __init__(self, *, base_url: str, timeout: float, api_key: str | None = None, client_cert: str | None = None):
        self.base_url, self.context = http_endpoint(base_url, setting="BRP_URL", client_cert=client_cert)
        self.timeout = timeout
        self.api_key = api_key

    def person(self, bsn: str) -> BrpPerson | None:
        if not bsn_is_valid(bsn):
            return None  # never registered; the API would answer 400
        body = json.dumps(
            {"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": [bsn], "fields": FIELDS}
        ).encode()
        headers = {"Accept": "application/json", "Content-Type": "application/json"}
        if self.api_key:
            headers["X-API-Key"] = self.api_key
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            f"{self.base_url}/personen", data=body, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout, context=self.context) as response:  # noqa: S310
                answer = response.read()
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return None
            raise OutsideSystemError(System.BRP, f"HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise OutsideSystemUnavailable(System.BRP, str(getattr(exc, "reason", exc))) from exc
        try:
            persons = json.loads(answer)["personen"]
            if not isinstance(persons, list):
                raise TypeError("personen is not a list")
            if not persons:
                return None
            return person_from_haal_centraal(bsn, persons[0])
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise OutsideSystemError(System.BRP, f"malformed answer: {exc}") from exc


def _text(value) -> str:
    if value is None:
        return ""
    if not isinstance(value, str | int):
        raise TypeError(f"expected text, got {type(value).__name__}")
    return str(value).strip()


def person_from_haal_centraal(bsn: str, data: dict) -> BrpPerson:
    """Map one ``personen[]`` entry of the Haal Centraal answer to a ``BrpPerson``."""
    if _text(data.get("burgerservicenummer")) not in ("", bsn):
        raise ValueError("the answer is about another BSN")
    naam = data.get("naam") or {}
    geboorte = data.get("geboorte") or {}
    datum = geboorte.get("datum") or {}
    # An incomplete date (JaarDatum, JaarMaandDatum, DatumOnbekend) has no "datum".
    birth_date = date.fromisoformat(datum["datum"]) if datum.get("datum") else None
    nationalities = []
    for entry in data.get("nationaliteiten") or []:
        if entry.get("nationaliteit"):
            nationalities.append(_text(entry["nationaliteit"].get("omschrijving")))
        elif entry.get("type") in NATIONALITY_TYPES:
            nationalities.append(NATIONALITY_TYPES[entry["type"]])
    return BrpPerson(
        bsn=bsn,
        given_names=_text(naam.get("voornamen")),
        surname_prefix=_text(naam.get("voorvoegsel")),
        surname=_text(naam["geslachtsnaam"]),
        birth_date=birth_date,
        birth_place=_text((geboorte.get("plaats") or {}).get("omschrijving")),
        birth_country=_text((geboorte.get("land") or {}).get("omschrijving")),
        gender=_text((data.get("geslacht") or {}).get("code")),
        nationalities=tuple(n for n in nationalities if n),
        address=_address(data.get("verblijfplaats")),
    )


def _address(verblijfplaats: dict | None) -> BrpAddress | None:
    if not verblijfplaats:
        return None
    adres = verblijfplaats.get("verblijfadres")
    if not adres:
        return None  # VerblijfplaatsOnbekend, or only a location description
    if verblijfplaats.get("type") == "VerblijfplaatsBuitenland":
        return BrpAddress(
            street=_text(adres.get("regel1")),
            house_number=None,
            house_number_suffix="",
            postcode="",
            city=" ".join(filter(None, (_text(adres.get("regel2")), _text(adres.get("regel3"))))),
            country=_text((adres.get("land") or {}).get("omschrijving")),
        )
    house_number = adres.get("huisnummer")
    suffix = "-".join(filter(None, (_text(adres.get("huisletter")), _text(adres.get("huisnummertoevoeging")))))
    return BrpAddress(
        street=_text(adres.get("officieleStraatnaam") or adres.get("korteStraatnaam")),
        house_number=int(house_number) if house_number is not None else None,
        house_number_suffix=suffix,
        postcode=_format_postcode(_text(adres.get("postcode"))),
        city=_text(adres.get("woonplaats")),
        country="Nederland",
    )


def _format_postcode(value: str) -> str:
    """The register writes "3572BJ"; letters and service use "3572 BJ"."""
    compact = value.replace(" ", "").upper()
    if len(compact) == 6 and compact[:4].isdigit() and compact[4:].isalpha():
        return f"{compact[:4]} {compact[4:]}"
    return value
