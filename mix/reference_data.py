"""The 12 families of the territorial marketing mix.

No public source gives the labels of Gollain's November 2012 graphic as text, so this list is our
reconstruction from the 4P, the services 7P and the 15P additions (2019): every family is marked as
a proposal and the product presents it as "based on" Gollain's mix.
"""

MIX_FAMILIES = [
    (
        "mix.offer",
        "Offer, products and services",
        "Offre / produits et services",
        "Land and property, business services, tourist packages, bundles of services.",
        "Foncier et immobilier, services aux entreprises, séjours touristiques, bouquets de services.",
    ),
    (
        "mix.price",
        "Price, costs and incentives",
        "Prix / coûts et incitations",
        "Grants, tax schemes, city passes, offers for repeat visitors.",
        "Aides, dispositifs fiscaux, pass, offres pour les visiteurs fidèles.",
    ),
    (
        "mix.placement",
        "Placement, sales and prospecting",
        "Placement / commercialisation",
        "Sales team, showroom, incubator, stands at fairs.",
        "Équipe commerciale, showroom, incubateur, stands sur les salons.",
    ),
    (
        "mix.promotion",
        "Promotion and communication",
        "Promotion / communication",
        "Campaigns, communication kit, photo reports, press relations, content.",
        "Campagnes, kit de communication, reportages photo, relations presse, contenus.",
    ),
    (
        "mix.people",
        "People and welcome",
        "Personnel / accueil",
        "Welcome desks, account managers, trained staff, greeters.",
        "Points d'accueil, chargés d'affaires, personnel formé, greeters.",
    ),
    (
        "mix.partnerships",
        "Partnerships",
        "Partenariats",
        "Shared CRM, collective stands, public-private partnerships, alliances between territories.",
        "CRM partagé, stands collectifs, partenariats public-privé, alliances entre territoires.",
    ),
    (
        "mix.physical_evidence",
        "Physical evidence and setting",
        "Preuves physiques / cadre",
        "Signage, totems, night lighting, interactive screens.",
        "Signalétique, totems, éclairage nocturne, écrans interactifs.",
    ),
    (
        "mix.process",
        "Process",
        "Process",
        "One-stop shop, relocation process, visitor flows.",
        "Guichet unique, processus d'installation, gestion des flux de visiteurs.",
    ),
    (
        "mix.labels_awards",
        "Awards and labels",
        "Prix reçus et labels",
        "Quality labels, rankings, awards won.",
        "Labels de qualité, classements, prix obtenus.",
    ),
    (
        "mix.touchpoints",
        "Touchpoints",
        "Points de contact",
        "Web portal, apps, stations and airports, events.",
        "Portail web, applications, gares et aéroports, événements.",
    ),
    (
        "mix.personalisation",
        "Personalisation and customer relationship",
        "Personnalisation / relation client",
        "CRM, targeted offers, welcome packs for newcomers.",
        "CRM, offres ciblées, kits d'accueil des nouveaux arrivants.",
    ),
    (
        "mix.persuasion",
        "Persuasion, influence and ambassadors",
        "Persuasion / influence",
        "Ambassador clubs, diaspora networks, influencer tours, prescribers.",
        "Clubs d'ambassadeurs, réseaux de la diaspora, eductours d'influenceurs, prescripteurs.",
    ),
]

MIX_FAMILY_ROWS = [
    {
        "code": code,
        "label_en": en,
        "label_fr": fr,
        "description_en": ex_en,
        "description_fr": ex_fr,
        "is_proposal": True,
    }
    for code, en, fr, ex_en, ex_fr in MIX_FAMILIES
]
