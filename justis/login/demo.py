"""Organisations for the demo KvK login (development only). Any other 8-digit KvK number works too."""

DEMO_ORGANISATIONS = {
    "12345678": "Kinderopvang De Zonnebloem B.V.",
    "23456789": "Stichting Openbaar Onderwijs Zuidrand",
    "34567890": "Zorggroep Het Anker",
    "45678901": "Voetbalvereniging Sparta Noord (vrijwilligers)",
    "56789012": "Taxicentrale Snel & Veilig",
}
