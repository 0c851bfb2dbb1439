"""Demo persons for development and tests: who they are, what the BRP simulator says about them and
what the JDS simulator holds about them.

Every other valid BSN has no records, and the BRP simulator makes up a person for it, except
``DEMO_NOT_IN_BRP``. The README lists these persons; ``seed_demo`` loads the records.

``expected`` is the outcome of the automatic pre-assessment (``screening.rules``) for an application
with functieaspecten 84 and 86 (childcare) dated 2026-11-23; the records have fixed dates, so a later
application date can move a record out of its look-back period. Sanne Visser's drink-driving matters
for transport (e.g. taxi profile 65) and not for childcare.

``decision`` is where the demo scenario (tests/test_demo_scenario.py) takes the cases that need a
screener: Pieter de Boer is granted by the screener after weighing; Kees Bakker gets an intention to
refuse, gives no view and is refused (proposed by a screener, approved by a senior screener), then
objects and a third screener finds the objection unfounded; Ruud
Mulder gets an intention to refuse, phones with his view and is granted after all.

``surname`` is the name as written, with its prefix ("de Boer"); the BRP keeps the prefix apart
(``surname_prefix`` "de", geslachtsnaam "Boer").
"""

from datetime import date

DEMO_PERSONS = (
    {
        "bsn": "999990019",
        "given_names": "Jan",
        "surname": "Jansen",
        "birth_date": date(1990, 5, 17),
        "birth_place": "Utrecht",
        "birth_country": "Nederland",
        "surname_prefix": "",
        "gender": "M",
        "nationalities": ("Nederlandse",),
        "address": {
            "street": "Biltstraat",
            "house_number": 112,
            "house_number_suffix": "",
            "postcode": "3572 BJ",
            "city": "Utrecht",
        },
        "records": (),
        "expected": "issued",
    },
    {
        "bsn": "999990020",
        "given_names": "Fatima",
        "surname": "El Amrani",
        "birth_date": date(2001, 11, 3),
        "birth_place": "Rotterdam",
        "birth_country": "Nederland",
        "surname_prefix": "",
        "gender": "V",
        "nationalities": ("Nederlandse", "Marokkaanse"),
        "address": {
            "street": "Zwart Janstraat",
            "house_number": 45,
            "house_number_suffix": "B",
            "postcode": "3035 AN",
            "city": "Rotterdam",
        },
        "records": (),
        "expected": "issued",
    },
    {
        "bsn": "999990032",
        "given_names": "Pieter",
        "surname": "de Boer",
        "birth_date": date(1985, 2, 28),
        "birth_place": "Groningen",
        "birth_country": "Nederland",
        "surname_prefix": "de",
        "gender": "M",
        "nationalities": ("Nederlandse",),
        "address": {
            "street": "Oosterstraat",
            "house_number": 19,
            "house_number_suffix": "",
            "postcode": "9711 NN",
            "city": "Groningen",
        },
        "records": (
            {
                "offence_article": "310 Sr",
                "offence_description": "diefstal",
                "offence_category": "property",
                "offence_date": date(2024, 3, 9),
                "decision_date": date(2024, 9, 12),
                "disposal_type": "conviction",
                "final": True,
                "sentence": "geldboete € 600",
                "detention_days": 0,
            },
        ),
        "expected": "in_review",
        "decision": "issued",
    },
    {
        "bsn": "999990044",
        "given_names": "Sanne",
        "surname": "Visser",
        "birth_date": date(1998, 7, 14),
        "birth_place": "Zwolle",
        "birth_country": "Nederland",
        "surname_prefix": "",
        "gender": "V",
        "nationalities": ("Nederlandse",),
        "address": {
            "street": "Assendorperstraat",
            "house_number": 88,
            "house_number_suffix": "",
            "postcode": "8012 DJ",
            "city": "Zwolle",
        },
        "records": (
            {
                "offence_article": "8 WVW 1994",
                "offence_description": "rijden onder invloed",
                "offence_category": "traffic",
                "offence_date": date(2025, 6, 21),
                "decision_date": date(2025, 8, 4),
                "disposal_type": "penal_order",
                "final": True,
                "sentence": "geldboete € 450, ontzegging rijbevoegdheid 6 maanden",
                "detention_days": 0,
            },
        ),
        "expected": "issued",
    },
    {
        "bsn": "999990056",
        "given_names": "Kees",
        "surname": "Bakker",
        "birth_date": date(1970, 1, 8),
        "birth_place": "Den Haag",
        "birth_country": "Nederland",
        "surname_prefix": "",
        "gender": "M",
        "nationalities": ("Nederlandse",),
        "address": {
            "street": "Weimarstraat",
            "house_number": 150,
            "house_number_suffix": "",
            "postcode": "2562 HK",
            "city": "'s-Gravenhage",
        },
        "records": (
            {
                "offence_article": "247 Sr",
                "offence_description": "ontucht met een minderjarige",
                "offence_category": "sexual",
                "offence_date": date(2008, 10, 2),
                "decision_date": date(2009, 4, 15),
                "disposal_type": "conviction",
                "final": True,
                "sentence": "gevangenisstraf 6 maanden",
                "detention_days": 180,
            },
        ),
        "expected": "in_review",
        "decision": "refused",
    },
    {
        "bsn": "999990068",
        "given_names": "Mohamed",
        "surname": "Yilmaz",
        "birth_date": date(2004, 4, 30),
        "birth_place": "Amsterdam",
        "birth_country": "Nederland",
        "surname_prefix": "",
        "gender": "M",
        "nationalities": ("Nederlandse", "Turkse"),
        "address": {
            "street": "Javastraat",
            "house_number": 61,
            "house_number_suffix": "2",
            "postcode": "1094 HA",
            "city": "Amsterdam",
        },
        "records": (
            {
                "offence_article": "300 Sr",
                "offence_description": "mishandeling",
                "offence_category": "violence",
                "offence_date": date(2023, 12, 31),
                "decision_date": date(2024, 2, 20),
                "disposal_type": "dismissal",
                "final": True,
                "sentence": "",
                "detention_days": 0,
            },
        ),
        "expected": "issued",
    },
    {
        "bsn": "999990081",
        "given_names": "Lisa",
        "surname": "Smit",
        "birth_date": date(1979, 9, 19),
        "birth_place": "Eindhoven",
        "birth_country": "Nederland",
        "surname_prefix": "",
        "gender": "V",
        "nationalities": ("Nederlandse",),
        "address": {
            "street": "Kruisstraat",
            "house_number": 74,
            "house_number_suffix": "",
            "postcode": "5612 CK",
            "city": "Eindhoven",
        },
        "records": (
            {
                "offence_article": "225 Sr",
                "offence_description": "valsheid in geschrift",
                "offence_category": "forgery",
                "offence_date": date(2015, 5, 11),
                "decision_date": date(2016, 1, 26),
                "disposal_type": "conviction",
                "final": True,
                "sentence": "taakstraf 80 uur",
                "detention_days": 0,
            },
        ),
        "expected": "issued",
    },
    {
        "bsn": "999990111",
        "given_names": "Noah",
        "surname": "van Dijk",
        "birth_date": date(2005, 3, 12),
        "birth_place": "Leiden",
        "birth_country": "Nederland",
        "surname_prefix": "van",
        "gender": "M",
        "nationalities": ("Nederlandse",),
        "address": {
            "street": "Haarlemmerstraat",
            "house_number": 203,
            "house_number_suffix": "",
            "postcode": "2312 DS",
            "city": "Leiden",
        },
        # Younger than 23 when applying: a 2-year look-back period, so this theft no longer counts.
        "records": (
            {
                "offence_article": "310 Sr",
                "offence_description": "diefstal",
                "offence_category": "property",
                "offence_date": date(2023, 8, 1),
                "decision_date": date(2023, 10, 16),
                "disposal_type": "penal_order",
                "final": True,
                "sentence": "geldboete € 250",
                "detention_days": 0,
            },
        ),
        "expected": "issued",
    },
    {
        "bsn": "999990123",
        "given_names": "Ruud",
        "surname": "Mulder",
        "birth_date": date(1978, 6, 2),
        "birth_place": "Arnhem",
        "birth_country": "Nederland",
        "surname_prefix": "",
        "gender": "M",
        "nationalities": ("Nederlandse",),
        "address": {
            "street": "Steenstraat",
            "house_number": 27,
            "house_number_suffix": "",
            "postcode": "6828 CH",
            "city": "Arnhem",
        },
        # Decided more than 4 years before 2026-11-23, but the 300 days in prison extend the period.
        "records": (
            {
                "offence_article": "311 Sr",
                "offence_description": "diefstal met braak",
                "offence_category": "property",
                "offence_date": date(2021, 11, 2),
                "decision_date": date(2022, 3, 10),
                "disposal_type": "conviction",
                "final": True,
                "sentence": "gevangenisstraf 10 maanden",
                "detention_days": 300,
            },
        ),
        "expected": "in_review",
        "decision": "issued",
    },
)

