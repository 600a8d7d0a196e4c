//! (v3) *Réseau* (`reseau.html`, SPEC §4.7): the dispositif as a network —
//! the persons followed by both an ERHR and a CNRHR (each pair, and the
//! totals per team), and the demandes one team of the dispositif sends to
//! another. The national report shows every team; a team's report its own
//! pairs and demandes. Figures come from the published network, masked as
//! SPEC §8 asks; a sum over teams is shown only when none of its terms is
//! masked.

use anyhow::Result;
use serde::Serialize;

use super::parts::{shown, Cell, Chart, Orientation, TableView};
use super::profile_more::Part;
use crate::format;
use crate::indicators::{Indicator, Mask, NetworkTotal, Referrals};
use crate::reference::{Scope, TeamKind};
use crate::secret::{ScopeReport, Shown};

/// What *Réseau* shows.
#[derive(Debug, Clone, Serialize)]
pub struct NetworkView {
    pub parts: Vec<Part>,
}

/// A total as published.
fn total_of(total: &NetworkTotal) -> Shown {
    Shown::of(total.personnes, total.mask)
}

/// A team's persons of the year, as published.
fn persons_of(report: &ScopeReport, team: &str) -> Shown {
    report
        .row(
            &Scope::Team(team.to_string()),
            Indicator::PersonnesAccompagnees,
        )
        .map_or(Shown::Value(0), |r| Shown::of(r.numerator, r.mask))
}

/// The sum of shown figures; `s` when one of them is masked (it would be
/// given back by the difference).
fn sum(figures: impl IntoIterator<Item = Shown>) -> Shown {
    let mut total = 0;
    for figure in figures {
        match figure {
            Shown::Value(n) => total += n,
            Shown::Masked(_) => return Shown::Masked(Mask::Protecting),
        }
    }
    Shown::Value(total)
}

