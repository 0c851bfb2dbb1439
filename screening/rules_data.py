"""Reference data of the automatic pre-assessment: offence categories, the offence articles that
belong to them, look-back periods (terugkijktermijnen) and which categories matter for which
screening basis.

Where the data comes from
-------------------------
Transcribed from the team's domain brief ``/work/shared/domain.md``: §3.2 (decision steps and the
policy definition of a sex offence), §3.3 (look-back periods), §2.1–§2.3 (risk areas, functieaspecten
and specific profiles) and §6 (GVA: only final convictions count).

The relevance tables (RELEVANCE) are OUR OWN READING of the risk-area and functieaspect texts in
``catalogue_data``, not Justis policy: Justis publishes no table of which offences matter for which
area. They only decide whether a record is left to a screener; a screener still weighs every record
that is relevant and within its period. Where in doubt a category is marked relevant (the cautious
side: a screener looks at it), and the category ``overig`` (an offence we cannot classify) is
relevant for every basis.

Versioning
----------
Like the catalogue, every table is a list of versions with ``valid_from`` and an inclusive
``valid_to`` (``None``: still valid). The start dates of the look-back periods are not known: they
are loaded as valid since 2003-07-01 (the oldest date of the catalogue), except the 2024 terrorism
period. A change of policy is a new row with a new ``valid_from`` and a ``valid_to`` on the old one.

Plain data only (no Django imports), so migrations and tests can use it.
"""

from datetime import date

SINCE = date(2003, 7, 1)

# ---------------------------------------------------------------------------
# Offence categories. ``jds_categories``: the JDS's own category names that fall back to this
# category when the article of a record is not in OFFENCE_ARTICLES. ``rank``: when a record names
# several articles, the category with the lowest rank is used (the most serious for screening).
# ---------------------------------------------------------------------------
OFFENCE_CATEGORIES = (
    {
        "code": "zeden",
        "name_nl": "zedendelict",
        "name_en": "sex offence",
        "rank": 1,
        "jds_categories": ["sexual", "zeden"],
        "valid_from": SINCE,
        "valid_to": None,
    },
    {
        "code": "terrorisme",
        "name_nl": "terroristisch misdrijf",
        "name_en": "terrorist offence",
        "rank": 2,
        "jds_categories": ["terrorism", "terrorisme"],
        "valid_from": SINCE,
        "valid_to": None,
    },
    {
        "code": "zwaar_geweld",
        "name_nl": "ernstig geweldsdelict (strafmaximum meer dan 6 jaar)",
        "name_en": "serious violent offence (maximum sentence over 6 years)",
        "rank": 3,
        "jds_categories": ["serious_violence", "zwaar_geweld"],
        "valid_from": SINCE,
        "valid_to": None,
    },
    {
        "code": "geweld",
        "name_nl": "geweldsdelict",
        "name_en": "violent offence",
        "rank": 4,
        "jds_categories": ["violence", "geweld"],
        "valid_from": SINCE,
        "valid_to": None,
    },
    {
        "code": "wapens",
        "name_nl": "wapendelict",
        "name_en": "weapons offence",
        "rank": 5,
        "jds_categories": ["weapons", "wapens"],
        "valid_from": SINCE,
        "valid_to": None,
    },
    {
        "code": "drugs",
        "name_nl": "drugsdelict",
        "name_en": "drugs offence",
        "rank": 6,
        "jds_categories": ["drugs"],
        "valid_from": SINCE,
        "valid_to": None,
    },
    {
        "code": "vermogen",
        "name_nl": "vermogensdelict (diefstal, fraude, valsheid)",
        "name_en": "property offence (theft, fraud, forgery)",
        "rank": 7,
        "jds_categories": ["property", "forgery", "fraud", "vermogen"],
        "valid_from": SINCE,
        "valid_to": None,
    },
    {
        "code": "verkeer",
        "name_nl": "verkeersdelict",
        "name_en": "traffic offence",
        "rank": 8,
        "jds_categories": ["traffic", "verkeer"],
        "valid_from": SINCE,
        "valid_to": None,
    },
    {
        "code": "overig",
        "name_nl": "overig delict",
        "name_en": "other offence",
        "rank": 9,
        "jds_categories": [],
        "valid_from": SINCE,
        "valid_to": None,
    },
)

