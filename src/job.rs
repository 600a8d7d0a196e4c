//! What a command was asked, resolved once: where the export is and how to
//! read it, the year, the scopes, secrecy, where to write. The commands
//! build these from their clap arguments; no clap type gets past `cmd/`,
//! and tests load exports with [`ExportSource`] directly.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::catalog::year_of;
use crate::indicators::{
    compute_actions, compute_series, compute_tables, compute_year, compute_years, empty_rows,
    label_diagnoses, ActionFigures, CategoryRow, DelaiRow, DiagnosticRow, Frames,
    FrequentDiagnosis, IndicatorRow, NetworkPair, YearFigures,
};
use crate::ingest::{read_export_from, read_orpha_labels, ColumnOverrides, Hash};
use crate::reference::{FileKind, OrphaLabels, Scope, Teams};
use crate::secret::{publish_year, Figures, ScopeFigures, Secrecy};
use crate::validate::{check, check_year, format_date, CleanExport, PersonTeams};

/// Where an export is and how to read it.
#[derive(Debug, Clone)]
pub struct ExportSource {
    /// The export folder; none when every required table is named (v3).
    pub input: Option<PathBuf>,
    /// Tables named explicitly (`--usagers FILE[#SHEET]` and the like)
    /// rather than found in the folder; (v3) a table named several times
    /// is read from its files in this order.
    pub tables: Vec<(FileKind, PathBuf)>,
    /// The user's team referential instead of the built-in one.
    pub teams: Option<PathBuf>,
    /// The user's header names.
    pub columns: Option<PathBuf>,
    /// (v3) The user's ORPHA nomenclature (`--orpha-labels`, SPEC §4.6).
    pub orpha_labels: Option<PathBuf>,
    /// Whether the files are hashed (the report and `validate` show their
    /// SHA-256; `indicators` does not).
    pub hash: Hash,
}

/// An export read and checked, with the referential it was checked against.
pub struct LoadedExport {
    pub clean: CleanExport,
    pub teams: Teams,
    /// (v3) The labels of ORPHA codes (none without `--orpha-labels`).
    pub labels: OrphaLabels,
}

impl ExportSource {
    /// The export in `input`, read with the built-in referential and names.
    pub fn new(input: impl Into<PathBuf>) -> Self {
        Self {
            input: Some(input.into()),
            tables: Vec::new(),
            teams: None,
            columns: None,
            orpha_labels: None,
            hash: Hash::Sha256,
        }
    }

    /// The team referential the export is read against: the user's
    /// (`--teams`), read and checked before the export is, or the built-in
    /// one.
    pub fn referential(&self) -> Result<Teams> {
        match &self.teams {
            Some(path) => Teams::from_file(path),
            None => Ok(Teams::builtin()),
        }
    }

    /// Reads and checks the export (stages 1 and 2). Fails only when a file
    /// or a required column is missing or unreadable; every bad row is a
    /// finding.
    pub fn load(&self) -> Result<LoadedExport> {
        self.load_with(self.referential()?)
    }

    /// [`ExportSource::load`] with the referential already read.
    pub fn load_with(&self, teams: Teams) -> Result<LoadedExport> {
        // The nomenclature is read first: a bad one stops the run at once.
        let labels = match &self.orpha_labels {
            Some(path) => read_orpha_labels(path)?,
            None => OrphaLabels::default(),
        };
        let overrides = match &self.columns {
            Some(path) => ColumnOverrides::from_file(path)?,
            None => ColumnOverrides::default(),
        };
        let named: Vec<(FileKind, &Path)> = self
            .tables
            .iter()
            .map(|(kind, path)| (*kind, path.as_path()))
            .collect();
        let export = read_export_from(self.input.as_deref(), &named, &overrides, self.hash)?;
        crate::console::lap("ingest: files found and scanned, headers read");
        let clean = check(&export, &teams)?;
        crate::console::lap("validate: every row checked");
        Ok(LoadedExport {
            clean,
            teams,
            labels,
        })
    }