pub fn network(report: &ScopeReport) -> Result<NetworkView> {
    let network = report.network();
    let secrecy = report.secrecy();
    let year = report.year();
    let teams = report.teams();
    let name = |code: &str| Scope::Team(code.to_string()).name(teams);
    let of_kind = |kind: TeamKind| -> Vec<&NetworkTotal> {
        network.totals.iter().filter(|t| t.kind == kind).collect()
    };
    let (erhr, cnrhr) = (of_kind(TeamKind::Erhr), of_kind(TeamKind::Cnrhr));
    let pair = |e: &str, c: &str| -> Shown {
        network
            .pairs
            .iter()
            .find(|p| p.erhr == e && p.cnrhr == c)
            .map_or(Shown::Value(0), |p| Shown::of(p.personnes, p.mask))
    };
    let mut co = Part {
        id: "reseau-co-accompagnement",
        title: "Personnes suivies par une ERHR et un CNRHR".to_string(),
        paragraphs: vec![format!(
            "Une ERHR se tourne vers un centre national de ressources (CNRHR) pour les situations les plus complexes. Sont comptées les personnes accompagnées en {year} à la fois par l’ERHR et par le CNRHR (une demande ou une intervention de chacun dans l’année). Une équipe hors du référentiel n’entre dans aucune paire."
        )],
        charts: Vec::new(),
        tables: Vec::new(),
    };
    let mut referrals_part = Part {
        id: "reseau-orientations",
        title: "Demandes adressées par une équipe du dispositif".to_string(),
        paragraphs: vec![format!(
            "Demandes datées de {year} dont l’origine est une ERHR ou un CNRHR, selon l’équipe qui les a reçues."
        )],
        charts: Vec::new(),
        tables: Vec::new(),
    };
    match report.scope() {
        Scope::National => {
            // The matrix: ERHR by row, CNRHR by column, and their totals.
            let mut columns = vec!["ERHR".to_string()];
            columns.extend(cnrhr.iter().map(|c| name(&c.team)));
            columns.push("Avec au moins un CNRHR".to_string());
            let mut rows: Vec<Vec<Cell>> = erhr
                .iter()
                .map(|e| {
                    let mut row = vec![Cell::Text(name(&e.team))];
                    row.extend(cnrhr.iter().map(|c| Cell::Count(pair(&e.team, &c.team))));
                    row.push(Cell::Count(total_of(e)));
                    row
                })
                .collect();
            let mut last = vec![Cell::text("Avec au moins une ERHR")];
            last.extend(cnrhr.iter().map(|c| Cell::Count(total_of(c))));
            last.push(Cell::Empty);
            rows.push(last);
            co.tables.push(TableView::new(
                format!("Personnes suivies à la fois par une ERHR et un CNRHR en {year}"),
                columns,
                rows,
                Some("Une personne suivie par deux CNRHR compte dans chaque colonne, une seule fois dans le total de son ERHR ; les totaux ne sont donc pas la somme des cases.".to_string()),
                secrecy,
            ));
            // Each CNRHR's persons also followed by an ERHR.
            let bars: Vec<(String, Shown)> =
                cnrhr.iter().map(|c| (name(&c.team), total_of(c))).collect();
            if !bars.is_empty() {
                let mut chart = Chart {
                    id: "reseau-cnrhr",
                    title: "Personnes des CNRHR également suivies par une ERHR",
                    header: "CNRHR",
                    rows: bars,
                    aside: Vec::new(),
                    base: None,
                    orientation: Orientation::Horizontal,
                    several: true,
                    note: None,
                }
                .view(secrecy)?;
                // The share of each CNRHR's own persons.
                chart.table = Some(TableView::new(
                    "Part des personnes de chaque CNRHR également suivies par une ERHR",
                    vec![
                        "CNRHR".into(),
                        "Personnes du CNRHR".into(),
                        "Avec une ERHR".into(),
                        "Part".into(),
                    ],
                    cnrhr
                        .iter()
                        .map(|c| {
                            let persons = persons_of(report, &c.team);
                            vec![
                                Cell::Text(name(&c.team)),
                                Cell::Count(persons),
                                Cell::Count(total_of(c)),
                                Cell::Share(total_of(c), persons),
                            ]
                        })
                        .collect(),
                    None,
                    secrecy,
                ));
                co.charts.push(chart);
            }
            referrals_part
                .tables
                .push(referrals_table(report, &network.referrals));
            let to_cnrhr = sum(network
                .referrals
                .iter()
                .filter(|r| kind_of(report, &r.scope) == Some(TeamKind::Cnrhr))
                .map(|r| from(r, "erhr")));
            if let Shown::Value(n) = to_cnrhr {
                referrals_part.paragraphs.push(format!(
                    "En {year}, {} demande{} {} été adressée{} aux CNRHR par une ERHR.",
                    format::int(n),
                    if n > 1 { "s" } else { "" },
                    if n > 1 { "ont" } else { "a" },
                    if n > 1 { "s" } else { "" },
                ));
            }
        }
        Scope::Team(code) => {
            let own = network.totals.iter().find(|t| t.team == *code);
            let kind = own.map(|t| t.kind);
            let mut rows: Vec<Vec<Cell>> = network
                .pairs
                .iter()
                .map(|p| {
                    let partner = if kind == Some(TeamKind::Erhr) {
                        &p.cnrhr
                    } else {
                        &p.erhr
                    };
                    vec![
                        Cell::Text(name(partner)),
                        Cell::Count(Shown::of(p.personnes, p.mask)),
                    ]
                })
                .collect();
            if let Some(own) = own {
                let persons = persons_of(report, code);
                rows.push(vec![
                    Cell::text(match own.kind {
                        TeamKind::Erhr => "Avec au moins un CNRHR",
                        TeamKind::Cnrhr => "Avec au moins une ERHR",
                    }),
                    Cell::Count(total_of(own)),
                ]);
                if let (Shown::Value(t), Shown::Value(p)) = (total_of(own), persons) {
                    co.paragraphs.push(format!(
                        "En {year}, {} des {} personnes accompagnées par l’équipe l’ont été aussi par {}.",
                        format::int(t),
                        format::int(p),
                        match own.kind {
                            TeamKind::Erhr => "au moins un CNRHR",
                            TeamKind::Cnrhr => "au moins une ERHR",
                        }
                    ));
                }
                co.tables.push(TableView::new(
                    format!("Personnes de l’équipe suivies aussi par {} en {year}", match own.kind {
                        TeamKind::Erhr => "un CNRHR",
                        TeamKind::Cnrhr => "une ERHR",
                    }),
                    vec!["Équipe partenaire".into(), "Personnes".into()],
                    rows,
                    Some("Seules figurent les équipes avec lesquelles l’équipe partage au moins une personne.".to_string()),
                    secrecy,
                ));
            }
            referrals_part
                .tables
                .push(referrals_table(report, &network.referrals));
        }
    }
    Ok(NetworkView {
        parts: vec![co, referrals_part],
    })
}