OTHER = "overig"


def _articles(category, law, numbers):
    return [
        {"code": f"{number} {law}", "category": category, "valid_from": SINCE, "valid_to": None} for number in numbers
    ]


# ---------------------------------------------------------------------------
# Offence articles → category. Written as the JDS writes them: "<article> <law>" (Sr = Wetboek van
# Strafrecht, WVW 1994 = Wegenverkeerswet 1994, WWM = Wet wapens en munitie, WMSr = Wetboek van
# Militair Strafrecht). Matching ignores case and extra spaces.
#
# zeden: the policy definition of domain.md §3.2: Sr 240b–250, 250a–250ter (old numbering), 273f
# and WMSr 140. Art. 239 Sr (public indecency) is NOT a sex offence for this purpose: it is listed
# under ``overig`` explicitly so that the JDS category "sexual" cannot make it one.
# zwaar_geweld: violent offences with a maximum sentence of more than 6 years.
# ---------------------------------------------------------------------------
OFFENCE_ARTICLES = tuple(
    _articles(
        "zeden",
        "Sr",
        [
            "240b",
            "241",
            "242",
            "243",
            "244",
            "245",
            "246",
            "247",
            "248",
            "248a",
            "248b",
            "248c",
            "248d",
            "248e",
            "248f",
            "249",
            "250",
            "250a",
            "250bis",
            "250ter",
            "273f",
        ],
    )
    + _articles("zeden", "WMSr", ["140"])
    + _articles("overig", "Sr", ["239"])
    + _articles("terrorisme", "Sr", ["83", "114a", "114b", "140a", "176a", "176b", "421"])
    # doodslag 287, moord 289, vrijheidsberoving 282, zware mishandeling 302/303, brandstichting 157,
    # diefstal met geweld 312, afpersing 317: maximum sentence above 6 years.
    + _articles("zwaar_geweld", "Sr", ["157", "282", "287", "288", "289", "302", "303", "312", "317"])
    # openlijke geweldpleging 141, bedreiging 285, mishandeling 300/301.
    + _articles("geweld", "Sr", ["141", "285", "300", "301"])
    + _articles("wapens", "WWM", ["13", "26", "27", "31", "55"])
    + _articles("drugs", "Opiumwet", ["2", "3", "10", "10a", "11"])
    # diefstal 310/311, verduistering 321/322, oplichting 326, valsheid in geschrift 225, heling
    # 416/417bis, witwassen 420bis/420quater.
    + _articles(
        "vermogen",
        "Sr",
        ["225", "227", "310", "311", "321", "322", "323", "326", "416", "417bis", "420bis", "420quater"],
    )
    + _articles("verkeer", "WVW 1994", ["5", "6", "7", "8", "9", "107"])
)

