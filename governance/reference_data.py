"""The 7 elements to master and the 10-step method in 3 sequences (Gollain), in our own words.

Steps 1 to 8 and the three sequences are sourced; the names of steps 9 and 10 and every step's
deliverables are our proposal, shown in the product as "based on" Gollain's method.
"""

ELEMENTS = [
    {
        "code": "element.organisation",
        "number": 1,
        "label_en": "Power generator: the organisation",
        "label_fr": "Le générateur de puissance\u00a0: l'organisation",
        "description_en": (
            "The base of an effective project: how it is governed and steered, how its actors "
            "share information, how it connects with other policies, how the brand is managed "
            "and how means are pooled."
        ),
        "description_fr": (
            "La base d'une démarche efficace\u00a0: sa gouvernance et son pilotage, le partage "
            "d'information entre ses acteurs, ses liens avec les autres politiques, la gestion "
            "de la marque et la mise en commun des moyens."
        ),
    },
    {
        "code": "element.local_ownership",
        "number": 2,
        "label_en": "Local ownership",
        "label_fr": "L'appropriation locale de la démarche",
        "description_en": (
            "A project must not stay disconnected from its ground for long, even when it looks "
            "abroad: local actors and residents take it up from the start or step by step."
        ),
        "description_fr": (
            "Une démarche ne doit pas rester longtemps «\u00a0hors sol\u00a0», même tournée vers "
            "l'international\u00a0: acteurs locaux et habitants se l'approprient dès le départ ou "
            "au fil des actions."
        ),
    },
    {
        "code": "element.method",
        "number": 3,
        "label_en": "The 10-step marketing method",
        "label_fr": "La méthode marketing en 10 étapes",
        "description_en": "Follow a method: three sequences broken down into ten steps.",
        "description_fr": "Suivre une méthode\u00a0: trois séquences découpées en dix étapes.",
    },
    {
        "code": "element.mix",
        "number": 4,
        "label_en": "An effective marketing mix",
        "label_fr": "Bâtir un marketing mix efficace",
        "description_en": (
            "Use the twelve families of actions, not just a website and an advertising campaign."
        ),
        "description_fr": (
            "Mobiliser les douze familles d'actions, pas seulement un site web et une campagne."
        ),
    },
    {
        "code": "element.evaluation",
        "number": 5,
        "label_en": "Evaluate",
        "label_fr": "Évaluer",
        "description_en": (
            "Evaluate the actions carried out and also their effects on the territory's "
            "attractiveness."
        ),
        "description_fr": (
            "Évaluer les actions menées mais aussi leurs retombées sur l'attractivité du "
            "territoire."
        ),
    },
    {
        "code": "element.feedback",
        "number": 6,
        "label_en": "Feedback loop",
        "label_fr": "Rétroaction",
        "description_en": (
            "Test the territory's assets on its targets, record their needs and the weak points "
            "found, and feed them back into marketing and into other policies (urbanism, "
            "planning, digital...)."
        ),
        "description_fr": (
            "Tester les atouts du territoire auprès des cibles, noter leurs attentes et les "
            "faiblesses repérées, et les réinjecter dans le marketing comme dans les autres "
            "politiques (urbanisme, aménagement, numérique...)."
        ),
    },
    {
        "code": "element.new_actors",
        "number": 7,
        "label_en": "Bringing in new actors",
        "label_fr": "Implication de nouveaux acteurs",
        "description_en": (
            "At the end of each cycle, review the circle of partners who steer the project and "
            "its governance, and involve local actors more."
        ),
        "description_fr": (
            "À la fin de chaque cycle, revoir le cercle des partenaires qui pilotent la démarche "
            "et sa gouvernance, et impliquer davantage les acteurs locaux."
        ),
    },
]

