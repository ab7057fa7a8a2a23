//! Controlled vocabularies: every enumeration a case, organisation or account uses, with English and Indonesian labels.

/// One value of a vocabulary: a stable machine code and its labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    pub code: &'static str,
    pub en: &'static str,
    pub id: &'static str,
}

const fn t(code: &'static str, en: &'static str, id: &'static str) -> Term {
    Term { code, en, id }
}

/// Countries (ISO 3166-1 alpha-2): ASEAN, Timor-Leste, OECD members and partners, sorted by code.
pub static COUNTRIES: &[Term] = &[
    t("AE", "United Arab Emirates", "Uni Emirat Arab"),
    t("AR", "Argentina", "Argentina"),
    t("AT", "Austria", "Austria"),
    t("AU", "Australia", "Australia"),
    t("BD", "Bangladesh", "Bangladesh"),
    t("BE", "Belgium", "Belgia"),
    t("BG", "Bulgaria", "Bulgaria"),
    t("BN", "Brunei Darussalam", "Brunei Darussalam"),
    t("BR", "Brazil", "Brasil"),
    t("BT", "Bhutan", "Bhutan"),
    t("CA", "Canada", "Kanada"),
    t("CH", "Switzerland", "Swiss"),
    t("CL", "Chile", "Chili"),
    t("CN", "China", "Tiongkok"),
    t("CO", "Colombia", "Kolombia"),
    t("CR", "Costa Rica", "Kosta Rika"),
    t("CZ", "Czechia", "Ceko"),
    t("DE", "Germany", "Jerman"),
    t("DK", "Denmark", "Denmark"),
    t("EE", "Estonia", "Estonia"),
    t("EG", "Egypt", "Mesir"),
    t("ES", "Spain", "Spanyol"),
    t("FI", "Finland", "Finlandia"),
    t("FJ", "Fiji", "Fiji"),
    t("FR", "France", "Prancis"),
    t("GB", "United Kingdom", "Britania Raya"),
    t("GR", "Greece", "Yunani"),
    t("HR", "Croatia", "Kroasia"),
    t("HU", "Hungary", "Hungaria"),
    t("ID", "Indonesia", "Indonesia"),
    t("IE", "Ireland", "Irlandia"),
    t("IL", "Israel", "Israel"),
    t("IN", "India", "India"),
    t("IS", "Iceland", "Islandia"),
    t("IT", "Italy", "Italia"),
    t("JP", "Japan", "Jepang"),
    t("KE", "Kenya", "Kenya"),
    t("KH", "Cambodia", "Kamboja"),
    t("KR", "South Korea", "Korea Selatan"),
    t("LA", "Lao PDR", "Laos"),
    t("LK", "Sri Lanka", "Sri Lanka"),
    t("LT", "Lithuania", "Lituania"),
    t("LU", "Luxembourg", "Luksemburg"),
    t("LV", "Latvia", "Latvia"),
    t("MA", "Morocco", "Maroko"),
    t("MM", "Myanmar", "Myanmar"),
    t("MN", "Mongolia", "Mongolia"),
    t("MV", "Maldives", "Maladewa"),
    t("MX", "Mexico", "Meksiko"),
    t("MY", "Malaysia", "Malaysia"),
    t("NG", "Nigeria", "Nigeria"),
    t("NL", "Netherlands", "Belanda"),
    t("NO", "Norway", "Norwegia"),
    t("NP", "Nepal", "Nepal"),
    t("NZ", "New Zealand", "Selandia Baru"),
    t("PE", "Peru", "Peru"),
    t("PG", "Papua New Guinea", "Papua Nugini"),
    t("PH", "Philippines", "Filipina"),
    t("PK", "Pakistan", "Pakistan"),
    t("PL", "Poland", "Polandia"),
    t("PT", "Portugal", "Portugal"),
    t("RO", "Romania", "Rumania"),
    t("RW", "Rwanda", "Rwanda"),
    t("SA", "Saudi Arabia", "Arab Saudi"),
    t("SE", "Sweden", "Swedia"),
    t("SG", "Singapore", "Singapura"),
    t("SI", "Slovenia", "Slovenia"),
    t("SK", "Slovakia", "Slowakia"),
    t("TH", "Thailand", "Thailand"),
    t("TL", "Timor-Leste", "Timor-Leste"),
    t("TR", "Türkiye", "Turki"),
    t("UA", "Ukraine", "Ukraina"),
    t("US", "United States", "Amerika Serikat"),
    t("VN", "Viet Nam", "Vietnam"),
    t("ZA", "South Africa", "Afrika Selatan"),
];

