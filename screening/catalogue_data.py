"""Reference data for VOG screening: risk areas, function aspects, specific
screening profiles and application purpose codes.

Where the data comes from
-------------------------
Transcribed from the team's domain brief ``/work/shared/domain.md``:

* §2.1 "Risk areas (risicogebieden) of the general profile"   -> RISK_AREAS
* §2.2 "Functieaspecten", current table and the
  "Historical/retired functieaspecten" table                   -> FUNCTION_ASPECTS
* §2.3 "Specific screening profiles"                            -> SPECIFIC_PROFILES
* §1.1.1 purpose (doel) code table                               -> PURPOSE_CODES

domain.md in turn cites these public sources, which were consulted to fill in
wording that the brief abbreviates ("…") and dates it only gives as years:

* GitHub vrijBRP/vrijBRP-Balie,
  ``nl/procura/gba/web/common/database/checks/DBCheckPost3.java``
  (function aspects with validity dates), ``DBCheckPost4.java`` (specific
  screening profiles with validity dates) and ``DBCheckPost2.java`` (purpose
  codes with validity dates);
* GitHub privacybydesign/go-vog-issuer, ``backend/vog/profiles.go``
  (current function aspects with the Dutch and English text printed on a
  VOG, and the current specific profiles);
* Justis, "Screeningsprofielen VOG - uitleg voor werkgevers"
  (justis.nl/producten/vog/.../screeningsprofielen.aspx).

Versioning
----------
Codes are re-used over time with new wording, so every table except
RISK_AREAS is a list of versions: one row per (code, validity period).
``valid_from`` is the first day a row is valid and ``valid_to`` the last day
it is valid (inclusive), or ``None`` when the row is still valid (open-ended).
For a given code the periods never overlap, so the wording to print for an
application is the row whose period contains the application date.

Function aspects and specific profiles share the two-digit code space but are
separate catalogues (e.g. 85 is both a function aspect and a profile); always
look a code up in the catalogue of the field it came from.

This module holds plain data only (no Django imports) so it can be used by
migrations, fixtures and tests alike.
"""

from datetime import date

# ---------------------------------------------------------------------------
# §2.1 Risk areas of the general screening profile. The first digit of a
# function aspect code is its risk area number. (Justis' own list calls area 5
# "Zakelijke relaties"; the VOG and go-vog-issuer use "Zakelijke transacties".)
# ---------------------------------------------------------------------------
RISK_AREAS = (
    {"number": 1, "name_nl": "Informatie", "name_en": "Information"},
    {"number": 2, "name_nl": "Geld", "name_en": "Money"},
    {"number": 3, "name_nl": "Goederen", "name_en": "Goods"},
    {"number": 4, "name_nl": "Diensten", "name_en": "Services"},
    {
        "number": 5,
        "name_nl": "Zakelijke transacties",
        "name_en": "Business transactions",
    },
    {"number": 6, "name_nl": "Proces", "name_en": "Process"},
    {
        "number": 7,
        "name_nl": "Aansturen organisatie",
        "name_en": "Managing the organisation",
    },
    {"number": 8, "name_nl": "Personen", "name_en": "Persons"},
)

