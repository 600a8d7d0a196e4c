"""The seven indicators of SPEC §4 (v1) for every scope, as a lean Polars
query in Python: the second speed peer of bench/run.sh (issue #16).

What an analyst who knows Polars and a clean export would write: every
column read as text, dates parsed with one format, categorical cells
matched by normalising each distinct spelling once (a small Python dict;
on a canonical export the codes match as they are), ids taken as they are,
and one lazy plan for all scopes. Written from the specification, not from
bilan's code; `import polars` and process start are part of what is timed.

Usage: python3 polars_indicators.py EXPORT_DIR YEAR [--cp1252]  (CSV rows on stdout)
  --cp1252: the files are Windows-1252 (the labelled archive); without it,
  UTF-8 (the canonical archive).
"""
import sys
import unicodedata

import polars as pl

folder, year = sys.argv[1], int(sys.argv[2])
cp1252 = "--cp1252" in sys.argv[3:]


def read(name, columns):
    path = f"{folder}/{name}"
    if cp1252:
        # Polars reads UTF-8 only: other encodings are decoded in Python.
        frame = pl.read_csv(path, separator=";", encoding="cp1252", infer_schema=False).lazy()
    else:
        frame = pl.scan_csv(path, separator=";", infer_schema=False)
    return frame.rename(dict(zip(frame.collect_schema().names(), columns)))


def norm(text):
    text = unicodedata.normalize("NFKD", (text or "").lower())
    text = "".join(c if c.isalnum() and c.isascii() else " " for c in text if not unicodedata.combining(c))
    return " ".join(text.split())


TEAMS = {
    "ERHR-ARA": "ERHR Auvergne-Rhône-Alpes", "ERHR-BFC": "ERHR Bourgogne-Franche-Comté",
    "ERHR-BRE": "ERHR Bretagne", "ERHR-CVL": "ERHR Centre-Val de Loire", "ERHR-IDF": "ERHR Île-de-France",
    "ERHR-NE": "ERHR Nord-Est", "ERHR-NO": "ERHR Nord-Ouest", "ERHR-NA": "ERHR Nouvelle-Aquitaine",
    "ERHR-OCC": "ERHR Occitanie", "ERHR-PDL": "ERHR Pays de la Loire", "ERHR-PACA": "ERHR PACA-Corse",
    "ERHR-RM": "ERHR Réunion-Mayotte", "ERHR-AG": "ERHR Antilles-Guyane", "CNRHR-CRESAM": "CRESAM",
    "CNRHR-LAPLANE": "Centre Robert Laplane", "CNRHR-PEPINIERE": "La Pépinière", "CNRHR-FAHRES": "FAHRES",
}
TEAM_KEYS = {norm(k): k for k in TEAMS} | {norm(v): k for k, v in TEAMS.items()}
NOT_FILLED = {"", "nr", "non renseigne", "inconnu", "ne sait pas", "nsp"}
HOME = {"domicile familial", "domicile des parents", "famille", "domicile personnel", "logement personnel", "domicile"}
LIEU_OTHER = {"etablissement medico social", "esms", "etablissement", "etablissement sanitaire", "hopital",
              "hospitalisation", "famille d accueil", "famille accueil", "accueil familial", "autre",
              # (v3) hebergement_mixte
              "hebergement mixte", "accueil sequentiel", "internat de semaine",
              "alternance domicile etablissement"}
MR_YES = {"diagnostiquee", "oui", "maladie rare diagnostiquee"}
MR_NO = {"suspectee", "en cours", "en cours de diagnostic", "errance diagnostique", "non", "pas de maladie rare"}
TND_YES = {"tsa", "trouble du spectre de l autisme", "autisme", "tdi", "trouble du developpement intellectuel",
           "deficience intellectuelle", "tdah", "dys", "troubles specifiques des apprentissages", "communication",
           "troubles de la communication", "troubles du langage oral", "tdc",
           "trouble developpemental de la coordination", "dyspraxie"}
TND_NO = {"aucun", "non", "pas de tnd"}
SCHOOL_YES = {"temps plein", "scolarise a temps plein", "milieu ordinaire temps plein", "temps partiel",
              "scolarise a temps partiel", "oui", "scolarise"}
SCHOOL_NO = {"non", "non scolarise", "descolarise"}
VISIT = {"visite domicile", "visite a domicile", "vad", "visite etablissement", "visite en etablissement"}


def flag(yes, no):
    return lambda s: 1 if norm(s) in yes else 0 if norm(s) in no else None