/// Policy sectors a case belongs to.
pub static SECTORS: &[Term] = &[
    t("agriculture", "Agriculture and food", "Pertanian dan pangan"),
    t("digital_government", "Digital government", "Pemerintahan digital"),
    t("disaster_management", "Disaster management", "Penanggulangan bencana"),
    t("economy_trade", "Economy and trade", "Ekonomi dan perdagangan"),
    t("education", "Education", "Pendidikan"),
    t("energy", "Energy", "Energi"),
    t("environment", "Environment", "Lingkungan hidup"),
    t("finance_tax", "Public finance and tax", "Keuangan publik dan perpajakan"),
    t("gender_inclusion", "Gender equality and social inclusion", "Kesetaraan gender dan inklusi sosial"),
    t("health", "Health", "Kesehatan"),
    t("housing_urban", "Housing and urban development", "Perumahan dan pembangunan perkotaan"),
    t("justice_safety", "Justice and public safety", "Hukum dan keamanan publik"),
    t("labour_employment", "Labour and employment", "Ketenagakerjaan"),
    t("public_administration", "Public administration", "Administrasi publik"),
    t("rural_development", "Rural development", "Pembangunan perdesaan"),
    t("social_protection", "Social protection", "Perlindungan sosial"),
    t("tourism_culture", "Tourism and culture", "Pariwisata dan kebudayaan"),
    t("transport", "Transport", "Transportasi"),
    t("water_sanitation", "Water and sanitation", "Air minum dan sanitasi"),
];

/// The level of government that runs a case.
pub static LEVELS_OF_GOVERNMENT: &[Term] = &[
    t("national", "National", "Nasional"),
    t("regional", "Regional / provincial", "Regional / provinsi"),
    t("local", "Local", "Lokal (kabupaten/kota)"),
    t("other", "Other", "Lainnya"),
];

/// OECD OPSI innovation facets.
pub static INNOVATION_FACETS: &[Term] = &[
    t("enhancement", "Enhancement-oriented", "Berorientasi peningkatan"),
    t("mission", "Mission-oriented", "Berorientasi misi"),
    t("adaptive", "Adaptive", "Adaptif"),
    t("anticipatory", "Anticipatory", "Antisipatif"),
];

/// OECD OPSI innovation lifecycle stages.
pub static LIFECYCLE_STAGES: &[Term] = &[
    t("identifying_problems", "Identifying problems", "Identifikasi masalah"),
    t("generating_ideas", "Generating ideas", "Penggalian gagasan"),
    t("developing_proposals", "Developing proposals", "Penyusunan usulan"),
    t("implementing", "Implementing", "Implementasi"),
    t("evaluating", "Evaluating", "Evaluasi"),
    t("diffusing_lessons", "Diffusing lessons", "Penyebarluasan pembelajaran"),
];

/// The 17 Sustainable Development Goals, with the official Indonesian names (Bappenas).
pub static SDGS: &[Term] = &[
    t("1", "No Poverty", "Tanpa Kemiskinan"),
    t("2", "Zero Hunger", "Tanpa Kelaparan"),
    t("3", "Good Health and Well-being", "Kehidupan Sehat dan Sejahtera"),
    t("4", "Quality Education", "Pendidikan Berkualitas"),
    t("5", "Gender Equality", "Kesetaraan Gender"),
    t("6", "Clean Water and Sanitation", "Air Bersih dan Sanitasi Layak"),
    t("7", "Affordable and Clean Energy", "Energi Bersih dan Terjangkau"),
    t("8", "Decent Work and Economic Growth", "Pekerjaan Layak dan Pertumbuhan Ekonomi"),
    t("9", "Industry, Innovation and Infrastructure", "Industri, Inovasi dan Infrastruktur"),
    t("10", "Reduced Inequalities", "Berkurangnya Kesenjangan"),
    t("11", "Sustainable Cities and Communities", "Kota dan Permukiman yang Berkelanjutan"),
    t("12", "Responsible Consumption and Production", "Konsumsi dan Produksi yang Bertanggung Jawab"),
    t("13", "Climate Action", "Penanganan Perubahan Iklim"),
    t("14", "Life Below Water", "Ekosistem Lautan"),
    t("15", "Life on Land", "Ekosistem Daratan"),
    t("16", "Peace, Justice and Strong Institutions", "Perdamaian, Keadilan dan Kelembagaan yang Tangguh"),
    t("17", "Partnerships for the Goals", "Kemitraan untuk Mencapai Tujuan"),
];

/// Kinds of organisation that own or contribute cases.
pub static ORGANISATION_TYPES: &[Term] = &[
    t("ministry", "Ministry", "Kementerian"),
    t("agency", "Government agency", "Lembaga pemerintah"),
    t("local_government", "Local government", "Pemerintah daerah"),
    t("civil_society", "Civil society organisation", "Organisasi masyarakat sipil"),
    t("academia", "Academia and research", "Perguruan tinggi dan lembaga riset"),
    t("private", "Private sector", "Sektor swasta"),
    t("international", "International organisation", "Organisasi internasional"),
];

