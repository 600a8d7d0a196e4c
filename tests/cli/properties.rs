//! The export reader and checker on arbitrary bytes, in process: no panic,
//! and every row read is either kept or excluded with one finding.

use bilan::ingest::{read_export, ColumnOverrides};
use bilan::reference::Teams;
use bilan::validate::check;
use proptest::prelude::*;

const HEADERS: [&str; 3] = [
    "id_usager;date_naissance;lieu_de_vie;tnd\n",
    "id_demande;id_usager;date_demande;equipe\n",
    "id_intervention;id_usager;date_intervention;equipe;type_intervention\n",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_after_a_header_are_read_without_panic_or_loss(
        bodies in prop::array::uniform3(prop::collection::vec(
            prop_oneof![Just(b';'), Just(b'"'), Just(b'\n'), Just(b'\r'), Just(b'|'), Just(b'/'), any::<u8>(), b'0'..=b'9'],
            0..400,
        ))
    ) {
        let dir = tempfile::tempdir().unwrap();
        for ((name, header), body) in ["usagers.csv", "demandes.csv", "interventions.csv"].iter().zip(HEADERS).zip(&bodies) {
            let mut bytes = header.as_bytes().to_vec();
            bytes.extend_from_slice(body);
            std::fs::write(dir.path().join(name), bytes).unwrap();
        }
        let export = read_export(dir.path(), &ColumnOverrides::default()).unwrap();
        let mut clean = check(&export, &Teams::builtin()).unwrap();
        // The fuzz targets' own invariants (one excluding finding per
        // excluded row, read = kept + excluded, tables that refer to what
        // exists); a panic fails the property.
        bilan::harness::check_clean(&clean);
        let latest = clean.latest_year();
        let frames = bilan::indicators::Frames::new(&mut clean).unwrap();
        if let Some(year) = latest {
            bilan::indicators::compute(&frames, year).unwrap();
            bilan::indicators::compute_tables(&frames, year, &bilan::reference::Scope::National).unwrap();
        }
    }
}