# ---------------------------------------------------------------------------
# §2.2 Function aspects (functieaspecten), current and historical.
#
# Current rows (valid_to None): Dutch and English text exactly as in the
# domain.md §2.2 table. Note that domain.md shortens some texts compared with
# go-vog-issuer profiles.go (Dutch 53; English 11, 13, 38, 53, 61, 62, 84, 85);
# check against the printed VOG before using these strings on documents.
#
# Historical rows: Dutch text verbatim from vrijBRP DBCheckPost3.java (the
# domain.md historical table abbreviates it); the English text is our own
# translation. Dates follow domain.md, adjusted so that the periods of one
# code are contiguous and do not overlap:
# * 62 and 71: domain.md says "two earlier wordings" for 2003-07-01 -
#   2011-12-01; DBCheckPost3.java dates them separately (2003-07-01 -
#   2011-04-30 and 2011-05-01 - 2011-12-01), so both are included, the second
#   ending 2011-11-30, the day before the current wording starts.
# * 34, 35 (to 2012-03-01) and 15 (to 2016-07-01): vrijBRP end dates on the
#   first of a month are exclusive (cf. 62/71 ending on the day their
#   successor starts), so the inclusive valid_to is the day before.
#
# Left out on purpose: 91 "Haven" (Port area, risk area "Locatie"); it is only
# listed in go-vog-issuer, and its start date and rules are unconfirmed.
# ---------------------------------------------------------------------------
FUNCTION_ASPECTS = (
    # 1 Informatie
    {
        "code": "11",
        "risk_area": 1,
        "text_nl": (
            "Bevoegd zijn om systemen te raadplegen en/of te bewerken waarin vertrouwelijke gegevens zijn opgeslagen"
        ),
        "text_en": ("Being authorised to consult and/or process systems in which confidential data are stored"),
        "valid_from": date(2003, 7, 1),
        "valid_to": date(2011, 4, 30),
    },
    {
        "code": "11",
        "risk_area": 1,
        "text_nl": (
            "Bevoegdheid hebben tot het raadplegen en/of bewerken van systemen "
            "waarin vertrouwelijke gegevens zijn opgeslagen"
        ),
        "text_en": ("Having the authority to consult and/or process systems in which confidential data are stored"),
        "valid_from": date(2011, 5, 1),
        "valid_to": date(2011, 11, 30),
    },
    {
        "code": "11",
        "risk_area": 1,
        "text_nl": ("Bevoegdheid hebben tot het raadplegen en/of bewerken van systemen"),
        "text_en": ("Being authorised to consult and/or process data in computer systems"),
        "valid_from": date(2011, 12, 1),
        "valid_to": None,
    },
    {
        "code": "12",
        "risk_area": 1,
        "text_nl": "Met gevoelige informatie omgaan",
        "text_en": "Handling sensitive information",
        "valid_from": date(2003, 7, 1),
        "valid_to": date(2011, 11, 30),
    },
    {
        "code": "12",
        "risk_area": 1,
        "text_nl": "Met gevoelige/vertrouwelijke informatie omgaan",
        "text_en": "Handling sensitive/confidential information",
        "valid_from": date(2011, 12, 1),
        "valid_to": None,
    },
    {
        "code": "13",
        "risk_area": 1,
        "text_nl": ("Kennis dragen van veiligheidssystemen, controlemechanismen en verificatieprocessen"),
        "text_en": ("Knowledge of security systems, control mechanisms and verification processes"),
        "valid_from": date(2003, 7, 1),
        "valid_to": None,
    },
    {
        "code": "14",
        "risk_area": 1,
        "text_nl": "Toegang hebben tot besturingssystemen van programma's",
        "text_en": "Having access to the operating systems of programs",
        "valid_from": date(2003, 7, 1),
        "valid_to": date(2011, 7, 31),
    },
    {
        "code": "15",
        "risk_area": 1,
        "text_nl": ("Burgerluchtvaart (alleen aanvinken in combinatie met andere functieaspecten)"),
        "text_en": ("Civil aviation (to be ticked only in combination with other function aspects)"),
        "valid_from": date(2015, 6, 1),
        "valid_to": date(2016, 6, 30),
    },
    # 2 Geld
    {
        "code": "21",
        "risk_area": 2,
        "text_nl": "Met contante en girale waarden omgaan",
        "text_en": "Handling cash and non-cash (giro) funds",
        "valid_from": date(2003, 7, 1),
        "valid_to": date(2011, 11, 30),
    },
    {
        "code": "21",
        "risk_area": 2,
        "text_nl": ("Met contante en/of girale gelden en/of (digitale) waardepapieren omgaan"),
        "text_en": "Handling cash, transferable money and/or (digital) securities",
        "valid_from": date(2011, 12, 1),
        "valid_to": None,
    },
    {
        "code": "22",
        "risk_area": 2,
        "text_nl": "Budgetbevoegdheid hebben",
        "text_en": "Having budgetary authority",
        "valid_from": date(2003, 7, 1),
        "valid_to": None,
    },
    # 3 Goederen
    {
        "code": "31",
        "risk_area": 3,
        "text_nl": ("Het verschaffen, aanschaffen en beheren van goederen en producten"),
        "text_en": "Supplying, purchasing and managing goods and products",
        "valid_from": date(2003, 7, 1),
        "valid_to": date(2011, 7, 31),
    },
    {
        "code": "32",
        "risk_area": 3,
        "text_nl": ("Het laden, lossen, inpakken en opslaan van goederen en producten"),
        "text_en": "Loading, unloading, packing and storing goods and products",
        "valid_from": date(2003, 7, 1),
        "valid_to": date(2011, 7, 31),
    },
    {
        "code": "33",
        "risk_area": 3,
        "text_nl": "Het verkopen van goederen en producten",
        "text_en": "Selling goods and products",
        "valid_from": date(2003, 7, 1),
        "valid_to": date(2011, 7, 31),
    },
    {
        "code": "34",
        "risk_area": 3,
        "text_nl": (
            "Het samenstellen, bewerken en het vervaardigen van goederen/ "
            "producten/ grondstoffen (onder meer t.b.v. medicijnen, voeding en "
            "edelmetalen)"
        ),
        "text_en": (
            "Compounding, processing and manufacturing goods/products/raw "
            "materials (including for medicines, food and precious metals)"
        ),
        "valid_from": date(2003, 7, 1),
        "valid_to": date(2012, 2, 29),
    },
    {
        "code": "35",
        "risk_area": 3,
        "text_nl": "Het uitschrijven van recepten (medicinaal gebruik)",
        "text_en": "Writing prescriptions (medicinal use)",
        "valid_from": date(2003, 7, 1),
        "valid_to": date(2012, 2, 29),
    },
    {
        "code": "36",
        "risk_area": 3,
        "text_nl": "Het bewaken van productieprocessen",
        "text_en": "Monitoring production processes",
        "valid_from": date(2003, 7, 1),
        "valid_to": None,
    },
    {
        "code": "37",
        "risk_area": 3,
        "text_nl": "Het beschikken over goederen en producten",
        "text_en": "Having access to goods and products",
        "valid_from": date(2011, 5, 1),
        "valid_to": date(2011, 11, 30),
    },
    {
        "code": "37",
        "risk_area": 3,
        "text_nl": "Het beschikken over goederen",
        "text_en": "Having access to goods",
        "valid_from": date(2011, 12, 1),
        "valid_to": None,
    },
    {
        "code": "38",
        "risk_area": 3,
        "text_nl": (
            "Het voorhanden hebben van stoffen, objecten en voorwerpen e.d., die "
            "bij oneigenlijk of onjuist gebruik een risico vormen voor mens (en "
            "dier)"
        ),
        "text_en": ("Access to materials/objects that pose a risk to people/animals if misused"),
        "valid_from": date(2011, 5, 1),
        "valid_to": None,
    },
    # 4 Diensten
    {
        "code": "41",
        "risk_area": 4,
        "text_nl": ("Het verlenen van diensten (advies, beveiliging, schoonmaak, catering, etc.)"),
        "text_en": "Providing services (advice, security, cleaning, catering, etc.)",
        "valid_from": date(2003, 7, 1),
        "valid_to": date(2011, 11, 30),
    },
    {
        "code": "41",
        "risk_area": 4,
        "text_nl": ("Het verlenen van diensten (advies, beveiliging, schoonmaak, catering, onderhoud, etc.)"),
        "text_en": ("Providing services (advice, security, cleaning, catering, maintenance etc.)"),
        "valid_from": date(2011, 12, 1),
        "valid_to": None,
    },
    {
        "code": "42",
        "risk_area": 4,
        "text_nl": ("Bevoegd zijn om besluiten te nemen tot het verlenen en/of inhuren van diensten"),
        "text_en": ("Being authorised to take decisions on providing and/or hiring services"),
        "valid_from": date(2003, 7, 1),
        "valid_to": date(2011, 7, 31),
    },
    {
        "code": "43",
        "risk_area": 4,
        "text_nl": "Het verlenen van diensten in de persoonlijke leefomgeving",
        "text_en": "Services in individual living environment",
        "valid_from": date(2011, 5, 1),
        "valid_to": None,
    },
    # 5 Zakelijke transacties
    {
        "code": "51",
        "risk_area": 5,
        "text_nl": "Contact hebben met leveranciers",
        "text_en": "Having contact with suppliers",
        "valid_from": date(2003, 7, 1),
        "valid_to": date(2011, 7, 31),
    },
    {
        "code": "52",
        "risk_area": 5,
        "text_nl": "Aanbestedingen doen",
        "text_en": "Putting contracts out to tender",
        "valid_from": date(2003, 7, 1),
        "valid_to": date(2011, 7, 31),
    },
    {
        "code": "53",
        "risk_area": 5,
        "text_nl": ("Beslissen over offertes (het voeren van onderhandelingen en het afsluiten van contracten)"),
        "text_en": ("Deciding on offers (conducting negotiations and concluding contracts)"),
        "valid_from": date(2003, 7, 1),
        "valid_to": date(2011, 4, 30),
    },
    {
        "code": "53",
        "risk_area": 5,
        "text_nl": ("Het beslissen over offertes (onderhandelen, contracten afsluiten) en het doen van aanbestedingen"),
        "text_en": "Deciding on offers and awarding contracts",
        "valid_from": date(2011, 5, 1),
        "valid_to": None,
    },
    # 6 Proces
    {
        "code": "61",
        "risk_area": 6,
        "text_nl": (
            "Het instellen/ monteren/ repareren/ onderhouden/ ombouwen/ bedienen "
            "van (productie)machines en/of apparaten, voertuigen en/of "
            "(lucht)vaartuigen"
        ),
        "text_en": (
            "Setting up/assembling/repairing/maintaining/converting/operating "
            "(production) machinery and/or equipment, vehicles and/or vessels "
            "or aircraft"
        ),
        "valid_from": date(2003, 7, 1),
        "valid_to": date(2011, 4, 30),
    },
    {
        "code": "61",
        "risk_area": 6,
        "text_nl": (
            "Het onderhouden/ombouwen/bedienen van (productie)machines en/of "
            "apparaten, voertuigen en/of luchtvaartuigen"
        ),
        "text_en": "Maintaining/converting/operating machinery, vehicles, aircraft",
        "valid_from": date(2011, 5, 1),
        "valid_to": None,
    },
    {
        "code": "62",
        "risk_area": 6,
        "text_nl": (
            "(Rijdend) vervoer waarbij goederen, producten, post en pakketten worden getransporteerd en/of bezorgd"
        ),
        "text_en": ("(Driving) transport in which goods, products, post and parcels are transported and/or delivered"),
        "valid_from": date(2003, 7, 1),
        "valid_to": date(2011, 4, 30),
    },
    {
        "code": "62",
        "risk_area": 6,
        "text_nl": (
            "(Rijdend) vervoer waarbij goederen, producten, post en pakketten "
            "worden getransporteerd en/of bezorgd anders dan door middel van "
            "een heftruck"
        ),
        "text_en": (
            "(Driving) transport in which goods, products, post and parcels are "
            "transported and/or delivered other than by forklift truck"
        ),
        "valid_from": date(2011, 5, 1),
        "valid_to": date(2011, 11, 30),
    },
    {
        "code": "62",
        "risk_area": 6,
        "text_nl": (
            "(Rijdend) vervoer waarbij goederen, producten, post en pakketten "
            "worden getransporteerd en/of bezorgd, anders dan het intern "
            "transport binnen een bedrijf"
        ),
        "text_en": ("Transporting/delivering goods, post, packages other than in-company"),
        "valid_from": date(2011, 12, 1),
        "valid_to": None,
    },
    {
        "code": "63",
        "risk_area": 6,
        "text_nl": "(Rijdend) vervoer waarbij personen worden vervoerd",
        "text_en": "Transporting passengers",
        "valid_from": date(2003, 7, 1),
        "valid_to": None,
    },
    # 7 Aansturen organisatie
    {
        "code": "71",
        "risk_area": 7,
        "text_nl": ("Personen die vanuit hun functie mensen en/of organisatie aansturen (leidinggevenden)"),
        "text_en": ("Persons who by virtue of their position manage people and/or an organisation (managers)"),
        "valid_from": date(2003, 7, 1),
        "valid_to": date(2011, 4, 30),
    },
    {
        "code": "71",
        "risk_area": 7,
        "text_nl": ("Personen die vanuit hun functie mensen en/of organisatie aansturen (of een deel daarvan)"),
        "text_en": ("Persons who by virtue of their position manage people and/or an organisation (or part of it)"),
        "valid_from": date(2011, 5, 1),
        "valid_to": date(2011, 11, 30),
    },
    {
        "code": "71",
        "risk_area": 7,
        "text_nl": ("Personen die vanuit hun functie mensen en/of een organisatie (of een deel daarvan) aansturen"),
        "text_en": "Managing people and/or (part of) an organisation",
        "valid_from": date(2011, 12, 1),
        "valid_to": None,
    },
    # 8 Personen
    {
        "code": "81",
        "risk_area": 8,
        "text_nl": ("Belast zijn met de zorg voor het welzijn en de veiligheid van mensen en dieren"),
        "text_en": ("Being responsible for the welfare and safety of people and animals"),
        "valid_from": date(2003, 7, 1),
        "valid_to": date(2011, 7, 31),
    },
    {
        "code": "82",
        "risk_area": 8,
        "text_nl": (
            "Een één op één relatie hebben (verschil in macht), waarbij er "
            "sprake is van een (tijdelijke) afhankelijkheid"
        ),
        "text_en": ("Having a one-to-one relationship (difference in power) involving (temporary) dependency"),
        "valid_from": date(2003, 7, 1),
        "valid_to": date(2011, 7, 31),
    },
    {
        "code": "83",
        "risk_area": 8,
        "text_nl": (
            "Het voorhanden hebben van stoffen, objecten, voorwerpen en "
            "dergelijke die, bij oneigenlijk of onjuist gebruik, een risico "
            "vormen voor het welzijn en de veiligheid van mensen en/of dieren"
        ),
        "text_en": (
            "Having access to substances, objects, articles and the like which, "
            "if used improperly or incorrectly, pose a risk to the welfare and "
            "safety of people and/or animals"
        ),
        "valid_from": date(2003, 7, 1),
        "valid_to": date(2011, 7, 31),
    },
    {
        "code": "84",
        "risk_area": 8,
        "text_nl": (
            "Belast zijn met de zorg voor minderjarigen en/of de zorg voor "
            "personen die in een (tijdelijke) afhankelijkheidssituatie verkeren"
        ),
        "text_en": (
            "Being responsible for the care of minors and/or of persons in a situation of (temporary) dependency"
        ),
        "valid_from": date(2003, 7, 1),
        "valid_to": date(2011, 11, 30),
    },
    {
        "code": "84",
        "risk_area": 8,
        "text_nl": "Belast zijn met de zorg voor minderjarigen",
        "text_en": "Responsible for the care of minors",
        "valid_from": date(2011, 12, 1),
        "valid_to": None,
    },
    {
        "code": "85",
        "risk_area": 8,
        "text_nl": ("Belast zijn met de zorg voor (hulpbehoevende) personen, zoals ouderen en gehandicapten"),
        "text_en": ("Responsible for the care of persons requiring assistance (aged, disabled)"),
        "valid_from": date(2011, 12, 1),
        "valid_to": None,
    },
    {
        "code": "86",
        "risk_area": 8,
        "text_nl": "Kinderopvang",
        "text_en": "Childcare",
        "valid_from": date(2012, 8, 14),
        "valid_to": None,
    },
)