def tnd_flag(s):
    parts = {norm(p) for p in (s or "").split("|")}
    return 1 if parts & TND_YES else 0 if parts & TND_NO else None


def team_code(s):
    key = norm(s)
    return None if key in NOT_FILLED else TEAM_KEYS.get(key, (s or "").strip().upper())


def mapped(frame, column, function, dtype):
    """`column` mapped by `function`, computed once per distinct spelling."""
    spellings = frame.select(pl.col(column).unique()).collect().to_series().to_list()
    table = pl.DataFrame({column: spellings, "value": [function(s) for s in spellings]},
                         schema={column: pl.String, "value": dtype})
    return frame.join(table.lazy(), on=column, how="left", nulls_equal=True)


u = read("usagers.csv", ["id", "naissance", "sexe", "dept", "lieu", "mr", "orpha", "def", "tnd", "scol", "situation"])
d = read("demandes.csv", ["id", "person", "date", "team", "origin"])
i = read("interventions.csv", ["id", "person", "date", "team", "type", "minutes"])

persons = u.select("id", "naissance", "lieu", "mr", "tnd", "scol")
for column, function in [("mr", flag(MR_YES, MR_NO)), ("lieu", flag(HOME, LIEU_OTHER)),
                         ("tnd", tnd_flag), ("scol", flag(SCHOOL_YES, SCHOOL_NO))]:
    persons = mapped(persons, column, function, pl.Int8).drop(column).rename({"value": column})
persons = persons.with_columns(birth=pl.col("naissance").str.strptime(pl.Date, "%d/%m/%Y", strict=False))

acts = pl.concat([
    d.select("person", "date", "team", kind=pl.lit("D"), type=pl.lit(None, pl.String)),
    i.select("person", "date", "team", kind=pl.lit("I"), type="type"),
])
acts = mapped(acts, "team", team_code, pl.String).drop("team").rename({"value": "team"})
acts = mapped(acts, "type", lambda s: norm(s) in VISIT, pl.Boolean).rename({"value": "visit"})
acts = acts.with_columns(day=pl.col("date").str.strptime(pl.Date, "%d/%m/%Y"), visit=pl.col("visit").fill_null(False))
scoped = pl.concat([
    acts.with_columns(scope=pl.lit("national")),
    acts.filter(pl.col("team").is_not_null()).with_columns(scope=pl.col("team")),
])
in_year = pl.col("day").dt.year() == year
per_person = scoped.group_by("scope", "person").agg(
    active=in_year.any(),
    visited=(in_year & pl.col("visit")).any(),
    first=pl.col("day").filter(pl.col("kind") == "D").min(),
).filter("active")
birth = pl.col("birth")
child = (birth.is_not_null() & (birth <= pl.date(year, 12, 31)) & (birth >= pl.date(year - 120, 12, 31))
         & (year - birth.dt.year()).is_between(3, 16))
rows = (
    per_person.join(persons, left_on="person", right_on="id", how="left")
    .with_columns(child=child)
    .group_by("scope")
    .agg(
        n=pl.len(),
        new=(pl.col("first").dt.year() == year).sum(),
        mr=pl.col("mr").sum(), mr_d=pl.col("mr").count(),
        home=pl.col("lieu").sum(), home_d=pl.col("lieu").count(),
        tnd=pl.col("tnd").sum(), tnd_d=pl.col("tnd").count(),
        sch=(pl.col("child") & (pl.col("scol") == 1)).sum(),
        sch_d=(pl.col("child") & pl.col("scol").is_not_null()).sum(),
        children=pl.col("child").sum(),
        visits=pl.col("visited").sum(),
    )
    .sort(pl.col("scope") != "national", "scope")
    .collect()
)
print("scope,year,indicator,numerator,denominator,not_filled")
for r in rows.iter_rows(named=True):
    out = [
        ("personnes_accompagnees", r["n"], "", ""),
        ("nouvelles_personnes", r["new"], "", ""),
        ("maladie_rare_diagnostiquee", r["mr"] or 0, r["mr_d"], r["n"] - r["mr_d"]),
        ("vit_a_domicile", r["home"] or 0, r["home_d"], r["n"] - r["home_d"]),
        ("au_moins_un_tnd", r["tnd"] or 0, r["tnd_d"], r["n"] - r["tnd_d"]),
        ("enfants_3_16_scolarises", r["sch"], r["sch_d"], r["children"] - r["sch_d"]),
        ("visite_domicile_ou_etablissement", r["visits"], r["n"], 0),
    ]
    for name, num, den, nf in out:
        print(f"{r['scope']},{year},{name},{num},{den},{nf}")