# ---------------------------------------------------------------------------
# Look-back periods (domain.md §3.3). ``years`` None = unlimited.
#
# kind "default": the period unless another rule applies.
# kind "young": applicants younger than ``age_below`` (on the date AGE_BASIS in rules.py names) get
#   ``years``, except for the categories in ``categories``.
# kind "category": records of these categories are looked at at least this far back.
# kind "profile": the period for these specific screening profiles (also for the young), replacing
#   "default" and "young". Mapped to the profile codes of catalogue_data.SPECIFIC_PROFILES:
#     5 years: taxi 65 (chauffeurskaart) and 70 (ondernemersvergunning); retired 74 (busondernemer:
#       wegvervoerondernemer personenvervoer), 20 (beroepsgoederenvervoer), 24 (integriteitsverklaring
#       beroepsvervoer) and 30 (burgerluchtvaart);
#     8 years: 85 (lidmaatschap schietvereniging);
#     10 years (higher integrity): 80 (beëdigd tolken/vertalers), 25 ((buitengewoon)
#       opsporingsambtenaar), 01 (politieke ambtsdragers: "political service" in §3.3) and 55
#       (juridische dienstverlening: "(registration as) advocaat" in §3.3; our mapping).
#   The 30-year periods (judicial officers, DJI institutions) and the other 10-year functions (DTV,
#   nuclear, CBRN, forensic experts, housing corporations) have no specific profile in the
#   catalogue, so they are not mapped.
# The terrorism period of 20 years applies "for designated functions" from 2024; the list of those
# functions is not known, so it is applied to every basis (the cautious reading: it only sends a
# record to a screener).
# ---------------------------------------------------------------------------
LOOK_BACK_RULES = (
    {
        "code": "default",
        "kind": "default",
        "years": 4,
        "age_below": None,
        "categories": [],
        "profile_codes": [],
        "valid_from": SINCE,
        "valid_to": None,
    },
    {
        "code": "young",
        "kind": "young",
        "years": 2,
        "age_below": 23,
        "categories": ["zeden", "zwaar_geweld"],
        "profile_codes": [],
        "valid_from": SINCE,
        "valid_to": None,
    },
    {
        "code": "zeden",
        "kind": "category",
        "years": None,
        "age_below": None,
        "categories": ["zeden"],
        "profile_codes": [],
        "valid_from": SINCE,
        "valid_to": None,
    },
    {
        "code": "terrorisme",
        "kind": "category",
        "years": 20,
        "age_below": None,
        "categories": ["terrorisme"],
        "profile_codes": [],
        "valid_from": date(2024, 1, 1),
        "valid_to": None,
    },
    {
        "code": "transport",
        "kind": "profile",
        "years": 5,
        "age_below": None,
        "categories": [],
        "profile_codes": ["20", "24", "30", "65", "70", "74"],
        "valid_from": SINCE,
        "valid_to": None,
    },
    {
        "code": "shooting_club",
        "kind": "profile",
        "years": 8,
        "age_below": None,
        "categories": [],
        "profile_codes": ["85"],
        "valid_from": SINCE,
        "valid_to": None,
    },
    {
        "code": "higher_integrity",
        "kind": "profile",
        "years": 10,
        "age_below": None,
        "categories": [],
        "profile_codes": ["01", "25", "55", "80"],
        "valid_from": SINCE,
        "valid_to": None,
    },
)

ALL = "*"
_ALWAYS = ["terrorisme", OTHER]

# ---------------------------------------------------------------------------
# Relevance: which offence categories matter for which screening basis (our own reading, see above).
# ``basis``: "risk_area" (code = area number; a functieaspect gets the categories of its area, the
# first digit of its code), "function_aspect" (extra categories for one aspect), "specific_profile".
# ``categories`` ["*"] = every category. A basis without a row here (an unknown area or profile)
# makes every category relevant.
# ---------------------------------------------------------------------------
_PERSONS = ["zeden", "zwaar_geweld", "geweld", "wapens", "drugs", "vermogen"]
_ALL_BUT_TRAFFIC = ["zeden", "zwaar_geweld", "geweld", "wapens", "drugs", "vermogen"]
_TRANSPORT = ["verkeer", "zwaar_geweld", "geweld", "wapens", "drugs", "vermogen"]


def _relevance(basis, code, categories, note):
    categories = [ALL] if categories == [ALL] else sorted(set(categories) | set(_ALWAYS))
    return {
        "code": f"{basis}-{code}",
        "basis": basis,
        "basis_code": code,
        "categories": categories,
        "note": note,
        "valid_from": SINCE,
        "valid_to": None,
    }


