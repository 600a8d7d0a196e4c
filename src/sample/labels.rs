//! How people type things in Mediateam: the written forms of each code (the
//! spec's labels, with capitals and accents as typed), the markers of a
//! field not filled in, and typical values no nomenclature knows.

/// Relative size of each ERHR (persons followed), by team code, and the
/// year it opens, counted from the first teams (0: 2015 in the documented
/// sample); its départements come from the reference tables. The CNRHR are
/// there from the start.
pub const ERHR_WEIGHTS: [(&str, u32, i32); 13] = [
    ("ERHR-ARA", 12, 0),
    ("ERHR-BFC", 4, 1),
    ("ERHR-BRE", 5, 1),
    ("ERHR-CVL", 4, 1),
    ("ERHR-IDF", 16, 0),
    ("ERHR-NE", 8, 0),
    ("ERHR-NO", 13, 0),
    ("ERHR-NA", 9, 0),
    ("ERHR-OCC", 9, 0),
    ("ERHR-PDL", 6, 0),
    ("ERHR-PACA", 8, 1),
    ("ERHR-RM", 3, 2),
    ("ERHR-AG", 2, 2),
];

/// Written forms by field and code.
pub struct Labels;

impl Labels {
    pub fn new() -> Self {
        Labels
    }

    /// The ways a code is written in the export.
    pub fn forms(&self, field: &str, code: &str) -> &'static [&'static str] {
        match (field, code) {
            ("sexe", "F") => &["F", "F", "Féminin"],
            ("sexe", _) => &["M", "M", "Masculin"],
            ("lieu_de_vie", "domicile_familial") => {
                &["Domicile familial", "Domicile des parents", "Famille"]
            }
            ("lieu_de_vie", "domicile_personnel") => {
                &["Domicile personnel", "Logement personnel", "Domicile"]
            }
            ("lieu_de_vie", "etablissement_medico_social") => {
                &["ESMS", "Etablissement médico-social", "Établissement"]
            }
            ("lieu_de_vie", "etablissement_sanitaire") => &["Hôpital", "Etablissement sanitaire"],
            ("lieu_de_vie", "famille_accueil") => &["Famille d'accueil", "Accueil familial"],
            ("lieu_de_vie", "hebergement_mixte") => &[
                "Hébergement mixte",
                "Accueil séquentiel",
                "Internat de semaine",
            ],
            ("lieu_de_vie", _) => &["Autre", "autre"],
            ("maladie_rare", "diagnostiquee") => {
                &["Oui", "Diagnostiquée", "Maladie rare diagnostiquée"]
            }
            ("maladie_rare", "suspectee") => &[
                "En cours",
                "En cours de diagnostic",
                "Errance diagnostique",
                "Suspectée",
            ],
            ("maladie_rare", _) => &["Non", "Pas de maladie rare"],
            ("deficiences", "auditive") => &["Auditive"],
            ("deficiences", "visuelle") => &["Visuelle"],
            ("deficiences", "surdicecite") => &["Surdicécité", "Double déficience sensorielle"],
            ("deficiences", "motrice") => &["Motrice"],
            ("deficiences", "intellectuelle") => &["Intellectuelle", "Cognitive"],
            ("deficiences", "psychique") => &["Psychique", "Troubles du comportement"],
            ("deficiences", "epilepsie") => &["Epilepsie sévère", "Épilepsie"],
            ("deficiences", "langage") => &["Troubles du langage", "Communication"],
            ("deficiences", "affection_chronique") => {
                &["Affection chronique grave", "Maladie chronique"]
            }
            ("deficiences", _) => &["Autre"],
            ("tnd", "tsa") => &["TSA", "Autisme"],
            ("tnd", "tdi") => &["TDI", "Déficience intellectuelle"],
            ("tnd", "tdah") => &["TDAH"],
            ("tnd", "dys") => &["Dys", "Troubles spécifiques des apprentissages"],
            ("tnd", "communication") => &["Troubles de la communication"],
            ("tnd", "tdc") => &["Dyspraxie", "TDC"],
            ("tnd", _) => &["Aucun", "Non", "Pas de TND"],
            ("scolarisation", "temps_plein") => &["Temps plein", "Scolarisé à temps plein"],
            ("scolarisation", "temps_partiel") => &["Temps partiel", "Scolarisé à temps partiel"],
            ("scolarisation", "oui") => &["Oui", "Scolarisé"],
            ("scolarisation", _) => &["Non scolarisé", "Non", "Déscolarisé"],
            ("situation", "sans_solution") => &[
                "Sans solution",
                "Sans solution",
                "En attente de solution",
                "Aucune solution",
                "Sans accompagnement",
            ],
            ("situation", "solution_partielle") => &[
                "Solution partielle",
                "Solution inadaptée",
                "Accompagnement partiel",
            ],
            ("situation", _) => &["Avec solution", "Accompagné", "Solution adaptée"],
            ("origine", "personne") => &["La personne", "Usager"],
            ("origine", "famille") => &["Famille", "Aidant", "Proche"],
            ("origine", "esms") => &["ESMS", "Professionnel médico-social"],
            ("origine", "sanitaire") => &["Hôpital", "Médecin", "Professionnel de santé"],
            ("origine", "mdph") => &["MDPH"],
            ("origine", "education") => &["Education nationale", "École"],
            ("origine", "erhr") => &["ERHR", "Equipe relais", "Équipe relais handicaps rares"],
            ("origine", "cnrhr") => &["CNRHR", "Centre national de ressources"],
            ("troubles_associes", "tnd") => &["TND", "Troubles du neurodéveloppement"],
            ("troubles_associes", "psychique") => {
                &["Troubles psychiques", "Troubles psychiatriques"]
            }
            ("troubles_associes", "comportement") => &[
                "Troubles du comportement",
                "Comportements-défis",
                "Comportements problèmes",
            ],
            ("troubles_associes", "epilepsie") => &["Épilepsie", "Epilepsie"],
            ("troubles_associes", "sommeil") => &["Troubles du sommeil"],
            ("troubles_associes", "alimentation") => {
                &["Troubles de l'alimentation", "Troubles de la déglutition"]
            }
            ("troubles_associes", "somatique") => &["Troubles somatiques", "Douleur chronique"],
            ("troubles_associes", "moteur") => &["Troubles moteurs"],
            ("troubles_associes", "sensoriel") => &["Troubles sensoriels"],
            ("troubles_associes", "autre") => &["Autre"],
            ("troubles_associes", _) => &["Aucun", "Aucun trouble associé", "Non"],
            ("accompagnements", "ime") => &["IME", "Institut médico-éducatif"],
            ("accompagnements", "sessad") => &["SESSAD"],
            ("accompagnements", "camsp") => &["CAMSP"],
            ("accompagnements", "cmpp") => &["CMPP"],
            ("accompagnements", "mas") => &["MAS", "Maison d'accueil spécialisée"],
            ("accompagnements", "fam_eam") => &["FAM", "EAM", "Foyer d'accueil médicalisé"],
            ("accompagnements", "foyer_vie") => &["Foyer de vie", "Foyer occupationnel"],
            ("accompagnements", "esat") => &["ESAT"],
            ("accompagnements", "samsah") => &["SAMSAH"],
            ("accompagnements", "savs") => &["SAVS"],
            ("accompagnements", "ssiad") => &["SSIAD"],
            ("accompagnements", "saad") => &["SAAD", "Aide à domicile"],
            ("accompagnements", "pcpe") => &["PCPE"],
            ("accompagnements", "hopital") => &["Hôpital de jour", "Hospitalisation"],
            ("accompagnements", "had") => &["HAD", "Hospitalisation à domicile"],
            ("accompagnements", "liberal") => &[
                "Orthophoniste",
                "Kinésithérapeute",
                "Professionnels libéraux",
            ],
            ("accompagnements", "autre") => &["Autre"],
            ("accompagnements", _) => &["Aucun", "Aucun accompagnement", "Sans accompagnement"],
            ("origine", _) => &["Autre"],
            ("type_intervention", "visite_domicile") => &["Visite à domicile", "VAD"],
            ("type_intervention", "visite_etablissement") => &["Visite en établissement"],
            ("type_intervention", "entretien") => &["Entretien téléphonique", "Téléphone", "Visio"],
            ("type_intervention", "reunion") => &["Réunion", "Synthèse", "Réunion partenariale"],
            ("type_intervention", "evaluation") => &["Evaluation", "Bilan"],
            ("type_intervention", "orientation") => &["Orientation", "Mise en relation"],
            ("type_intervention", "pret_materiel") => &["Prêt d'aide technique"],
            _ => &["Autre"],
        }
    }

    /// Values that match no nomenclature, as found in real exports; a field
    /// holding one is *not filled in* (and reported).
    pub fn unknown(&self, field: &str) -> &'static [&'static str] {
        match field {
            "lieu_de_vie" => &["Foyer de vie", "Domicile famillial"],
            "maladie_rare" => &["A confirmer"],
            "tnd" => &["TOC"],
            "scolarisation" => &["ULIS", "IME"],
            "situation" => &["Liste d'attente", "Orientation en cours"],
            "departement" => &["20", "99"],
            "origine" => &["Voisin"],
            "troubles_associes" => &["TOC", "Troubles de l'attention"],
            "accompagnements" => &["Orthoptiste", "Crèche"],
            _ => &["?"],
        }
    }
}

/// Markers of a field not filled in, most often an empty cell.
pub const NOT_FILLED: [&str; 6] = ["", "", "", "NR", "Non renseigné", "NSP"];
