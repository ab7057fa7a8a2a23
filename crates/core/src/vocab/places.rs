//! Indonesia's administrative places with their official Kemendagri codes:
//! 38 provinces (`31`) and the regencies and cities under them (`31.71`),
//! from `data/id-places.csv` (made by `tools/places/generate.mjs` from the
//! npm package idn-area-data; source and licence in `data/README.md`).

use std::sync::OnceLock;

use super::Term;

/// What a place is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceKind {
    Province,
    Regency,
    City,
}

/// One place of the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub code: &'static str,
    pub name: &'static str,
    pub kind: PlaceKind,
    /// A regency's or city's province code; None for a province.
    pub province: Option<&'static str>,
}

const DATA: &str = include_str!("../../data/id-places.csv");

/// Every place, sorted by code (provinces before the places under them).
pub fn id_places() -> &'static [Place] {
    static PLACES: OnceLock<Vec<Place>> = OnceLock::new();
    PLACES.get_or_init(|| {
        // The file has no quoted fields (a unit test checks it), so a line
        // splits on its commas; a line that does not read is left out (the
        // test checks none is).
        DATA.lines()
            .skip(1)
            .filter_map(|line| {
                let mut f = line.split(',');
                let (code, name, kind, province) = (f.next()?, f.next()?, f.next()?, f.next()?);
                let kind = match kind {
                    "province" => PlaceKind::Province,
                    "regency" => PlaceKind::Regency,
                    "city" => PlaceKind::City,
                    _ => return None,
                };
                Some(Place { code, name, kind, province: (!province.is_empty()).then_some(province) })
            })
            .collect()
    })
}

/// The places as a vocabulary (the name in both languages: official names
/// are not translated).
pub fn id_place_terms() -> &'static [Term] {
    static TERMS: OnceLock<Vec<Term>> = OnceLock::new();
    TERMS.get_or_init(|| id_places().iter().map(|p| Term { code: p.code, en: p.name, id: p.name }).collect())
}

/// The place with this code.
pub fn id_place(code: &str) -> Option<&'static Place> {
    let places = id_places();
    places.binary_search_by(|p| p.code.cmp(code)).ok().and_then(|i| places.get(i))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_registry_reads_whole_with_38_provinces_and_their_regencies_and_cities() {
        assert!(!DATA.contains('"'), "no quoted fields");
        assert_eq!(id_places().len(), DATA.lines().count() - 1, "every line reads");
        let provinces = id_places().iter().filter(|p| p.kind == PlaceKind::Province).count();
        assert_eq!(provinces, 38);
        assert!(id_places().windows(2).all(|w| w[0].code < w[1].code), "sorted by code");
        for p in id_places().iter().filter(|p| p.kind != PlaceKind::Province) {
            let parent = p.province.and_then(id_place).expect("a regency's province is in the registry");
            assert_eq!(parent.kind, PlaceKind::Province);
            assert!(p.code.starts_with(&format!("{}.", parent.code)), "{}", p.code);
        }
        assert_eq!(
            id_place("31.71").map(|p| (p.name, p.kind)),
            Some(("Kota Administrasi Jakarta Pusat", PlaceKind::City))
        );
        assert_eq!(id_place("95").map(|p| p.name), Some("Papua Pegunungan"));
        assert!(id_place("99").is_none());
        assert_eq!(id_place_terms().len(), id_places().len());
    }
}
