"""Reference data of the GVA (Gedragsverklaring Aanbesteden): the exclusion grounds and their offences.

Where the data comes from
-------------------------
domain.md §6: the mandatory exclusion grounds of the Aanbestedingswet 2012 art. 2.86(2) (ARW 2016 art.
2.13), a final conviction in the last 5 years for participation in a criminal organisation, bribery,
fraud, money laundering, terrorist offences, child labour and other trafficking in human beings; also
when a member of the administrative, management or supervisory body was convicted (2.86(3)). The
facultative grounds (professional misconduct, grave error, false declarations) use 3 years: the
standard rule of directive 2014/24/EU, marked **unconfirmed** in the brief. Non-payment of taxes and
social contributions (2.86(4)) is established by other authorities, not the JDS, and is not here.

The offence articles per ground are OUR OWN MAPPING of the grounds onto the Wetboek van Strafrecht
(Sr), the Algemene wet inzake rijksbelastingen (AWR) and the Wet economische delicten (WED), written as
the JDS writes them (see ``rules_data.OFFENCE_ARTICLES``). Terrorist offences also match on the
pre-assessment's offence category ``terrorisme``; the facultative ground matches the remaining
property and fraud offences (category ``vermogen``), so that a screener weighs them.

Versioning: like ``rules_data``, each row has ``valid_from`` and an inclusive ``valid_to``. The grounds
apply since the Aanbestedingswet 2012 came into force (1 April 2013); the list of 1 July 2016 (EU
directive 2014/24) is the one transcribed, so the rows start then.

Plain data only (no Django imports), so migrations and tests can use it.
"""

from datetime import date

SINCE = date(2016, 7, 1)
MANDATORY_YEARS = 5
FACULTATIVE_YEARS = 3

EXCLUSION_GROUNDS = (
    {
        "code": "criminal_organisation",
        "kind": "mandatory",
        "name_nl": "deelneming aan een criminele organisatie",
        "name_en": "participation in a criminal organisation",
        "years": MANDATORY_YEARS,
        "articles": ["140 Sr"],
        "categories": [],
        "legal_basis": "Aw 2012 art. 2.86 lid 2 onder a",
        "note": "",
        "valid_from": SINCE,
        "valid_to": None,
    },
    {
        "code": "bribery",
        "kind": "mandatory",
        "name_nl": "omkoping",
        "name_en": "bribery",
        "years": MANDATORY_YEARS,
        "articles": ["177 Sr", "177a Sr", "178 Sr", "328ter Sr", "363 Sr", "364 Sr"],
        "categories": [],
        "legal_basis": "Aw 2012 art. 2.86 lid 2 onder b",
        "note": "",
        "valid_from": SINCE,
        "valid_to": None,
    },
    {
        "code": "fraud",
        "kind": "mandatory",
        "name_nl": "fraude",
        "name_en": "fraud",
        "years": MANDATORY_YEARS,
        "articles": ["225 Sr", "323a Sr", "326 Sr", "69 AWR"],
        "categories": [],
        "legal_basis": "Aw 2012 art. 2.86 lid 2 onder c",
        "note": "fraud against financial interests; forgery, subsidy fraud, swindle and tax fraud (our mapping)",
        "valid_from": SINCE,
        "valid_to": None,
    },
    {
        "code": "money_laundering",
        "kind": "mandatory",
        "name_nl": "witwassen of financiering van terrorisme",
        "name_en": "money laundering or terrorist financing",
        "years": MANDATORY_YEARS,
        "articles": ["420bis Sr", "420bis.1 Sr", "420ter Sr", "420quater Sr", "420quater.1 Sr", "421 Sr"],
        "categories": [],
        "legal_basis": "Aw 2012 art. 2.86 lid 2 onder e",
        "note": "",
        "valid_from": SINCE,
        "valid_to": None,
    },
    {
        "code": "terrorism",
        "kind": "mandatory",
        "name_nl": "terroristisch misdrijf of misdrijf in verband met terroristische activiteiten",
        "name_en": "terrorist offence or offence linked to terrorist activities",
        "years": MANDATORY_YEARS,
        "articles": ["83 Sr", "114a Sr", "114b Sr", "140a Sr", "176a Sr", "176b Sr"],
        "categories": ["terrorisme"],
        "legal_basis": "Aw 2012 art. 2.86 lid 2 onder d",
        "note": "",
        "valid_from": SINCE,
        "valid_to": None,
    },
    {
        "code": "trafficking",
        "kind": "mandatory",
        "name_nl": "kinderarbeid en andere vormen van mensenhandel",
        "name_en": "child labour and other forms of trafficking in human beings",
        "years": MANDATORY_YEARS,
        "articles": ["273f Sr"],
        "categories": [],
        "legal_basis": "Aw 2012 art. 2.86 lid 2 onder f",
        "note": "",
        "valid_from": SINCE,
        "valid_to": None,
    },
    {
        "code": "professional_misconduct",
        "kind": "facultative",
        "name_nl": "ernstige beroepsfout, valse verklaringen of andere vermogens- en fraudedelicten",
        "name_en": "grave professional misconduct, false declarations or other property and fraud offences",
        "years": FACULTATIVE_YEARS,
        "articles": ["328bis Sr", "336 Sr", "340 Sr", "341 Sr", "342 Sr", "343 Sr", "344 Sr", "1 WED"],
        "categories": ["vermogen"],
        "legal_basis": "Aw 2012 art. 2.87",
        "note": "3 years: the rule of directive 2014/24/EU, unconfirmed for the GVA (domain.md §6)",
        "valid_from": SINCE,
        "valid_to": None,
    },
)
