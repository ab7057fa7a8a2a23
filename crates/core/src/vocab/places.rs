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

/// Province names in English (and other spellings in use) for matching free
/// text: normalised alias → province code.
const PROVINCE_ALIASES: [(&str, &str); 22] = [
    ("jakarta", "31"),
    ("yogyakarta", "34"),
    ("jogja", "34"),
    ("jogjakarta", "34"),
    ("north sumatra", "12"),
    ("west sumatra", "13"),
    ("south sumatra", "16"),
    ("bangka belitung", "19"),
    ("riau islands", "21"),
    ("west java", "32"),
    ("central java", "33"),
    ("east java", "35"),
    ("west nusa tenggara", "52"),
    ("east nusa tenggara", "53"),
    ("west kalimantan", "61"),
    ("central kalimantan", "62"),
    ("south kalimantan", "63"),
    ("east kalimantan", "64"),
    ("north kalimantan", "65"),
    ("north sulawesi", "71"),
    ("south sulawesi", "73"),
    ("west papua", "92"),
];

/// A place name reduced for matching: lower case, letters and digits, the
/// words that say what kind of place it is dropped (`Provinsi`, `Kabupaten`,
/// `Kota`, `Administrasi`, `DKI`, `Daerah Istimewa`…). Returns the name and
/// the kind its words named, if any.
fn key(text: &str) -> (String, Option<PlaceKind>) {
    let lower: String = text.to_lowercase().chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let mut kind = None;
    let mut kept = Vec::new();
    let mut i = 0;
    while let Some(w) = words.get(i) {
        let next = words.get(i + 1).copied();
        match (*w, next) {
            ("kabupaten" | "kab", _) => kind = Some(PlaceKind::Regency),
            ("kota", _) | ("city", _) => kind = Some(PlaceKind::City),
            ("regency", _) => kind = Some(PlaceKind::Regency),
            ("provinsi" | "propinsi" | "prov" | "province" | "administrasi" | "dki" | "di" | "dkj", _) => {}
            ("daerah", Some("khusus" | "istimewa")) => {
                i += 1;
                if words.get(i + 1).copied() == Some("ibukota") {
                    i += 1;
                }
            }
            ("special", Some("region")) => {
                i += 1;
                if words.get(i + 1).copied() == Some("of") {
                    i += 1;
                }
            }
            (w, _) => kept.push(w),
        }
        i += 1;
    }
    (kept.join(" "), kind)
}

/// Every place with its matching key (see [`key`]), made once: matching runs
/// on every save of an Indonesian case without a code, and on import.
fn keyed() -> &'static [(String, &'static Place)] {
    static KEYED: OnceLock<Vec<(String, &'static Place)>> = OnceLock::new();
    KEYED.get_or_init(|| id_places().iter().map(|p| (key(p.name).0, p)).collect())
}

/// The official place that free-text `region` and `city` name, where they
/// can be matched: the regency or city when `city` (or `region`) names one
/// unambiguously — a `Kota` before a `Kabupaten` of the same name when the
/// text does not say, as a city field means — within the province `region`
/// names when it names one; else that province. A region that names no
/// province may name a regency or city. None when nothing matches.
pub fn match_id_place(region: Option<&str>, city: Option<&str>) -> Option<&'static Place> {
    let province = region.and_then(|r| {
        let (k, _) = key(r);
        if k.is_empty() {
            return None;
        }
        PROVINCE_ALIASES
            .iter()
            .find(|(alias, _)| *alias == k)
            .and_then(|(_, code)| id_place(code))
            .or_else(|| keyed().iter().find(|(pk, p)| p.kind == PlaceKind::Province && *pk == k).map(|(_, p)| *p))
    });
    // A region that names a province is that province, not a city of its name.
    let region_as_place = region.filter(|_| province.is_none());
    for text in [city, region_as_place].into_iter().flatten() {
        let (k, said) = key(text);
        if k.is_empty() {
            continue;
        }
        let found: Vec<&Place> = keyed()
            .iter()
            .filter(|(pk, _)| *pk == k)
            .map(|(_, p)| *p)
            .filter(|p| p.kind != PlaceKind::Province)
            .filter(|p| province.is_none_or(|prov| p.province == Some(prov.code)))
            .filter(|p| said.is_none_or(|kind| p.kind == kind))
            .collect();
        let chosen = match found.as_slice() {
            [one] => Some(*one),
            many => {
                let cities: Vec<&&Place> = many.iter().filter(|p| p.kind == PlaceKind::City).collect();
                match cities.as_slice() {
                    [one] => Some(**one),
                    _ => None,
                }
            }
        };
        if chosen.is_some() {
            return chosen;
        }
    }
    province
}

/// The province a place lies in (itself for a province).
pub fn province_of(place: &'static Place) -> Option<&'static Place> {
    match place.province {
        None => Some(place),
        Some(code) => id_place(code),
    }
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

    fn matched(region: Option<&str>, city: Option<&str>) -> Option<&'static str> {
        match_id_place(region, city).map(|p| p.code)
    }

    #[test]
    fn free_text_regions_and_cities_are_matched_where_they_can_be() {
        // The demo's free text.
        assert_eq!(matched(Some("Jawa Timur"), Some("Surabaya")), Some("35.78"), "Kota Surabaya");
        assert_eq!(matched(Some("Jawa Timur"), Some("Banyuwangi")), Some("35.10"), "only a Kabupaten has the name");
        assert_eq!(matched(Some("Jawa Barat"), Some("Bandung")), Some("32.73"), "a city field names the Kota");
        assert_eq!(matched(Some("Jawa Barat"), Some("Kabupaten Bandung")), Some("32.04"), "unless it says Kabupaten");
        assert_eq!(
            matched(Some("DKI Jakarta"), Some("Jakarta")),
            Some("31"),
            "five cities share the name: the province"
        );
        assert_eq!(matched(Some("DI Yogyakarta"), Some("Kulon Progo")), Some("34.01"));
        assert_eq!(matched(Some("Nusa Tenggara Timur"), None), Some("53"));
        // Other spellings of provinces.
        assert_eq!(matched(Some("Daerah Khusus Ibukota Jakarta"), None), Some("31"));
        assert_eq!(matched(Some("Provinsi Sulawesi Selatan"), Some("Kota Makassar")), Some("73.71"));
        assert_eq!(matched(Some("East Java"), None), Some("35"));
        assert_eq!(matched(Some("Special Region of Yogyakarta"), None), Some("34"));
        // A city of another province than the one named is not taken.
        assert_eq!(matched(Some("Bali"), Some("Surabaya")), Some("51"));
        // Nothing to match.
        assert_eq!(matched(Some("Cebu"), Some("Cebu City")), None);
        assert_eq!(matched(None, None), None);
        assert_eq!(matched(Some("  "), Some("")), None);
    }
}
