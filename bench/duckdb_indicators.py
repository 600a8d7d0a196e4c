"""The seven indicators of SPEC §4 for every scope, computed by DuckDB
straight from the CSV files of a clean `bilan sample --clean` export
(`;`, JJ/MM/AAAA; Windows-1252 with French labels as written by the
sample, or UTF-8 with codes when written with `--canonical`).
Written from the specification, not from bilan's code: it is both the
speed peer of bench/run.sh and a cross-check of bilan's figures.

With --lean, the query an analyst who knows the export is clean would
write: categorical and team cells are normalised once per distinct
spelling (a join) rather than once per row, ids are neither checked for
"not filled in" spellings nor deduplicated, dates are parsed with one
format. It gives the same rows on a clean export and is the stronger peer.

Usage: python3 duckdb_indicators.py EXPORT_DIR YEAR [--lean] [--cp1252]  (CSV rows on stdout)
  --cp1252: the files are Windows-1252 (the labelled archive, read as
  latin-1); without it, UTF-8 (the canonical archive of `--canonical`).
"""
import sys

import duckdb

folder, year = sys.argv[1], int(sys.argv[2])
lean = "--lean" in sys.argv[3:]
encoding = "latin-1" if "--cp1252" in sys.argv[3:] else "utf-8"
con = duckdb.connect()
con.execute("""
CREATE MACRO norm(s) AS trim(regexp_replace(lower(strip_accents(coalesce(s, ''))), '[^a-z0-9]+', ' ', 'g'));
""")
read = "read_csv('{}/{}', delim=';', header=true, quote='\"', encoding='{}', all_varchar=true, names={})"
con.execute(f"CREATE VIEW u AS SELECT * FROM {read.format(folder, 'usagers.csv', encoding, ['id','naissance','sexe','dept','lieu','mr','orpha','def','tnd','scol'])}")
con.execute(f"CREATE VIEW d AS SELECT * FROM {read.format(folder, 'demandes.csv', encoding, ['id','person','date','team','origin'])}")
con.execute(f"CREATE VIEW i AS SELECT * FROM {read.format(folder, 'interventions.csv', encoding, ['id','person','date','team','type','minutes'])}")
teams = [
    ("ERHR-ARA", "ERHR Auvergne-Rhône-Alpes"), ("ERHR-BFC", "ERHR Bourgogne-Franche-Comté"),
    ("ERHR-BRE", "ERHR Bretagne"), ("ERHR-CVL", "ERHR Centre-Val de Loire"), ("ERHR-IDF", "ERHR Île-de-France"),
    ("ERHR-NE", "ERHR Nord-Est"), ("ERHR-NO", "ERHR Nord-Ouest"), ("ERHR-NA", "ERHR Nouvelle-Aquitaine"),
    ("ERHR-OCC", "ERHR Occitanie"), ("ERHR-PDL", "ERHR Pays de la Loire"), ("ERHR-PACA", "ERHR PACA-Corse"),
    ("ERHR-RM", "ERHR Réunion-Mayotte"), ("ERHR-AG", "ERHR Antilles-Guyane"), ("CNRHR-CRESAM", "CRESAM"),
    ("CNRHR-LAPLANE", "Centre Robert Laplane"), ("CNRHR-PEPINIERE", "La Pépinière"), ("CNRHR-FAHRES", "FAHRES"),
]
con.execute("CREATE TABLE teams(code VARCHAR, name VARCHAR)")
con.executemany("INSERT INTO teams VALUES (?, ?)", teams)
con.execute("CREATE TABLE team_keys AS SELECT norm(code) k, code FROM teams UNION SELECT norm(name), code FROM teams")

def labels(*items):
    return "(" + ", ".join("'" + x + "'" for x in items) + ")"

NOT_FILLED = labels("", "nr", "non renseigne", "inconnu", "ne sait pas", "nsp")
HOME = labels("domicile familial", "domicile des parents", "famille", "domicile personnel", "logement personnel", "domicile")
LIEU_OTHER = labels("etablissement medico social", "esms", "etablissement", "etablissement sanitaire", "hopital",
                    "hospitalisation", "famille d accueil", "famille accueil", "accueil familial", "autre", "sans solution",
                    # (v3) hebergement_mixte
                    "hebergement mixte", "accueil sequentiel", "internat de semaine",
                    "alternance domicile etablissement")