ELEMENT_COMPONENTS = [
    ("element.organisation.governance", "Governance", "Organisation de la gouvernance"),
    (
        "element.organisation.internal_info",
        "Information system between actors",
        "Système interne d'information entre acteurs",
    ),
    (
        "element.organisation.strategy_links",
        "Links with other strategies (planning, urbanism)",
        "Interaction avec les autres stratégies (aménagement, urbanisme)",
    ),
    ("element.organisation.operational_steering", "Operational steering", "Pilotage opérationnel"),
    (
        "element.organisation.brand_management",
        "Brand management",
        "Pilotage de la politique de marque",
    ),
    ("element.organisation.pooling", "Pooling of means", "Mutualisation des moyens"),
]

ELEMENT_COMPONENT_ROWS = [
    {"code": code, "element": "element.organisation", "label_en": en, "label_fr": fr}
    for code, en, fr in ELEMENT_COMPONENTS
]

SEQUENCES = [
    {
        "code": "method.s1",
        "number": 1,
        "label_en": "Establish your diagnosis",
        "label_fr": "Établir son diagnostic",
    },
    {
        "code": "method.s2",
        "number": 2,
        "label_en": "Set your strategic choices",
        "label_fr": "Définir ses choix stratégiques",
    },
    {
        "code": "method.s3",
        "number": 3,
        "label_en": "Draw up your action plan",
        "label_fr": "Dresser son plan d'actions",
    },
]

# (code, sequence, number, EN, FR, name is a proposal, deliverables EN, deliverables FR)
STEPS = [
    (
        "method.s1.information",
        "method.s1",
        1,
        "Put information at the heart of the project",
        "Placer l'information au cœur de la démarche",
        False,
        "A marketing information system, a monitoring plan, an observatory.",
        "Un système d'information marketing, un plan de veille, un observatoire.",
    ),
    (
        "method.s1.markets",
        "method.s1",
        2,
        "Analyse the markets",
        "Analyser les marchés",
        False,
        "One sheet per target market: size, trends, flows, decision criteria.",
        "Une fiche par marché cible\u00a0: taille, tendances, flux, critères de choix.",
    ),
    (
        "method.s1.environment",
        "method.s1",
        3,
        "Study the markets' environment",
        "Étudier l'environnement des marchés",
        False,
        "Broad trends (PESTEL-type), opportunities and threats.",
        "Grandes tendances (type PESTEL), opportunités et menaces.",
    ),
    (
        "method.s1.competitive_position",
        "method.s1",
        4,
        "Assess the competitive position of the territorial offer",
        "Évaluer la position concurrentielle de l'offre territoriale",
        False,
        "A benchmark of rival territories and the territory's comparative advantages.",
        "Un parangonnage des territoires concurrents et les avantages comparatifs du territoire.",
    ),
    (
        "method.s1.matching",
        "method.s1",
        5,
        "Analyse how offer and demand meet",
        "Analyser le mode de mise en relation",
        False,
        "A map of channels, intermediaries, prescribers and touchpoints.",
        "Une carte des canaux, intermédiaires, prescripteurs et points de contact.",
    ),
    (
        "method.s1.synthesis",
        "method.s1",
        6,
        "Sum up the offer against demand",
        "Synthétiser l'évaluation de l'offre territoriale au regard de la demande",
        False,
        "A SWOT and a ranked list of priority segments.",
        "Un AFOM (SWOT) et une liste hiérarchisée des segments prioritaires.",
    ),
    (
        "method.s2.ambition",
        "method.s2",
        7,
        "Set an ambition",
        "Se donner une ambition",
        False,
        "A vision, quantified objectives and priority targets.",
        "Une vision, des objectifs chiffrés et des cibles prioritaires.",
    ),
    (
        "method.s2.promise",
        "method.s2",
        8,
        "Build your promise (positioning)",
        "Construire sa promesse (le positionnement)",
        False,
        "A positioning statement, a value proposition per target, a brand platform if relevant.",
        "Un énoncé de positionnement, une proposition de valeur par cible, une plateforme de marque "
        "le cas échéant.",
    ),
    (
        "method.s3.action_plan",
        "method.s3",
        9,
        "Build the action plan",
        "Construire le plan d'actions",
        True,
        "The mix per target crossed with the TRACER stages, action sheets, budget, timetable.",
        "Le mix par cible croisé avec les étapes TRACER, fiches actions, budget, calendrier.",
    ),
    (
        "method.s3.steering",
        "method.s3",
        10,
        "Implement, monitor and evaluate",
        "Mettre en œuvre, piloter et évaluer",
        True,
        "A dashboard with indicators, regular reviews, the feedback loop.",
        "Un tableau de bord et ses indicateurs, des revues régulières, la boucle de rétroaction.",
    ),
]

