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
            "quotidien pour bien servir les cibles : stand collectif sur un salon, CRM commun, "
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
            "et sa réputation durable : un récit fondé sur son identité et ses atouts, puis une "
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
            "Transformer les prospects en clients : surtout les actions de placement du mix, "
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
            "le message du territoire, de plus en plus par le numérique ; y compris les nouveaux "
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
            "Faire revenir ou garder les clients existants : les touristes reviennent, les "
            "entreprises réinvestissent, les étudiants restent, les familles s'installent pour "
            "de bon. Visites d'entreprises, offres ciblées pour les visiteurs d'affaires "
            "réguliers, offres spéciales pour les touristes fidèles."
        ),
    },
]
