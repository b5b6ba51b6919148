"""The indicator catalogue: our proposal, built from the sourced examples (Chamard, the
territorial brand evaluation literature, Business France's yearly report, the Place Standard).
Each indicator carries the TRACER stage it mainly serves and its level (means, output, result,
impact)."""

MEANS, OUTPUT, RESULT, IMPACT = "means", "output", "result", "impact"

# (code, EN, FR, unit EN, unit FR, unit kind, TRACER stage, level)
INDICATORS = [
    ("kpi.eco.fdi_decisions", "Foreign investment decisions", "Décisions d'investissement étranger",
     "decisions per year", "décisions par an", "count", "tracer.conversion", IMPACT),
    ("kpi.eco.implantations", "Company set-ups won", "Implantations d'entreprises",
     "set-ups per year", "implantations par an", "count", "tracer.conversion", RESULT),
    ("kpi.eco.jobs_created", "Jobs created", "Emplois créés", "jobs", "emplois", "count",
     "tracer.conversion", IMPACT),
    ("kpi.eco.jobs_maintained", "Jobs maintained", "Emplois maintenus", "jobs", "emplois",
     "count", "tracer.retention", IMPACT),
    ("kpi.eco.prospects", "Qualified prospects", "Prospects qualifiés", "prospects",
     "prospects", "count", "tracer.affinities", RESULT),
    ("kpi.eco.conversion_rate", "Prospect to set-up rate", "Taux de transformation des prospects",
     "%", "%", "percent", "tracer.conversion", RESULT),
    ("kpi.eco.reinvestments", "Reinvestment and extension projects",
     "Projets de réinvestissement et d'extension", "projects per year", "projets par an",
     "count", "tracer.retention", RESULT),
    ("kpi.tour.nights", "Tourist nights", "Nuitées touristiques", "nights per year",
     "nuitées par an", "count", "tracer.conversion", IMPACT),
    ("kpi.tour.occupancy", "Occupancy rate", "Taux de remplissage", "%", "%", "percent",
     "tracer.conversion", RESULT),
    ("kpi.tour.repeat_rate", "Repeat visitors", "Taux de fidélisation des visiteurs", "%", "%",
     "percent", "tracer.retention", RESULT),
    ("kpi.event.hosted", "Congresses and fairs hosted", "Congrès et salons accueillis",
     "events per year", "événements par an", "count", "tracer.conversion", RESULT),
    ("kpi.event.exhibitor_retention", "Exhibitor loyalty", "Fidélisation des exposants", "%", "%",
     "percent", "tracer.retention", RESULT),
    ("kpi.res.net_migration", "Net migration", "Solde migratoire", "persons per year",
     "personnes par an", "signed_count", "tracer.conversion", IMPACT),
    ("kpi.res.new_residents", "New residents", "Nouveaux habitants", "persons per year",
     "personnes par an", "count", "tracer.conversion", IMPACT),
    ("kpi.res.students", "Students enrolled", "Étudiants inscrits", "students", "étudiants",
     "count", "tracer.conversion", IMPACT),
    ("kpi.brand.awareness_spont", "Spontaneous awareness", "Notoriété spontanée", "%", "%",
     "percent", "tracer.reputation", RESULT),
    ("kpi.brand.awareness_aided", "Aided awareness", "Notoriété assistée", "%", "%", "percent",
     "tracer.reputation", RESULT),
    ("kpi.brand.image", "Perceived image", "Image perçue", "score out of 10", "note sur 10",
     "score_10", "tracer.reputation", RESULT),
    ("kpi.brand.ranking", "Rank in rankings and indices", "Rang dans les classements", "rank",
     "rang", "rank", "tracer.reputation", RESULT),
    ("kpi.brand.partners", "Charter partners", "Partenaires adhérents", "partners",
     "partenaires", "count", "tracer.together", MEANS),
    ("kpi.brand.ambassadors", "Ambassadors, registered and active", "Ambassadeurs inscrits et actifs",
     "ambassadors", "ambassadeurs", "count", "tracer.engagement", OUTPUT),
    ("kpi.brand.mark_users", "Users of the brand marks", "Utilisateurs de la marque",
     "organisations", "organisations", "count", "tracer.engagement", OUTPUT),
    ("kpi.digital.reach", "Social-media reach", "Portée sur les réseaux sociaux", "impressions",
     "impressions", "count", "tracer.reputation", OUTPUT),
    ("kpi.digital.engagement_rate", "Engagement rate", "Taux d'engagement", "%", "%", "percent",
     "tracer.engagement", RESULT),
    ("kpi.digital.ugc", "Photos and posts shared by visitors",
     "Photos et contenus partagés par les visiteurs", "posts", "contenus", "count",
     "tracer.engagement", RESULT),
    ("kpi.digital.leads", "Leads from the portal", "Contacts issus du portail", "leads", "contacts",
     "count", "tracer.conversion", OUTPUT),
    ("kpi.gov.crm_users", "Partners using the shared CRM", "Partenaires utilisant le CRM partagé",
     "partners", "partenaires", "count", "tracer.together", MEANS),
    ("kpi.place.std_score", "Place Standard score per theme", "Note Place Standard par thème",
     "score from 1 to 7", "note de 1 à 7", "score_7", "tracer.engagement", RESULT),
    ("kpi.place.footfall", "Footfall", "Fréquentation", "visits per day", "visites par jour",
     "count", "tracer.conversion", RESULT),
]

INDICATOR_ROWS = [
    {
        "code": code, "label_en": en, "label_fr": fr, "unit_en": unit_en, "unit_fr": unit_fr,
        "unit_kind": kind, "tracer_stage": stage, "level": level, "is_proposal": True,
        "domain": code.split(".")[1],
    }
    for code, en, fr, unit_en, unit_fr, kind, stage, level in INDICATORS
]