    /// The export's folder name, as the report's cover names it; without
    /// `--input`, the folder of the first table named.
    pub fn export_name(&self) -> String {
        let folder = self.folders().into_iter().next().unwrap_or_default();
        folder
            .canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| folder.display().to_string())
    }

    /// The folders the export is read from, which a report is never
    /// written into: `--input`, and the folder of each table named.
    pub fn folders(&self) -> Vec<PathBuf> {
        let mut folders: Vec<PathBuf> = self.input.iter().cloned().collect();
        for (_, path) in &self.tables {
            let file = crate::ingest::TableSource::file_of(path);
            let folder = match file.parent() {
                Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
                _ => PathBuf::from("."),
            };
            if !folders.contains(&folder) {
                folders.push(folder);
            }
        }
        folders
    }
}

/// The years a command reports on: one year, or a range `A-B` (SPEC §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Years {
    pub first: i32,
    pub last: i32,
}

impl Years {
    pub fn one(year: i32) -> Self {
        Self {
            first: year,
            last: year,
        }
    }

    pub fn iter(self) -> impl Iterator<Item = i32> {
        self.first..=self.last
    }
}

impl From<(i32, i32)> for Years {
    fn from((first, last): (i32, i32)) -> Self {
        Self { first, last }
    }
}

impl LoadedExport {
    /// Chooses the year (the one asked for, or the latest year with
    /// activity) and finishes the findings that depend on it.
    pub fn choose_year(&mut self, asked: Option<i32>) -> Result<i32> {
        Ok(self.choose_years(asked.map(Years::one))?.last)
    }

    /// Chooses the years (those asked for, or the latest year with
    /// activity) and finishes the findings that depend on the last one. A
    /// year or range without any demande or intervention is an error that
    /// gives the period the export covers (SPEC §7).
    pub fn choose_years(&mut self, asked: Option<Years>) -> Result<Years> {
        let years = match asked {
            Some(years) if !(1..=9999).contains(&years.first) || !(1..=9999).contains(&years.last) => {
                bail!("--year {}-{} is not a calendar year (1 to 9999)", years.first, years.last)
            }
            Some(years) => years,
            None => Years::one(self.clean.latest_year().context(
                "the export has no demande or intervention with a valid date, so there is no year to report on; run `bilan validate` to see why rows were excluded",
            )?),
        };
        if !years.iter().any(|year| self.clean.covers_year(year)) {
            let asked = if years.first == years.last {
                years.first.to_string()
            } else {
                format!("{}-{}", years.first, years.last)
            };
            let Some((first, last)) = self.clean.period() else {
                bail!("the export has no demande or intervention with a valid date, so there is no year to report on; run `bilan validate` to see why rows were excluded");
            };
            bail!(
                "--year {asked}: the export has no demande and no intervention then; it covers {} to {}: choose a year in that period",
                format_date(first),
                format_date(last)
            );
        }
        check_year(&mut self.clean, years.last);
        Ok(years)
    }
}

/// Which reports a run writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportScopes {
    /// The national report alone, in the output folder.
    National,
    /// The national report and one per team active in the year, each in
    /// its own folder, with an index.
    NationalAndTeams,
    /// Only these teams (codes or names as asked), each in its own folder.
    Teams(Vec<String>),
}

impl ReportScopes {
    /// Whether each report has its own folder (and the run an index).
    pub fn per_team(&self) -> bool {
        *self != ReportScopes::National
    }

    /// The scopes to report on, given the teams active in the year; a team
    /// asked for that was not active is an error listing those that were.
    pub fn resolve(&self, teams: &Teams, active: &[String], year: i32) -> Result<Vec<Scope>> {
        let mut scopes = Vec::new();
        match self {
            ReportScopes::National => scopes.push(Scope::National),
            ReportScopes::NationalAndTeams => {
                scopes.push(Scope::National);
                scopes.extend(active.iter().cloned().map(Scope::Team));
            }
            ReportScopes::Teams(asked) => {
                for name in asked {
                    let Scope::Team(code) = teams.scope_of(name) else {
                        bail!("--team {name}: name a team (code or name); the national report is written with --by-team or without --team");
                    };
                    if !active.contains(&code) {
                        bail!(
                            "--team {name}: {code} has no demande or intervention in {year}; teams active then: {}",
                            active.join(", ")
                        );
                    }
                    scopes.push(Scope::Team(code));
                }
            }
        }
        Ok(scopes)
    }
}