MR_YES = labels("diagnostiquee", "oui", "maladie rare diagnostiquee")
MR_NO = labels("suspectee", "en cours", "en cours de diagnostic", "errance diagnostique", "non", "pas de maladie rare")
TND_YES = labels("tsa", "trouble du spectre de l autisme", "autisme", "tdi", "trouble du developpement intellectuel",
                 "deficience intellectuelle", "tdah", "dys", "troubles specifiques des apprentissages", "communication",
                 "troubles de la communication", "troubles du langage oral", "tdc",
                 "trouble developpemental de la coordination", "dyspraxie")
TND_NO = labels("aucun", "non", "pas de tnd")
SCHOOL_YES = labels("temps plein", "scolarise a temps plein", "milieu ordinaire temps plein", "temps partiel",
                    "scolarise a temps partiel", "oui", "scolarise")
SCHOOL_NO = labels("non", "non scolarise", "descolarise")
VISIT = labels("visite domicile", "visite a domicile", "vad", "visite etablissement", "visite en etablissement")

# Spec-complete: every cell normalised, ids checked and deduplicated.
def persons_exact():
    con.execute(f"""
    CREATE TABLE persons AS
    WITH numbered AS (SELECT *, row_number() OVER () AS rn FROM u),
    first AS (SELECT *, row_number() OVER (PARTITION BY trim(id) ORDER BY rn) AS k FROM numbered WHERE norm(id) NOT IN {NOT_FILLED}),
    parts AS (SELECT trim(id) AS id, list_transform(string_split(coalesce(tnd, ''), '|'), lambda x: norm(x)) AS t, * EXCLUDE (id, tnd) FROM first WHERE k = 1)
    SELECT id,
      year(try_strptime(naissance, '%d/%m/%Y')) AS birth_year,
      try_strptime(naissance, '%d/%m/%Y') AS birth,
      CASE WHEN norm(mr) IN {MR_YES} THEN 1 WHEN norm(mr) IN {MR_NO} THEN 0 END AS mr,
      CASE WHEN norm(lieu) IN {HOME} THEN 1 WHEN norm(lieu) IN {LIEU_OTHER} THEN 0 END AS home,
      CASE WHEN list_has_any(t, {TND_YES.replace('(', '[').replace(')', ']')}) THEN 1
           WHEN list_has_any(t, {TND_NO.replace('(', '[').replace(')', ']')}) THEN 0 END AS tnd,
      CASE WHEN norm(scol) IN {SCHOOL_YES} THEN 1 WHEN norm(scol) IN {SCHOOL_NO} THEN 0 END AS school
    FROM parts
    """)


def acts_exact():
    con.execute(f"""
    CREATE TABLE acts AS
    WITH raw AS (
      SELECT 'D' AS kind, id, person, date, team, false AS visit FROM d
      UNION ALL
      SELECT 'I', id, person, date, team, norm(type) IN {VISIT} FROM i
    )
    SELECT kind, trim(person) AS person, try_strptime(split_part(trim(date), ' ', 1), '%d/%m/%Y')::DATE AS day,
      CASE WHEN norm(team) IN {NOT_FILLED} THEN NULL ELSE coalesce(tk.code, upper(trim(team))) END AS team, visit
    FROM raw LEFT JOIN team_keys tk ON tk.k = norm(raw.team)
    WHERE norm(person) NOT IN {NOT_FILLED} AND norm(id) NOT IN {NOT_FILLED}
    """)


# Lean: each distinct spelling normalised once; ids taken as they are.
def persons_lean():
    con.execute(f"""
    CREATE TABLE persons AS
    WITH mr_map AS (SELECT DISTINCT mr AS s, norm(mr) AS n FROM u),
    lieu_map AS (SELECT DISTINCT lieu AS s, norm(lieu) AS n FROM u),
    scol_map AS (SELECT DISTINCT scol AS s, norm(scol) AS n FROM u),
    tnd_map AS (SELECT DISTINCT tnd AS s, list_transform(string_split(coalesce(tnd, ''), '|'), lambda x: norm(x)) AS t FROM u)
    SELECT u.id,
      year(try_strptime(naissance, '%d/%m/%Y')) AS birth_year,
      try_strptime(naissance, '%d/%m/%Y') AS birth,
      CASE WHEN m.n IN {MR_YES} THEN 1 WHEN m.n IN {MR_NO} THEN 0 END AS mr,
      CASE WHEN l.n IN {HOME} THEN 1 WHEN l.n IN {LIEU_OTHER} THEN 0 END AS home,
      CASE WHEN list_has_any(t.t, {TND_YES.replace('(', '[').replace(')', ']')}) THEN 1
           WHEN list_has_any(t.t, {TND_NO.replace('(', '[').replace(')', ']')}) THEN 0 END AS tnd,
      CASE WHEN s.n IN {SCHOOL_YES} THEN 1 WHEN s.n IN {SCHOOL_NO} THEN 0 END AS school
    FROM u
    LEFT JOIN mr_map m ON m.s IS NOT DISTINCT FROM u.mr
    LEFT JOIN lieu_map l ON l.s IS NOT DISTINCT FROM u.lieu
    LEFT JOIN scol_map s ON s.s IS NOT DISTINCT FROM u.scol
    LEFT JOIN tnd_map t ON t.s IS NOT DISTINCT FROM u.tnd
    """)