STEP_ROWS = [
    {
        "code": code,
        "sequence": seq,
        "number": number,
        "label_en": en,
        "label_fr": fr,
        "is_proposal": proposal,
        "deliverables_en": d_en,
        "deliverables_fr": d_fr,
    }
    for code, seq, number, en, fr, proposal, d_en, d_fr in STEPS
]

# Guidance shown on each step of the method tracker: our own words, not Gollain's text.
STEP_GUIDANCE = {
    "method.s1.information": (
        "Before any choice, organise what you know and what you need to know: who collects which "
        "data, how often, and where partners find it. Start small (a shared folder, a monitoring "
        "list) and make it a habit.",
        "Avant tout choix, organisez ce que vous savez et ce qu'il vous faut savoir\u00a0: qui "
        "collecte quelles données, à quel rythme, et où les partenaires les trouvent. Commencez "
        "petit (un dossier partagé, une liste de veille) et faites-en une habitude.",
    ),
    "method.s1.markets": (
        "List the markets the territory competes on (companies, talent, visitors, students...) "
        "and describe each: its size, how it moves, and what makes its customers choose a place.",
        "Listez les marchés sur lesquels le territoire est en concurrence (entreprises, talents, "
        "visiteurs, étudiants…) et décrivez chacun\u00a0: sa taille, ses évolutions et ce qui fait "
        "choisir un lieu à ses clients.",
    ),
    "method.s1.environment": (
        "Look beyond the markets: economic, social, technological, environmental and regulatory "
        "trends that open opportunities or bring threats over the next years.",
        "Regardez au-delà des marchés\u00a0: les tendances économiques, sociales, technologiques, "
        "environnementales et réglementaires qui ouvrent des opportunités ou font peser des "
        "menaces dans les années à venir.",
    ),
    "method.s1.competitive_position": (
        "Compare the territory's offer with the rival territories your targets also consider. "
        "Be honest about weaknesses: they tell you what to fix before you promote.",
        "Comparez l'offre du territoire avec celle des territoires rivaux que vos cibles "
        "envisagent aussi. Soyez lucides sur les faiblesses\u00a0: elles disent quoi corriger avant "
        "de promouvoir.",
    ),
    "method.s1.matching": (
        "Map how your targets actually meet the territory: the channels, intermediaries, "
        "prescribers and touchpoints, online and on site, and who owns each of them.",
        "Cartographiez comment vos cibles rencontrent réellement le territoire\u00a0: canaux, "
        "intermédiaires, prescripteurs et points de contact, en ligne et sur place, et qui "
        "tient chacun d'eux.",
    ),
    "method.s1.synthesis": (
        "Bring the diagnosis together: strengths, weaknesses, opportunities, threats, and the "
        "segments worth going after first. Share it with the partners before moving on.",
        "Rassemblez le diagnostic\u00a0: forces, faiblesses, opportunités, menaces, et les segments "
        "à viser en priorité. Partagez-le avec les partenaires avant d'aller plus loin.",
    ),
    "method.s2.ambition": (
        "Agree on where the territory wants to be in a few years, with figures you can check "
        "later and the targets that matter most. An ambition the partners do not sign is a wish.",
        "Mettez-vous d'accord sur la place que veut tenir le territoire dans quelques années, "
        "avec des chiffres vérifiables et les cibles qui comptent le plus. Une ambition que les "
        "partenaires ne signent pas reste un vœu.",
    ),
    "method.s2.promise": (
        "Say what the territory promises to each target and why it can keep that promise. "
        "If a shared brand helps, write its platform here.",
        "Dites ce que le territoire promet à chaque cible et pourquoi il peut tenir cette "
        "promesse. Si une marque partagée aide, rédigez ici sa plateforme.",
    ),
    "method.s3.action_plan": (
        "Turn the choices into actions: for each target and TRACER stage, pick the families of "
        "the mix, who leads, the budget and the dates. The action plan of this project is the "
        "place to do it.",
        "Traduisez les choix en actions\u00a0: pour chaque cible et chaque étape TRACER, choisissez "
        "les familles du mix, le pilote, le budget et les dates. Le plan d'actions du projet "
        "est fait pour cela.",
    ),
    "method.s3.steering": (
        "Run the plan, measure actions and their effects, review regularly with the steering "
        "committee and feed what you learn into the next cycle and into other policies.",
        "Conduisez le plan, mesurez les actions et leurs effets, faites le point régulièrement "
        "avec le comité de pilotage et réinjectez les enseignements dans le cycle suivant et "
        "dans les autres politiques.",
    ),
}