# ---------------------------------------------------------------------------
# §2.3 Specific screening profiles (specifieke screeningsprofielen).
#
# Current names (valid_to None) as in the domain.md §2.3 table; the English
# names are our own translations. Retired and earlier rows take their Dutch
# name and dates from vrijBRP DBCheckPost4.java, where domain.md only gives
# years ("2003-2011", "retired (2003-2012)"):
# * 20: 2003-12-18 - 2009-04-30, 24: 2009-05-01 - 2011-12-31,
#   30: 2003-12-18 - 2008-06-30 (vrijBRP end dates 2009-05-01, 2012-01-01 and
#   2008-07-01 are exclusive);
# * 35 "Emigratie, visum" (2003-12-18 - 2009-04-30), the predecessor of 06
#   named in the §2.3 table, is included as a retired profile;
# * earlier wordings of 25, 40 and 50 run 2003-12-18 - 2011-04-30, contiguous
#   with the current wording from 2011-05-01.
# DBCheckPost4.java also lists earlier (2003-2011) wordings of 45, 60, 65, 70,
# 74, 75 and 80; domain.md does not, so they are not included here.
#
# Left out on purpose: 97 "Beveiliging burgerluchtvaart" (listed only in
# go-vog-issuer, dates unconfirmed) and "RP", the specific profile of a VOG
# for legal entities (VOG RP), which will be added with the VOG RP catalogue.
# ---------------------------------------------------------------------------
SPECIFIC_PROFILES = (
    {
        "code": "01",
        "name_nl": "Politieke ambtsdragers",
        "name_en": "Political office holders",
        "valid_from": date(2011, 5, 1),
        "valid_to": None,
    },
    {
        "code": "06",
        "name_nl": "Visum en emigratie",
        "name_en": "Visa and emigration",
        "valid_from": date(2011, 5, 1),
        "valid_to": None,
    },
    {
        "code": "18",
        "name_nl": ("Huisvestingsvergunning (Wet bijzondere maatregelen grootstedelijke problematiek)"),
        "name_en": "Housing permit (Special Measures for Urban Areas Act)",
        "valid_from": date(2017, 1, 1),
        "valid_to": None,
    },
    {
        "code": "20",
        "name_nl": "Ondernemersvergunning voor beroepsgoederenvervoer",
        "name_en": "Operator's licence for professional road haulage",
        "valid_from": date(2003, 12, 18),
        "valid_to": date(2009, 4, 30),
    },
    {
        "code": "24",
        "name_nl": "Integriteitsverklaring Beroepsvervoer",
        "name_en": "Integrity certificate for professional transport",
        "valid_from": date(2009, 5, 1),
        "valid_to": date(2011, 12, 31),
    },
    {
        "code": "25",
        "name_nl": "Buitengewoon opsporingsambtenaar",
        "name_en": "Special investigating officer",
        "valid_from": date(2003, 12, 18),
        "valid_to": date(2011, 4, 30),
    },
    {
        "code": "25",
        "name_nl": "(Buitengewoon) opsporingsambtenaar",
        "name_en": "(Special) investigating officer",
        "valid_from": date(2011, 5, 1),
        "valid_to": None,
    },
    {
        "code": "30",
        "name_nl": "Burgerluchtvaart",
        "name_en": "Civil aviation",
        "valid_from": date(2003, 12, 18),
        "valid_to": date(2008, 6, 30),
    },
    {
        "code": "35",
        "name_nl": "Emigratie, visum",
        "name_en": "Emigration, visa",
        "valid_from": date(2003, 12, 18),
        "valid_to": date(2009, 4, 30),
    },
    {
        "code": "40",
        "name_nl": "(Vakantie)gastgezinnen, pleeggezinnen en adoptie",
        "name_en": "(Holiday) host families, foster families and adoption",
        "valid_from": date(2003, 12, 18),
        "valid_to": date(2011, 4, 30),
    },
    {
        "code": "40",
        "name_nl": "Vakantiegezinnen en adoptie",
        "name_en": "Holiday host families and adoption",
        "valid_from": date(2011, 5, 1),
        "valid_to": None,
    },
    {
        "code": "45",
        "name_nl": "Gezondheidszorg en welzijn van mens en dier",
        "name_en": "Health care and welfare of people and animals",
        "valid_from": date(2011, 5, 1),
        "valid_to": None,
    },
    {
        "code": "50",
        "name_nl": "Horeca; leidinggevende, bedrijfsleider en beheerder",
        "name_en": "Hospitality industry; supervisor, business manager and manager",
        "valid_from": date(2003, 12, 18),
        "valid_to": date(2011, 4, 30),
    },
    {
        "code": "50",
        "name_nl": "Exploitatievergunning",
        "name_en": "Operating licence (hospitality and similar premises)",
        "valid_from": date(2011, 5, 1),
        "valid_to": None,
    },
    {
        "code": "55",
        "name_nl": "Juridische dienstverlening",
        "name_en": "Legal services",
        "valid_from": date(2003, 12, 18),
        "valid_to": None,
    },
    {
        "code": "60",
        "name_nl": "Onderwijs",
        "name_en": "Education",
        "valid_from": date(2011, 5, 1),
        "valid_to": None,
    },
    {
        "code": "65",
        "name_nl": "Taxibranche; chauffeurskaart",
        "name_en": "Taxi sector; driver's card",
        "valid_from": date(2011, 5, 1),
        "valid_to": None,
    },
    {
        "code": "70",
        "name_nl": "Taxibranche; ondernemersvergunning",
        "name_en": "Taxi sector; operator's licence",
        "valid_from": date(2011, 5, 1),
        "valid_to": None,
    },
    {
        "code": "74",
        "name_nl": "Busondernemer",
        "name_en": "Bus and coach operator",
        "valid_from": date(2011, 5, 1),
        "valid_to": date(2012, 2, 29),
    },
    {
        "code": "75",
        "name_nl": (
            "(Gezins)voogd bij voogdij-instellingen, reclasseringswerker, raadsonderzoeker en maatschappelijk werker"
        ),
        "name_en": (
            "(Family) guardian at a guardianship institution, probation officer, "
            "Child Protection Board investigator and social worker"
        ),
        "valid_from": date(2011, 5, 1),
        "valid_to": None,
    },
    {
        "code": "80",
        "name_nl": "Beëdigd tolken/vertalers",
        "name_en": "Sworn interpreters/translators",
        "valid_from": date(2011, 5, 1),
        "valid_to": None,
    },
    {
        "code": "85",
        "name_nl": "Lidmaatschap schietvereniging",
        "name_en": "Membership of a shooting club",
        "valid_from": date(2008, 7, 1),
        "valid_to": None,
    },
    {
        "code": "95",
        "name_nl": "Financiële dienstverlening",
        "name_en": "Financial services",
        "valid_from": date(2008, 7, 1),
        "valid_to": None,
    },
    {
        # Screens all eight risk areas; used for recruitment when the
        # position is not yet known.
        "code": "96",
        "name_nl": "Onbekende functie",
        "name_en": "Unknown position (all risk areas)",
        "valid_from": date(2013, 12, 1),
        "valid_to": None,
    },
)

