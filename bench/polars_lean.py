# Copied from the project's shared peers (issue #28): the lean Polars script the
# speed targets are measured against. bench/run.sh times it on the canonical
# archive only (it reads canonical codes).
#!/usr/bin/env python3
# The lean Polars peer of the speed targets: what an analyst who knows Polars
# would write for the seven indicators of SPEC v1, every scope, year Y, over a
# clean canonical export (';', JJ/MM/AAAA, canonical codes, UTF-8), e.g. the
# output of `bilan sample --clean --canonical`. Process start and
# `import polars` are part of what is timed.
# usage: python3 polars_lean.py EXPORT_DIR YEAR [--national]   (prints the
# number of scopes, or the national row with --national)
import sys, polars as pl
d, Y = sys.argv[1], int(sys.argv[2])
opts = dict(separator=";", infer_schema=False)
usr = pl.scan_csv(f"{d}/usagers.csv", **opts).select(
    "id_usager",
    pl.col("date_naissance").str.strptime(pl.Date, "%d/%m/%Y", strict=False).alias("dn"),
    pl.col("lieu_de_vie").replace("", None), pl.col("maladie_rare").replace("", None),
    pl.col("tnd").replace("", None), pl.col("scolarisation").replace("", None))
dem = pl.scan_csv(f"{d}/demandes.csv", **opts).select(
    "id_usager", "equipe", pl.col("date_demande").str.strptime(pl.Date, "%d/%m/%Y").alias("d"))
itv = pl.scan_csv(f"{d}/interventions.csv", **opts).select(
    "id_usager", "equipe", "type_intervention", pl.col("date_intervention").str.strptime(pl.Date, "%d/%m/%Y").alias("d"))
acts = pl.concat([dem.select("id_usager", "equipe", "d"), itv.select("id_usager", "equipe", "d")])
ay = acts.filter(pl.col("d").dt.year() == Y)
active = pl.concat([ay.select(pl.lit("national").alias("scope"), "id_usager"),
                    ay.select(pl.col("equipe").alias("scope"), "id_usager")]).unique()
fa = dem.group_by("id_usager").agg(pl.col("d").min()).filter(pl.col("d").dt.year() == Y).select(pl.lit("national").alias("scope"), "id_usager")
ft = dem.group_by("equipe", "id_usager").agg(pl.col("d").min()).filter(pl.col("d").dt.year() == Y).select(pl.col("equipe").alias("scope"), "id_usager")
newp = pl.concat([fa, ft]).group_by("scope").agg(pl.len().alias("nouvelles"))
vy = itv.filter((pl.col("d").dt.year() == Y) & pl.col("type_intervention").is_in(["visite_domicile", "visite_etablissement"]))
vis = pl.concat([vy.select(pl.lit("national").alias("scope"), "id_usager"), vy.select(pl.col("equipe").alias("scope"), "id_usager")]).unique().with_columns(pl.lit(True).alias("visited"))
age = (pl.lit(Y) - pl.col("dn").dt.year())
p = active.join(usr, on="id_usager", how="left").join(vis, on=["scope", "id_usager"], how="left").with_columns(
    pl.when(pl.col("dn").is_not_null() & (pl.col("dn") <= pl.date(Y, 12, 31)) & (age <= 120)).then(age).alias("age"))
child = pl.col("age").is_between(3, 16)
res = p.group_by("scope").agg(
    pl.len().alias("acc"),
    (pl.col("maladie_rare") == "diagnostiquee").sum().alias("mr_n"), pl.col("maladie_rare").is_not_null().sum().alias("mr_d"),
    pl.col("lieu_de_vie").is_in(["domicile_familial", "domicile_personnel"]).sum().alias("dom_n"), pl.col("lieu_de_vie").is_not_null().sum().alias("dom_d"),
    (pl.col("tnd").is_not_null() & (pl.col("tnd") != "aucun")).sum().alias("tnd_n"), pl.col("tnd").is_not_null().sum().alias("tnd_d"),
    (child & pl.col("scolarisation").is_in(["temps_plein", "temps_partiel", "oui"])).sum().alias("sc_n"),
    (child & pl.col("scolarisation").is_not_null()).sum().alias("sc_d"),
    pl.col("visited").fill_null(False).sum().alias("vis"),
).join(newp, on="scope", how="left").collect()
print(res.sort("scope").filter(pl.col("scope")=="national").to_dicts() if len(sys.argv)>3 else res.height)