/// `bilan report`, resolved.
#[derive(Debug, Clone)]
pub struct ReportJob {
    pub source: ExportSource,
    pub year: Option<i32>,
    /// The output folder [default: `bilan-Y`].
    pub out: Option<PathBuf>,
    pub scopes: ReportScopes,
    /// The first year of the series over the years [default: the first
    /// year with activity].
    pub since: Option<i32>,
    pub secrecy: Secrecy,
    /// The user's templates folder.
    pub templates: Option<PathBuf>,
    /// The browser that prints the PDF, when one is asked for.
    pub chrome: Option<PathBuf>,
    /// Where to write the national report's template context as JSON.
    pub dump_context: Option<PathBuf>,
}

impl ReportJob {
    /// Computes every figure of the run's reports (stage 3), before
    /// secrecy: the year's rows and Y−1's, then each scope's breakdowns
    /// and findings. What the reports need of the acts themselves is read
    /// first: the frames take the tables over (peak memory).
    pub fn figures(&self, loaded: LoadedExport, year: i32) -> Result<Figures> {
        let LoadedExport {
            mut clean,
            teams,
            labels,
        } = loaded;
        let person_teams = PersonTeams::new(&clean);
        let period = clean.period();
        let covers_previous = clean.covers_year(year - 1);
        let first_year = clean.period().map_or(year, |(first, _)| year_of(first));
        let since = self.since.unwrap_or(first_year).min(year);
        let frames = Frames::new(&mut clean)?;
        crate::console::lap("frames built");
        // Once the series are grouped, the tables need the acts of Y alone,
        // and the fill rates of the scopes that may be reported (unless
        // Y−1 is not in the series and is computed below, from every act:
        // decision 199).
        let fill_scopes: Vec<Scope> = std::iter::once(Scope::National)
            .chain(match &self.scopes {
                ReportScopes::National => Vec::new(),
                ReportScopes::NationalAndTeams => (0..frames.scope_count() as u32)
                    .map(|number| frames.scope(number))
                    .collect(),
                ReportScopes::Teams(asked) => {
                    asked.iter().map(|name| teams.scope_of(name)).collect()
                }
            })
            .collect();
        let then_keep =
            (since < year || !covers_previous).then_some(((year, year), &fill_scopes[..]));
        // Collective actions of every year of the series, and of Y−1.
        let action_years: Vec<i32> = (since.min(year - 1)..=year).collect();
        let (series, actions) = beside_actions(&frames, &action_years, || {
            let series = compute_series(&frames, since, year, then_keep)?;
            crate::console::lap("series computed");
            Ok(series)
        })?;
        let of_year = |wanted: i32| {
            series
                .iter()
                .find(|s| s.figures.year == wanted)
                .map(|s| s.figures.clone())
        };
        let mut current = match of_year(year) {
            Some(current) => current,
            None => compute_year(&frames, year)?,
        };
        label_diagnoses(&mut current.frequent, &labels);
        let previous = match (covers_previous, of_year(year - 1)) {
            (false, _) => None,
            (true, Some(previous)) => Some(previous),
            (true, None) => Some(compute_year(&frames, year - 1)?),
        };
        let active: Vec<String> = current
            .rows
            .iter()
            .filter_map(|r| r.scope.team())
            .map(str::to_string)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let scopes = self
            .scopes
            .resolve(&teams, &active, year)?
            .into_iter()
            .map(|scope| {
                Ok(ScopeFigures {
                    tables: compute_tables(&frames, year, &scope)?,
                    findings: person_teams.findings_for(&clean.findings, &scope),
                    scope,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let national_tables = match scopes.iter().any(|s| s.scope.is_national()) {
            true => None,
            false => Some(compute_tables(&frames, year, &Scope::National)?),
        };
        crate::console::lap("tables computed");
        Ok(Figures {
            year,
            current,
            previous,
            series,
            scopes,
            national_tables,
            files: clean.files,
            period,
            teams,
            actions,
        })
    }

    /// The output folder for the year.
    pub fn out_dir(&self, year: i32) -> PathBuf {
        self.out
            .clone()
            .unwrap_or_else(|| PathBuf::from(format!("bilan-{year}")))
    }
}

/// `bilan indicators`, resolved: the referential is read and the teams
/// asked for named before the export is read.
#[derive(Debug, Clone)]
pub struct IndicatorsJob {
    source: ExportSource,
    teams: Teams,
    years: Option<Years>,
    /// The teams asked for (`--team`), as written and as scopes; none for
    /// every scope.
    asked: Vec<(String, Scope)>,
    secrecy: Option<Secrecy>,
}

/// What `bilan indicators` prints, and what it says of the export.
pub struct IndicatorsFigures {
    pub rows: Vec<IndicatorRow>,
    pub delais: Vec<DelaiRow>,
    pub actions: ActionFigures,
    /// (v3) SPEC §5 schema 3.
    pub categories: Vec<CategoryRow>,
    pub diagnostics: Vec<DiagnosticRow>,
    pub frequent: Vec<FrequentDiagnosis>,
    pub reseau: Vec<NetworkPair>,
    pub findings: usize,
    pub excluded: u64,
}

impl IndicatorsJob {
    /// Reads the referential and names the scopes asked for with it (the
    /// same rule as `report --team`: [`Teams::scope_of`]). The files are
    /// not hashed: nothing `indicators` prints shows their SHA-256.
    pub fn resolve(
        mut source: ExportSource,
        years: Option<Years>,
        teams_asked: &[String],
        secrecy: Option<Secrecy>,
    ) -> Result<Self> {
        source.hash = Hash::None;
        let teams = source.referential()?;
        let asked = teams_asked
            .iter()
            .map(|name| (name.clone(), teams.scope_of(name)))
            .collect();
        Ok(Self {
            source,
            teams,
            years,
            asked,
            secrecy,
        })
    }

    pub fn teams(&self) -> &Teams {
        &self.teams
    }

    /// The export folder, when `--input` names one.
    pub fn input(&self) -> Option<&Path> {
        self.source.input.as_deref()
    }

    pub fn secrecy(&self) -> Option<Secrecy> {
        self.secrecy
    }

    /// Reads the export and computes the figures of every year asked for
    /// at once (stage 3), masked with `--min-count`, of the scopes asked.
    pub fn figures(&self) -> Result<IndicatorsFigures> {
        let mut loaded = self.source.load_with(self.teams.clone())?;
        let years = loaded.choose_years(self.years)?;
        let findings = loaded.clean.findings.len();
        let excluded: u64 = loaded.clean.files.iter().map(|f| f.rows_excluded).sum();
        // The frames take the acts over: nothing below reads them from `clean`.
        let frames = Frames::new(&mut loaded.clean)?;
        crate::console::lap("frames built");
        let all_years: Vec<i32> = years.iter().collect();
        // Collective actions count actions and professionals, not
        // accompanied persons: secrecy leaves them as they are (SPEC §8).
        let (years_figures, mut actions) = beside_actions(&frames, &all_years, || {
            Ok(compute_years(&frames, &all_years)?)
        })?;
        let (mut rows, mut delais) = (Vec::new(), Vec::new());
        let (mut categories, mut diagnostics, mut frequent, mut reseau) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for mut figures in years_figures {
            label_diagnoses(&mut figures.frequent, &loaded.labels);
            if let Some(secrecy) = self.secrecy {
                figures = publish_year(figures, secrecy);
            }
            if !self.asked.is_empty() {
                figures = self.select(figures)?;
            }
            rows.extend(figures.rows);
            delais.extend(figures.delais);
            categories.extend(figures.categories);
            diagnostics.extend(figures.diagnostics);
            frequent.extend(figures.frequent);
            reseau.extend(figures.network.pairs);
        }
        if !self.asked.is_empty() {
            let scopes: Vec<Scope> = self.asked.iter().map(|(_, s)| s.clone()).collect();
            actions = actions.select(&scopes);
        }
        Ok(IndicatorsFigures {
            rows,
            delais,
            actions,
            categories,
            diagnostics,
            frequent,
            reseau,
            findings,
            excluded,
        })
    }

    /// Keeps the figures of the asked scopes, in the order asked; a known
    /// team without activity in the year gets zeros.
    fn select(&self, figures: YearFigures) -> Result<YearFigures> {
        let year = figures.year;
        let mut selected = YearFigures {
            year,
            ..YearFigures::default()
        };
        for (name, scope) in &self.asked {
            let rows: Vec<IndicatorRow> = figures
                .rows
                .iter()
                .filter(|r| r.scope == *scope)
                .cloned()
                .collect();
            match scope {
                _ if !rows.is_empty() => {
                    selected.rows.extend(rows);
                    selected
                        .delais
                        .extend(figures.delais.iter().filter(|d| d.scope == *scope).cloned());
                    selected.categories.extend(
                        figures
                            .categories
                            .iter()
                            .filter(|c| c.scope == *scope)
                            .cloned(),
                    );
                    selected.diagnostics.extend(
                        figures
                            .diagnostics
                            .iter()
                            .filter(|d| d.scope == *scope)
                            .cloned(),
                    );
                }
                Scope::Team(code) if self.teams.get(code).is_some() => {
                    selected.rows.extend(empty_rows(scope.clone(), year));
                    selected.delais.push(DelaiRow::empty(scope.clone(), year));
                    selected
                        .categories
                        .extend(CategoryRow::empty(scope.clone(), year));
                    selected
                        .diagnostics
                        .push(DiagnosticRow::empty(scope.clone(), year));
                }
                _ => bail!(
                    "--team {name}: no such team in the referential nor in the export's {year} activity; use a code such as ERHR-BRE or CNRHR-CRESAM"
                ),
            }
            // (v3) The frequent diagnoses are national; the network's pairs
            // those of the teams asked (every pair with the national scope).
            match scope {
                Scope::National => {
                    selected.frequent.clone_from(&figures.frequent);
                    selected.network.pairs.clone_from(&figures.network.pairs);
                }
                Scope::Team(code) => selected.network.pairs.extend(
                    figures
                        .network
                        .pairs
                        .iter()
                        .filter(|p| p.erhr == *code || p.cnrhr == *code)
                        .cloned(),
                ),
            }
        }
        // A pair of two teams asked is listed once, in the order of SPEC §5.
        selected
            .network
            .pairs
            .sort_by(|a, b| (&a.erhr, &a.cnrhr).cmp(&(&b.erhr, &b.cnrhr)));
        selected
            .network
            .pairs
            .dedup_by(|a, b| a.erhr == b.erhr && a.cnrhr == b.cnrhr);
        Ok(selected)
    }
}

/// `work`, with the collective actions of `years` computed meanwhile on a
/// thread of their own: they need only the frames, and the figures of the
/// years leave a core idle about half the time (decision 171). `work`'s
/// error comes first.
fn beside_actions<T>(
    frames: &Frames,
    years: &[i32],
    work: impl FnOnce() -> Result<T>,
) -> Result<(T, ActionFigures)> {
    std::thread::scope(|scope| {
        let actions = std::thread::Builder::new()
            .name("bilan-actions".into())
            .spawn_scoped(scope, || {
                let actions = compute_actions(frames, years);
                crate::console::lap("actions computed");
                actions.map_err(anyhow::Error::from)
            });
        let done = work();
        let actions = match actions {
            Ok(thread) => thread.join().unwrap_or_else(|_| {
                bail!("the computation of the collective actions stopped unexpectedly")
            }),
            // No thread to be had: computed here.
            Err(_) => compute_actions(frames, years).map_err(anyhow::Error::from),
        };
        Ok((done?, actions?))
    })
}