/// Whether the innovation described by a case is still running.
pub static OPERATING_STATUSES: &[Term] = &[
    t("active", "Active", "Aktif"),
    t("scaled", "Scaled up", "Diperluas"),
    t("discontinued", "Discontinued", "Dihentikan"),
];

/// Editorial workflow status of a case record.
pub static WORKFLOW_STATUSES: &[Term] = &[
    t("draft", "Draft", "Draf"),
    t("submitted", "Submitted", "Diajukan"),
    t("returned", "Returned for revision", "Dikembalikan untuk perbaikan"),
    t("published", "Published", "Diterbitkan"),
    t("archived", "Archived", "Diarsipkan"),
];

/// Account roles.
pub static ROLES: &[Term] = &[
    t("reader", "Reader", "Pembaca"),
    t("contributor", "Contributor", "Kontributor"),
    t("curator", "Curator", "Kurator"),
    t("delegate", "Delegate", "Perwakilan"),
    t("admin", "Administrator", "Administrator"),
];

/// Content languages (ISO 639-1).
pub static LANGUAGES: &[Term] = &[
    t("en", "English", "Bahasa Inggris"),
    t("id", "Indonesian", "Bahasa Indonesia"),
    t("ms", "Malay", "Bahasa Melayu"),
    t("th", "Thai", "Bahasa Thai"),
    t("vi", "Vietnamese", "Bahasa Vietnam"),
    t("tl", "Tagalog", "Bahasa Tagalog"),
    t("km", "Khmer", "Bahasa Khmer"),
    t("lo", "Lao", "Bahasa Laos"),
    t("my", "Burmese", "Bahasa Myanmar"),
    t("zh", "Chinese", "Bahasa Mandarin"),
    t("ja", "Japanese", "Bahasa Jepang"),
    t("ko", "Korean", "Bahasa Korea"),
    t("fr", "French", "Bahasa Prancis"),
    t("es", "Spanish", "Bahasa Spanyol"),
    t("pt", "Portuguese", "Bahasa Portugis"),
    t("de", "German", "Bahasa Jerman"),
    t("ar", "Arabic", "Bahasa Arab"),
];

/// States of a nomination (e.g. of a case for federation or an award).
pub static NOMINATION_STATES: &[Term] = &[
    t("nominated", "Nominated", "Dinominasikan"),
    t("accepted", "Accepted", "Diterima"),
    t("declined", "Declined", "Ditolak"),
    t("withdrawn", "Withdrawn", "Ditarik"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn all_lists() -> Vec<(&'static str, &'static [Term])> {
        vec![
            ("COUNTRIES", COUNTRIES),
            ("SECTORS", SECTORS),
            ("LEVELS_OF_GOVERNMENT", LEVELS_OF_GOVERNMENT),
            ("INNOVATION_FACETS", INNOVATION_FACETS),
            ("LIFECYCLE_STAGES", LIFECYCLE_STAGES),
            ("SDGS", SDGS),
            ("ORGANISATION_TYPES", ORGANISATION_TYPES),
            ("OPERATING_STATUSES", OPERATING_STATUSES),
            ("WORKFLOW_STATUSES", WORKFLOW_STATUSES),
            ("ROLES", ROLES),
            ("LANGUAGES", LANGUAGES),
            ("NOMINATION_STATES", NOMINATION_STATES),
        ]
    }

    #[test]
    fn codes_are_unique() {
        for (name, list) in all_lists() {
            assert!(!list.is_empty(), "{name} is empty");
            let mut seen = HashSet::new();
            for term in list {
                assert!(seen.insert(term.code), "{name}: duplicate code {:?}", term.code);
            }
        }
    }

    #[test]
    fn no_label_is_empty() {
        for (name, list) in all_lists() {
            for term in list {
                assert!(!term.code.trim().is_empty(), "{name}: empty code");
                assert!(!term.en.trim().is_empty(), "{name}: empty English label for {:?}", term.code);
                assert!(!term.id.trim().is_empty(), "{name}: empty Indonesian label for {:?}", term.code);
            }
        }
    }

    #[test]
    fn countries_are_sorted_alpha2_codes() {
        for term in COUNTRIES {
            assert!(
                term.code.len() == 2 && term.code.bytes().all(|b| b.is_ascii_uppercase()),
                "bad country code {:?}",
                term.code
            );
        }
        for pair in COUNTRIES.windows(2) {
            assert!(pair[0].code < pair[1].code, "COUNTRIES not sorted at {:?} / {:?}", pair[0].code, pair[1].code);
        }
    }

    #[test]
    fn sdgs_has_seventeen_goals() {
        assert_eq!(SDGS.len(), 17);
        for (i, term) in SDGS.iter().enumerate() {
            assert_eq!(term.code, (i + 1).to_string());
        }
    }
}
