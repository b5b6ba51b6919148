"""The six TRACER stages (Gollain, October 2017), described in our own words.

The seed article names some stages twice (the text and its table differ): ``alias`` keeps the
second name.
"""

TRACER_STAGES = [
    {
        "code": "tracer.together",
        "letter": "T",
        "label_en": "All together",
        "label_fr": "Tous réunis",
        "alias_en": "Everyone together",
        "alias_fr": "Tous ensemble",
        "description_en": (
            "Agree on how the team and its partners work together day to day to serve the "
            "targets well: a shared stand at a fair, a common CRM, the path of a visitor at an "
            "entry point, who answers the contacts that come through the shared portal. Project "
            "management in practice, rather than governance on paper."
        ),
        "description_fr": (
            "S'entendre sur la façon dont l'équipe et ses partenaires travaillent ensemble au "
            "quotidien pour bien servir les cibles\u00a0: stand collectif sur un salon, CRM commun, "
            "parcours du visiteur à un point d'entrée, traitement des contacts reçus par le "
            "portail partagé. De la gestion de projet concrète plutôt qu'une gouvernance sur le "
            "papier."
        ),
    },
    {
        "code": "tracer.reputation",
        "letter": "R",
        "label_en": "Reputation",
        "label_fr": "Réputation",
        "alias_en": "",
        "alias_fr": "",
        "description_en": (
            "Make the territory known to new audiences and improve or correct its image and its "
            "long-term reputation: a story told from its identity and assets, then a brand "
            "platform whose messages, visuals and tools partners and ambassadors can use."
        ),
        "description_fr": (
            "Faire connaître le territoire à de nouveaux publics, améliorer ou corriger son image "
            "et sa réputation durable\u00a0: un récit fondé sur son identité et ses atouts, puis une "
            "plateforme de marque dont les messages, visuels et outils servent aux partenaires et "
            "aux ambassadeurs."
        ),
    },
    {
        "code": "tracer.affinities",
        "letter": "A",
        "label_en": "Affinities",
        "label_fr": "Affinités",
        "alias_en": "",
        "alias_fr": "",
        "description_en": (
            "Make each chosen target like the territory by showing it clear benefits that answer "
            "its stated and unstated needs, so that interest grows and can be turned into a "
            "decision at the next stage."
        ),
        "description_fr": (
            "Se faire aimer de chaque cible retenue en lui montrant des avantages nets au regard "
            "de ses besoins exprimés ou non, pour susciter un intérêt que l'étape suivante "
            "transformera en décision."
        ),
    },
    {
        "code": "tracer.conversion",
        "letter": "C",
        "label_en": "Convert",
        "label_fr": "Convertir",
        "alias_en": "Conversion",
        "alias_fr": "Conversion",
        "description_en": (
            "Turn prospects into customers: mostly the placement actions of the mix, such as a "
            "sales team, a showroom, an incubator, stands at fairs, prospecting on social media "
            "or the sales pages of a website."
        ),
        "description_fr": (
            "Transformer les prospects en clients\u00a0: surtout les actions de placement du mix, "
            "comme une équipe commerciale, un showroom, un incubateur, des stands sur des salons, "
            "la prospection sur les réseaux sociaux ou la partie commerciale d'un site."
        ),
    },
    {
        "code": "tracer.engagement",
        "letter": "E",
        "label_en": "Engagement",
        "label_fr": "Engagement",
        "alias_en": "",
        "alias_fr": "",
        "description_en": (
            "Get local actors, fans, ambassadors, greeters and prescribers to carry the "
            "territory's message, more and more through digital tools; this includes newcomers "
            "and visitors who share what they lived here."
        ),
        "description_fr": (
            "Mobiliser acteurs locaux, fans, ambassadeurs, greeters et prescripteurs pour porter "
            "le message du territoire, de plus en plus par le numérique\u00a0; y compris les nouveaux "
            "arrivants et les visiteurs qui partagent ce qu'ils ont vécu ici."
        ),
    },
    {
        "code": "tracer.retention",
        "letter": "R",
        "label_en": "Retention",
        "label_fr": "Rétention",
        "alias_en": "Reinvestment",
        "alias_fr": "Réinvestissement",
        "description_en": (
            "Bring existing customers back or keep them: tourists return, companies reinvest, "
            "students stay on, families settle for good. Company visits, offers aimed at regular "
            "business visitors, special offers for repeat tourists."
        ),
        "description_fr": (
            "Faire revenir ou garder les clients existants\u00a0: les touristes reviennent, les "
            "entreprises réinvestissent, les étudiants restent, les familles s'installent pour "
            "de bon. Visites d'entreprises, offres ciblées pour les visiteurs d'affaires "
            "réguliers, offres spéciales pour les touristes fidèles."
        ),
    },
]