# Demo companies: paper applications for a VOG RP and a GVA that ``seed_demo`` enters (once, by a fixed
# key) and assesses, so that the back office and the work queue show them. Key persons refer to the
# demo persons above by BSN or bring their own records; ``records`` of the company are kept under its
# KvK number. Dates are fixed and assume seeding on or after 2026-11-23 (the application date is the
# day of seeding): Henk van Rijn's fraud conviction is two years old then, and Eva Kramer left the
# board 14 months before, so she is listed as not screened.
DEMO_COMPANIES = (
    {
        "key": "vog-rp-schoonmaak-helder",
        "type": "VOG_RP",
        "legal_entity": {
            "kvk_number": "30123456",
            "name": "Schoonmaakbedrijf Helder B.V.",
            "legal_form": "bv",
            "street": "Vaartweg",
            "house_number": "12",
            "postcode": "3511 AB",
            "city": "Utrecht",
            "representative_name": "J. Jansen",
        },
        "purpose": {"purpose_code": "WRE", "position": "Schoonmaak in scholen", "functieaspecten": ["84"]},
        "key_persons": (
            {"role": "bestuurder", "bsn": "999990019", "given_names": "Jan", "surname": "Jansen",
             "birth_date": date(1990, 5, 17), "nationality": "Nederlandse"},
            {"role": "bestuurder", "bsn": "999990020", "given_names": "Fatima", "surname": "El Amrani",
             "birth_date": date(2001, 11, 3), "nationality": "Nederlandse"},
        ),
        "records": (),
        "expected": "issued",
    },
    {
        "key": "gva-bouwbedrijf-van-rijn",
        "type": "GVA",
        "legal_entity": {
            "kvk_number": "27123456",
            "name": "Bouwbedrijf Van Rijn B.V.",
            "legal_form": "bv",
            "street": "Laan van Nieuw Oost-Indië",
            "house_number": "300",
            "postcode": "2593 CE",
            "city": "'s-Gravenhage",
            "representative_name": "H. van Rijn",
        },
        "purpose": None,
        "key_persons": (
            {"role": "bestuurder", "bsn": "999990135", "given_names": "Henk", "surname_prefix": "van",
             "surname": "Rijn", "birth_date": date(1968, 8, 30), "nationality": "Nederlandse",
             "records": (
                 {"offence_article": "326 Sr", "offence_description": "oplichting",
                  "offence_category": "fraud", "offence_date": date(2023, 6, 1),
                  "decision_date": date(2024, 11, 20), "disposal_type": "conviction", "final": True,
                  "sentence": "taakstraf 120 uur, geldboete € 15.000", "detention_days": 0},
             )},
            {"role": "bestuurder", "bsn": "999990019", "given_names": "Jan", "surname": "Jansen",
             "birth_date": date(1990, 5, 17), "nationality": "Nederlandse"},
            {"role": "former_bestuurder", "bsn": "999990147", "given_names": "Eva", "surname": "Kramer",
             "birth_date": date(1975, 3, 4), "nationality": "Nederlandse", "left_on": date(2025, 9, 23),
             "records": (
                 {"offence_article": "420bis Sr", "offence_description": "witwassen",
                  "offence_category": "property", "offence_date": date(2022, 2, 1),
                  "decision_date": date(2023, 5, 16), "disposal_type": "conviction", "final": True,
                  "sentence": "gevangenisstraf 4 maanden voorwaardelijk", "detention_days": 0},
             )},
        ),
        "records": (),
        "expected": "in_review",
        "decision": "refused",
    },
)  # fmt: skip

# A valid BSN (it passes the 11-test) that the BRP simulator does not know: "not registered".
DEMO_NOT_IN_BRP = "999990093"

# Municipality and token for trying the API locally (development only; seed_demo refuses production).
DEMO_MUNICIPALITY = "0363"
DEMO_API_TOKEN = "demo-0363-local-development-token"  # noqa: S105 - public demo token, never in production