/// A scope's kind in the referential.
fn kind_of(report: &ScopeReport, scope: &Scope) -> Option<TeamKind> {
    scope.team().and_then(|code| report.teams().kind_of(code))
}

/// The demandes from an origin, as published.
fn from(referral: &Referrals, code: &str) -> Shown {
    referral.from(code).map_or(Shown::Value(0), shown)
}

/// The demandes each scope received, and those an ERHR or a CNRHR sent;
/// the ERHR and the CNRHR together when none of their cells is masked.
fn referrals_table(report: &ScopeReport, referrals: &[Referrals]) -> TableView {
    let row = |label: String, demandes: Shown, erhr: Shown, cnrhr: Shown| {
        vec![
            Cell::Text(label),
            Cell::Count(demandes),
            Cell::Count(erhr),
            Cell::Count(cnrhr),
        ]
    };
    let mut rows: Vec<Vec<Cell>> = referrals
        .iter()
        .map(|r| {
            row(
                r.scope.name(report.teams()),
                Shown::Value(r.demandes),
                from(r, "erhr"),
                from(r, "cnrhr"),
            )
        })
        .collect();
    if report.scope().is_national() {
        for (kind, label) in [
            (TeamKind::Erhr, "Ensemble des ERHR ci-dessus"),
            (TeamKind::Cnrhr, "Ensemble des CNRHR ci-dessus"),
        ] {
            let of: Vec<&Referrals> = referrals
                .iter()
                .filter(|r| kind_of(report, &r.scope) == Some(kind))
                .collect();
            if of.is_empty() {
                continue;
            }
            rows.push(row(
                label.to_string(),
                Shown::Value(of.iter().map(|r| r.demandes).sum()),
                sum(of.iter().map(|r| from(r, "erhr"))),
                sum(of.iter().map(|r| from(r, "cnrhr"))),
            ));
        }
    }
    let mut note = "Une demande adressée par une équipe du dispositif concerne une personne : ces nombres sont protégés comme des effectifs de personnes.".to_string();
    if report.scope().is_national() {
        // Decision 154: a withheld team's demandes are not beside the
        // others, as in « Autres » of the tables of acts by team.
        note.push_str(&format!(
            " Une équipe sans rapport (moins de {} personnes, ou hors référentiel) n’a pas de ligne : ses demandes ne sont comptées que dans la ligne National.",
            report.secrecy().min_count
        ));
    }
    TableView::new(
        format!("Demandes reçues en {} et leur origine", report.year()),
        vec![
            "Équipe destinataire".into(),
            "Demandes reçues".into(),
            "dont adressées par une ERHR".into(),
            "dont adressées par un CNRHR".into(),
        ],
        rows,
        Some(note),
        report.secrecy(),
    )
}