# The library of example objectives and actions, one set per stage, after the table in Gollain's
# TRACER article, in our own words. "Import into this plan" creates them as drafts.
# (stage, objective EN, objective FR, audiences, segment, [(family, action EN, action FR), ...])
PLAN_LIBRARY = [
    (
        "tracer.together",
        "Handle prospects together, as one team",
        "Traiter les prospects ensemble, comme une seule équipe",
        ["audience.companies", "audience.local_partners"],
        "",
        [
            (
                "mix.partnerships",
                "Design a bundle of services shared by the partners",
                "Concevoir un bouquet de services commun aux partenaires",
            ),
            (
                "mix.process",
                "Open an intranet for the actors of the project",
                "Ouvrir un intranet pour les acteurs de la démarche",
            ),
        ],
    ),
    (
        "tracer.reputation",
        "Correct the territory's economic image",
        "Corriger l'image économique du territoire",
        ["audience.companies", "audience.investors"],
        "",
        [
            (
                "mix.offer",
                "List the economic advantages over rival territories",
                "Recenser les avantages économiques face aux territoires concurrents",
            ),
            (
                "mix.promotion",
                "Create a communication kit for partners",
                "Créer un kit de communication pour les partenaires",
            ),
            (
                "mix.promotion",
                "Commission a photo report on the local economy",
                "Commander un reportage photo sur l'économie locale",
            ),
        ],
    ),
    (
        "tracer.affinities",
        "Win over couples with two incomes and no children as tourists",
        "Séduire les couples actifs sans enfants comme touristes",
        ["audience.tourists"],
        "DINKs",
        [
            (
                "mix.promotion",
                "Run a targeted social-media campaign",
                "Mener une campagne ciblée sur les réseaux sociaux",
            ),
            (
                "mix.persuasion",
                "Host a discovery trip for influential bloggers",
                "Accueillir un éductour de blogueurs influents",
            ),
        ],
    ),
    (
        "tracer.conversion",
        "Turn more prospects into company set-ups",
        "Transformer davantage de prospects en implantations",
        ["audience.companies", "audience.entrepreneurs"],
        "",
        [
            (
                "mix.offer",
                "Open an incubator for project holders",
                "Ouvrir un incubateur pour les porteurs de projet",
            ),
            (
                "mix.placement",
                "Give the development agency more prospecting means",
                "Renforcer les moyens de prospection de l'agence de développement",
            ),
        ],
    ),
    (
        "tracer.engagement",
        "Get visitors to share many more photos of the territory online",
        "Inciter les visiteurs à partager bien plus de photos du territoire en ligne",
        ["audience.tourists", "audience.ambassadors"],
        "",
        [
            (
                "mix.physical_evidence",
                "Install photo totems at key spots",
                "Installer des totems photo aux lieux clés",
            ),
            ("mix.touchpoints", "Stage more street events", "Multiplier les animations de rue"),
            (
                "mix.physical_evidence",
                "Light up key places at night",
                "Mettre en lumière les lieux clés la nuit",
            ),
            ("mix.touchpoints", "Set up interactive screens", "Installer des écrans interactifs"),
        ],
    ),
    (
        "tracer.retention",
        "Keep more exhibitors coming back to local fairs",
        "Fidéliser davantage d'exposants aux foires et salons du territoire",
        ["audience.event_organisers", "audience.business_visitors"],
        "",
        [
            (
                "mix.people",
                "Form a team to support business-event organisers",
                "Constituer une équipe d'accompagnement des organisateurs d'événements",
            ),
            (
                "mix.offer",
                "Offer bundles of business and tourist services to business visitors",
                "Proposer des bouquets de services professionnels et touristiques aux visiteurs d'affaires",
            ),
        ],
    ),
]
