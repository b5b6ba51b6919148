"""Target audiences (cibles), grouped by sphere.

Our proposal, built from Kotler, Haider and Rein's four target markets, INSEE's productive versus
residential split and the usual French lists: the product presents it as "based on" them.
"""

PRODUCTIVE, RESIDENTIAL, RELAY = "productive", "residential", "relay"

AUDIENCES = [
    ("audience.companies", "Companies", "Entreprises / implantations", PRODUCTIVE),
    (
        "audience.investors",
        "Investors, including foreign investment",
        "Investisseurs, dont IDE",
        PRODUCTIVE,
    ),
    (
        "audience.entrepreneurs",
        "Entrepreneurs and start-ups",
        "Créateurs et porteurs de projet",
        PRODUCTIVE,
    ),
    ("audience.talents", "Talent and skilled workers", "Talents / actifs qualifiés", PRODUCTIVE),
    ("audience.students", "Students and researchers", "Étudiants / chercheurs", PRODUCTIVE),
    (
        "audience.event_organisers",
        "Organisers of congresses and fairs",
        "Organisateurs d'événements",
        PRODUCTIVE,
    ),
    (
        "audience.business_visitors",
        "Business visitors and exhibitors",
        "Visiteurs d'affaires / exposants",
        PRODUCTIVE,
    ),
    ("audience.tourists", "Tourists and day visitors", "Touristes / excursionnistes", RESIDENTIAL),
    (
        "audience.new_residents",
        "Prospective residents and families",
        "Nouveaux habitants",
        RESIDENTIAL,
    ),
    ("audience.retirees", "Retirees", "Retraités", RESIDENTIAL),
    ("audience.residents", "Current residents", "Habitants", RESIDENTIAL),
    ("audience.employees", "Local employees and commuters", "Salariés / navetteurs", RESIDENTIAL),
    ("audience.ambassadors", "Ambassadors, greeters and diaspora", "Ambassadeurs", RELAY),
    ("audience.prescribers", "Prescribers, media and influencers", "Prescripteurs", RELAY),
    ("audience.local_partners", "Local partners and institutions", "Partenaires locaux", RELAY),
]

AUDIENCE_ROWS = [
    {
        "code": code,
        "label_en": en,
        "label_fr": fr,
        "sphere": sphere,
        "is_proposal": True,
        "is_internal": code == "audience.residents",
    }
    for code, en, fr, sphere in AUDIENCES
]