for _row in STEP_ROWS:
    _row["description_en"], _row["description_fr"] = STEP_GUIDANCE[str(_row["code"])]

# Next steps suggested for the weakest elements of a maturity assessment: our own words.
ELEMENT_ADVICE = {
    "element.organisation": (
        "Give the project a steering committee that meets on a calendar, one person who runs "
        "it day to day, a shared place for information, and write down who pays for what.",
        "Dotez la démarche d'un comité de pilotage qui se réunit selon un calendrier, d'une "
        "personne qui l'anime au quotidien, d'un lieu partagé pour l'information, et écrivez "
        "qui finance quoi.",
    ),
    "element.local_ownership": (
        "Plan two or three events with residents and local actors this cycle (a public meeting, "
        "a workshop, a survey) and tell them what came of their input.",
        "Prévoyez deux ou trois rendez-vous avec les habitants et les acteurs locaux dans ce "
        "cycle (réunion publique, atelier, enquête) et dites-leur ce qu'il est advenu de leurs "
        "contributions.",
    ),
    "element.method": (
        "Take the method tracker step by step: name a person in charge and a date for the next "
        "step not done, and attach what each finished step produced.",
        "Suivez la méthode étape par étape\u00a0: nommez un responsable et une date pour la prochaine "
        "étape non terminée, et joignez ce que chaque étape achevée a produit.",
    ),
    "element.mix": (
        "Look at the TRACER x mix matrix for empty families and stages: add actions beyond "
        "promotion (welcome, offer, partnerships, ambassadors).",
        "Repérez dans la matrice TRACER x mix les familles et les étapes vides\u00a0: ajoutez des "
        "actions au-delà de la promotion (accueil, offre, partenariats, ambassadeurs).",
    ),
    "element.evaluation": (
        "Give every objective at least one indicator with a baseline and a target, and record "
        "values at the planned frequency.",
        "Donnez à chaque objectif au moins un indicateur avec une valeur de départ et une "
        "cible, et saisissez les valeurs au rythme prévu.",
    ),
    "element.feedback": (
        "After each evaluation, write down the lessons and send each to the policy it concerns "
        "(urbanism, housing, economy...); follow them until they are acted on.",
        "Après chaque évaluation, notez les enseignements et adressez chacun à la politique "
        "concernée (urbanisme, habitat, économie…)\u00a0; suivez-les jusqu'à leur prise en compte.",
    ),
    "element.new_actors": (
        "Before closing the cycle, list the organisations and people missing around the table "
        "and invite them to the next one.",
        "Avant de clore le cycle, listez les organisations et les personnes qui manquent autour "
        "de la table et invitez-les pour le suivant.",
    ),
}

# Loaded by a later data migration than ELEMENTS (the fields came later): same order, so the
# positions stay the same.
ELEMENT_ADVICE_ROWS = [
    {"code": e["code"], "advice_en": ELEMENT_ADVICE[str(e["code"])][0],
     "advice_fr": ELEMENT_ADVICE[str(e["code"])][1]}
    for e in ELEMENTS
]  # fmt: skip
