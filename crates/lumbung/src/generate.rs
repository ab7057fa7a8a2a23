//! Synthetic cases for load tests and benchmarks: realistic lengths and
//! classification spread, reproducible from a seed. Never shown as real content.

use lumbung_core::{Case, CaseContent, Sections, Status, Text, vocab};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

const EN: &[&str] = &[
    "public",
    "service",
    "citizens",
    "digital",
    "village",
    "health",
    "district",
    "complaint",
    "handling",
    "budget",
    "transparency",
    "data",
    "local",
    "government",
    "ministry",
    "agency",
    "community",
    "school",
    "clinic",
    "waste",
    "water",
    "permit",
    "licensing",
    "online",
    "platform",
    "reform",
    "training",
    "officials",
    "participation",
    "report",
    "mobile",
    "application",
    "women",
    "youth",
    "farmers",
    "fisheries",
    "disaster",
    "early",
    "warning",
    "flood",
    "procurement",
    "records",
    "land",
    "registration",
    "integrated",
    "one-stop",
    "centre",
    "waiting",
    "time",
    "costs",
    "coordination",
    "province",
    "city",
    "regency",
    "households",
    "poverty",
    "social",
    "assistance",
    "monitoring",
    "evaluation",
    "feedback",
    "accountability",
    "innovation",
    "pilot",
    "scaled",
    "partnership",
    "civil",
    "society",
];
const ID: &[&str] = &[
    "pelayanan",
    "publik",
    "masyarakat",
    "digital",
    "desa",
    "kesehatan",
    "kabupaten",
    "pengaduan",
    "penanganan",
    "anggaran",
    "transparansi",
    "data",
    "daerah",
    "pemerintah",
    "kementerian",
    "lembaga",
    "komunitas",
    "sekolah",
    "puskesmas",
    "sampah",
    "air",
    "izin",
    "perizinan",
    "daring",
    "platform",
    "reformasi",
    "pelatihan",
    "aparatur",
    "partisipasi",
    "laporan",
    "aplikasi",
    "perempuan",
    "pemuda",
    "petani",
    "nelayan",
    "bencana",
    "peringatan",
    "dini",
    "banjir",
    "pengadaan",
    "arsip",
    "tanah",
    "pendaftaran",
    "terpadu",
    "mal",
    "waktu",
    "tunggu",
    "biaya",
    "koordinasi",
    "provinsi",
    "kota",
    "warga",
    "kemiskinan",
    "sosial",
    "bantuan",
    "pemantauan",
    "evaluasi",
    "umpan",
    "balik",
    "akuntabilitas",
    "inovasi",
    "percontohan",
    "kemitraan",
    "melayani",
    "layanan",
    "pengelolaan",
    "berbasis",
];
const ASEAN: &[&str] = &["ID", "ID", "ID", "ID", "PH", "TH", "MY", "VN", "SG", "KH", "LA", "BN", "MM", "TL"];

fn sentence(rng: &mut StdRng, words: &[&str], min: usize, max: usize) -> String {
    let n = rng.gen_range(min..=max);
    let mut s: Vec<&str> = (0..n).map(|_| *words.choose(rng).unwrap_or(&"data")).collect();
    let mut text = String::new();
    for (i, w) in s.drain(..).enumerate() {
        if i > 0 {
            text.push(' ');
        }
        if i == 0 {
            let mut c = w.chars();
            if let Some(first) = c.next() {
                text.extend(first.to_uppercase());
                text.push_str(c.as_str());
            }
        } else {
            text.push_str(w);
        }
    }
    text.push('.');
    text
}

fn paragraph(rng: &mut StdRng, words: &[&str], sentences: usize) -> String {
    (0..sentences).map(|_| sentence(rng, words, 8, 18)).collect::<Vec<_>>().join(" ")
}

fn pick(rng: &mut StdRng, terms: &'static [vocab::Term], n: usize) -> Vec<String> {
    let mut codes: Vec<String> = terms.choose_multiple(rng, n).map(|t| t.code.to_owned()).collect();
    codes.sort();
    codes
}

/// `count` synthetic published cases from `seed`, with ids from `generator`.
pub fn cases(seed: u64, count: usize, generator: &mut ulid::Generator) -> Vec<Case> {
    let mut rng = StdRng::seed_from_u64(seed);
    let now = lumbung_core::clock::now();
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        let lang = if rng.gen_bool(0.6) { "id" } else { "en" };
        let words = if lang == "id" { ID } else { EN };
        let title_en = sentence(&mut rng, EN, 5, 10).trim_end_matches('.').to_owned();
        let title_id = sentence(&mut rng, ID, 5, 10).trim_end_matches('.').to_owned();
        let text = |rng: &mut StdRng, n| Text::new(lang, paragraph(rng, words, n));
        let sections = Sections {
            problem: text(&mut rng, 3),
            novelty: text(&mut rng, 2),
            how_it_works: text(&mut rng, 4),
            results: text(&mut rng, 3),
            lessons_learned: if rng.gen_bool(0.5) { text(&mut rng, 2) } else { Text::default() },
            ..Default::default()
        };
        let (n_sectors, n_facets) = (rng.gen_range(1..=3), rng.gen_range(1..=2));
        let content = CaseContent {
            title: Text::new("en", title_en).with("id", title_id),
            summary: Text::new("en", paragraph(&mut rng, EN, 4)).with("id", paragraph(&mut rng, ID, 4)),
            original_language: lang.to_owned(),
            country: ASEAN.choose(&mut rng).map(|c| (*c).to_owned()),
            level_of_government: pick(&mut rng, vocab::LEVELS_OF_GOVERNMENT, 1).pop(),
            sectors: pick(&mut rng, vocab::SECTORS, n_sectors),
            innovation_facets: pick(&mut rng, vocab::INNOVATION_FACETS, n_facets),
            lifecycle_stage: pick(&mut rng, vocab::LIFECYCLE_STAGES, 1).pop(),
            sdgs: {
                let mut s: Vec<u32> = (1..=17).collect::<Vec<_>>().choose_multiple(&mut rng, 2).copied().collect();
                s.sort_unstable();
                s
            },
            tags: vec!["generated".to_owned()],
            digital: Some(rng.gen_bool(0.5)),
            year_launched: Some(rng.gen_range(2005..=2025)),
            sections,
            operating_status: Some("active".to_owned()),
            ..Default::default()
        };
        let id = generator.generate().map(|u| u.to_string()).unwrap_or_else(|_| ulid::Ulid::new().to_string());
        let mut case = Case {
            id,
            content,
            status: Status::Published,
            completeness: 0,
            missing: Vec::new(),
            created_by: None,
            origin: None,
            version: 1,
            created_at: now,
            updated_at: now,
            published_at: Some(now),
        };
        case.refresh_derived();
        out.push(case);
    }
    out
}