# ---------------------------------------------------------------------------
# §1.1.1 Purpose (doel) codes of an application, from vrijBRP
# DBCheckPost2.java. The "to" dates in that table are exclusive (VIS ends on
# 2009-05-01, the day IVB starts), so valid_to here is the table's "to" date
# minus one day.
# ---------------------------------------------------------------------------
PURPOSE_CODES = (
    {
        "code": "WRE",
        "text_nl": "Werkrelatie",
        "text_en": "Employment relationship",
        "valid_from": date(2003, 1, 1),
        "valid_to": None,
    },
    {
        "code": "OVG",
        "text_nl": "Overig",
        "text_en": "Other",
        "valid_from": date(2003, 1, 1),
        "valid_to": None,
    },
    {
        "code": "VIS",
        "text_nl": "Visumaanvragen of emigratie naar niet-EU lidstaten",
        "text_en": "Visa applications or emigration to non-EU countries",
        "valid_from": date(2003, 1, 1),
        "valid_to": date(2009, 4, 30),
    },
    {
        "code": "IVB",
        "text_nl": "Integriteitsverklaring Beroepsvervoer",
        "text_en": "Integrity certificate for professional transport",
        "valid_from": date(2009, 5, 1),
        "valid_to": date(2011, 12, 2),
    },
)