def acts_lean():
    con.execute(f"""
    CREATE TABLE acts AS
    WITH raw AS (
      SELECT 'D' AS kind, person, date, team, NULL AS type FROM d
      UNION ALL
      SELECT 'I', person, date, team, type FROM i
    ),
    spellings AS (SELECT DISTINCT team FROM raw),
    team_map AS (
      SELECT s.team, CASE WHEN norm(s.team) IN {NOT_FILLED} THEN NULL ELSE coalesce(tk.code, upper(trim(s.team))) END AS code
      FROM spellings s LEFT JOIN team_keys tk ON tk.k = norm(s.team)
    ),
    types AS (SELECT DISTINCT type FROM raw),
    type_map AS (SELECT type, norm(type) IN {VISIT} AS visit FROM types)
    SELECT kind, person, strptime(date, '%d/%m/%Y')::DATE AS day, tm.code AS team, coalesce(ty.visit, false) AS visit
    FROM raw
    LEFT JOIN team_map tm ON tm.team IS NOT DISTINCT FROM raw.team
    LEFT JOIN type_map ty ON ty.type IS NOT DISTINCT FROM raw.type
    """)


if lean:
    persons_lean()
    acts_lean()
else:
    persons_exact()
    acts_exact()
rows = con.execute(f"""
WITH scoped AS (
  SELECT 'national' AS scope, * FROM acts WHERE day IS NOT NULL
  UNION ALL SELECT team, * FROM acts WHERE day IS NOT NULL AND team IS NOT NULL
),
active AS (SELECT DISTINCT scope, person FROM scoped WHERE year(day) = {year}),
visited AS (SELECT DISTINCT scope, person, 1 AS v FROM scoped WHERE year(day) = {year} AND visit),
firsts AS (SELECT scope, person, min(day) AS f FROM scoped WHERE kind = 'D' GROUP BY scope, person),
joined AS (
  SELECT a.scope, a.person, p.mr, p.home, p.tnd, p.school, coalesce(v.v, 0) AS visited,
    CASE WHEN year(f.f) = {year} THEN 1 ELSE 0 END AS is_new,
    CASE WHEN p.birth IS NOT NULL AND p.birth <= DATE '{year}-12-31' AND p.birth >= DATE '{year - 120}-12-31'
         AND {year} - p.birth_year BETWEEN 3 AND 16 THEN 1 ELSE 0 END AS child
  FROM active a
  LEFT JOIN persons p ON p.id = a.person
  LEFT JOIN visited v ON v.scope = a.scope AND v.person = a.person
  LEFT JOIN firsts f ON f.scope = a.scope AND f.person = a.person
)
SELECT scope, count(*) AS n, sum(is_new),
  sum(mr), count(mr), sum(home), count(home), sum(tnd), count(tnd),
  sum(child * school), sum(CASE WHEN child = 1 AND school IS NOT NULL THEN 1 ELSE 0 END), sum(child),
  sum(visited)
FROM joined GROUP BY scope ORDER BY scope <> 'national', scope
""").fetchall()
print("scope,year,indicator,numerator,denominator,not_filled")
for scope, n, new, mr, mr_d, home, home_d, tnd, tnd_d, sch, sch_d, child, visits in rows:
    v = lambda x: int(x or 0)
    out = [
        ("personnes_accompagnees", v(n), "", ""),
        ("nouvelles_personnes", v(new), "", ""),
        ("maladie_rare_diagnostiquee", v(mr), v(mr_d), v(n) - v(mr_d)),
        ("vit_a_domicile", v(home), v(home_d), v(n) - v(home_d)),
        ("au_moins_un_tnd", v(tnd), v(tnd_d), v(n) - v(tnd_d)),
        ("enfants_3_16_scolarises", v(sch), v(sch_d), v(child) - v(sch_d)),
        ("visite_domicile_ou_etablissement", v(visits), v(n), 0),
    ]
    for name, num, den, nf in out:
        print(f"{scope},{year},{name},{num},{den},{nf}")