RELEVANCE = (
    # 1 Informatie: misuse of confidential information (blackmail, leaking, selling secrets).
    _relevance("risk_area", "1", ["vermogen"], "misuse of information: fraud, forgery, extortion"),
    # 2 Geld: embezzlement, theft, forgery; drug crime for money laundering.
    _relevance("risk_area", "2", ["vermogen", "drugs"], "money: theft, embezzlement, fraud, laundering"),
    # 3 Goederen: theft/destruction of goods; dangerous substances and objects.
    _relevance("risk_area", "3", ["vermogen", "drugs", "wapens"], "goods and dangerous substances"),
    # 4 Diensten: services, also in people's homes and security work.
    _relevance("risk_area", "4", _ALL_BUT_TRAFFIC, "services, also in homes and security"),
    # 5 Zakelijke transacties: bribery and fraud in offers and tenders.
    _relevance("risk_area", "5", ["vermogen"], "offers and tenders: bribery, fraud"),
    # 6 Proces: operating machines and vehicles, transport of goods and persons.
    _relevance("risk_area", "6", ["verkeer", "drugs", "geweld", "zwaar_geweld"], "machines and vehicles"),
    # 7 Aansturen organisatie: abuse of power, theft, embezzlement by managers.
    _relevance("risk_area", "7", ["vermogen", "geweld", "zwaar_geweld", "zeden"], "abuse of power by managers"),
    # 8 Personen: care for minors and vulnerable persons: violence, sex offences; theft from people
    # who depend on the carer.
    _relevance("risk_area", "8", _PERSONS, "care for minors and vulnerable persons"),
    # 62 goods transport: theft of the goods carried.
    _relevance("function_aspect", "62", ["vermogen", "wapens"], "transport of goods"),
    # 63 passenger transport: passengers depend on the driver.
    _relevance("function_aspect", "63", ["zeden", "wapens", "vermogen"], "transport of passengers"),
    # Specific profiles.
    _relevance("specific_profile", "01", [ALL], "political office holders"),
    _relevance("specific_profile", "06", [ALL], "visa and emigration"),
    _relevance("specific_profile", "18", ["geweld", "zwaar_geweld", "drugs", "wapens", "zeden"], "housing permit"),
    _relevance("specific_profile", "20", _TRANSPORT, "road haulage (retired)"),
    _relevance("specific_profile", "24", _TRANSPORT + ["zeden"], "professional transport (retired)"),
    _relevance("specific_profile", "25", [ALL], "(special) investigating officer"),
    _relevance("specific_profile", "30", [ALL], "civil aviation (retired)"),
    _relevance("specific_profile", "35", [ALL], "emigration, visa (retired)"),
    _relevance("specific_profile", "40", _ALL_BUT_TRAFFIC, "host families and adoption"),
    _relevance("specific_profile", "45", _ALL_BUT_TRAFFIC, "health care and welfare"),
    _relevance("specific_profile", "50", _ALL_BUT_TRAFFIC, "operating licence (hospitality)"),
    _relevance("specific_profile", "55", [ALL], "legal services"),
    _relevance("specific_profile", "60", _ALL_BUT_TRAFFIC, "education"),
    _relevance("specific_profile", "65", [ALL], "taxi driver's card"),
    _relevance("specific_profile", "70", [ALL], "taxi operator's licence"),
    _relevance("specific_profile", "74", [ALL], "bus and coach operator (retired)"),
    _relevance("specific_profile", "75", [ALL], "guardians, probation and social workers"),
    _relevance("specific_profile", "80", [ALL], "sworn interpreters and translators"),
    _relevance("specific_profile", "85", ["zeden", "zwaar_geweld", "geweld", "wapens", "drugs"], "shooting club"),
    _relevance("specific_profile", "95", ["vermogen", "drugs"], "financial services"),
    _relevance("specific_profile", "96", [ALL], "unknown position: all risk areas"),
)
