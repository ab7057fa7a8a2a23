//! The demo's resources (in English, Bahasa Indonesia or both; links and
//! uploaded files), two collections, the regional network's delegations
//! and a few public profiles, added through the application layer, so they
//! pass the same checks as anyone's.

use anyhow::{Result, anyhow};
use lumbung_app::{App, Upload};
use lumbung_core::{CollectionContent, ResourceContent, Text};

/// (title en, title id, summary en, summary id, type, languages, licence, url, cases)
type DemoResource = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static str,
    Option<&'static str>,
    &'static [&'static str],
);

const RESOURCES: [DemoResource; 5] = [
    (
        "Complaint handling that answers: a practitioner's guide",
        "Penanganan pengaduan yang menjawab: panduan praktisi",
        "How to run one complaint channel across agencies: routing, deadlines, answering in public and learning from the pattern of complaints.",
        "Cara menjalankan satu kanal pengaduan lintas instansi: penerusan, tenggat, menjawab secara terbuka dan belajar dari pola pengaduan.",
        "guide",
        &["en", "id"],
        "CC-BY-4.0",
        Some("https://www.lapor.go.id/"),
        &["01KDVDNBYG9HAMTGG000000002", "01KDVDP2D89HAMTGG00000000S", "01KDVDP5B09HAMTGG00000000W"],
    ),
    (
        "",
        "Modul pelatihan laboratorium inovasi untuk pemerintah daerah",
        "",
        "Lima sesi untuk tim pemerintah daerah: memetakan masalah, menguji gagasan bersama warga, dan mengukur hasilnya.",
        "training",
        &["id"],
        "CC-BY-SA-4.0",
        Some("https://lan.go.id/"),
        &["01KDVDNNQ09HAMTGG00000000C"],
    ),
    (
        "Toolkit: setting up a public service mall",
        "Perangkat: membangun mal pelayanan publik",
        "Checklists for bringing agencies under one roof: agreements, queues, shared counters and what citizens should find on the first day.",
        "Daftar periksa untuk menyatukan instansi di satu atap: kesepakatan, antrean, loket bersama, dan apa yang harus ditemukan warga pada hari pertama.",
        "toolkit",
        &["en", "id"],
        "CC-BY-4.0",
        None,
        &["01KDVDNCXR9HAMTGG000000003", "01KDVDP9809HAMTGG000000010"],
    ),
    (
        "Community early warning: what worked in Java, Albay and the Mekong Delta",
        "",
        "A short comparative report on village-led early warning for floods, landslides and salinity.",
        "",
        "report",
        &["en"],
        "CC0-1.0",
        Some("https://oecd-opsi.org/"),
        &["01KDVDNGTR9HAMTGG000000007", "01KDVDP4BR9HAMTGG00000000V", "01KDVDPA789HAMTGG000000011"],
    ),
    (
        "Waste bank deposits by regency (sample data)",
        "Setoran bank sampah per kabupaten (data contoh)",
        "A small open dataset to try the dashboards with.",
        "Set data terbuka kecil untuk mencoba dasbor.",
        "dataset",
        &["en", "id"],
        "CC0-1.0",
        None,
        &["01KDVDNMQR9HAMTGG00000000B"],
    ),
];

fn text(en: &str, id: &str) -> Text {
    let mut t = Text::default();
    for (lang, v) in [("en", en), ("id", id)] {
        if !v.is_empty() {
            t.0.insert(lang.to_owned(), v.to_owned());
        }
    }
    t
}

/// A one-page PDF of the toolkit's checklist (a real PDF, typed from its content).
fn toolkit_pdf() -> Vec<u8> {
    let stream = "BT /F1 14 Tf 72 720 Td (Public service mall: first-day checklist) Tj ET";
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_owned(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for off in offsets {
        pdf.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    pdf
}

const DATASET: &str = "regency,province,waste_banks,members,deposits_kg_2023\n\
Malang,Jawa Timur,412,18950,1203400\n\
Banyumas,Jawa Tengah,305,12210,884100\n\
Sleman,DI Yogyakarta,268,9870,512800\n";

/// Adds the demo resources and collections. Returns how many resources.
pub async fn seed(app: &App) -> Result<usize> {
    let events = app.store().list_events(&lumbung_store::EventFilter { limit: 50, ..Default::default() }).await?;
    let mut made = 0;
    for (i, (en, id, sum_en, sum_id, kind, langs, licence, url, cases)) in RESOURCES.iter().enumerate() {
        let upload = match (url, *kind) {
            (None, "toolkit") => {
                Some(Upload { name: "public-service-mall-checklist.pdf".into(), bytes: toolkit_pdf() })
            }
            (None, _) => Some(Upload { name: "waste-banks-by-regency.csv".into(), bytes: DATASET.as_bytes().to_vec() }),
            (Some(_), _) => None,
        };
        let content = ResourceContent {
            title: text(en, id),
            summary: text(sum_en, sum_id),
            resource_type: (*kind).to_owned(),
            languages: langs.iter().map(|l| (*l).to_owned()).collect(),
            licence: (*licence).to_owned(),
            url: url.map(str::to_owned),
            // Only the cases the demo publishes; the first resource also belongs to an event.
            cases: {
                let mut ok = Vec::new();
                for c in *cases {
                    if app.store().get_case(c).await?.is_some_and(|c| c.status == lumbung_core::Status::Published) {
                        ok.push((*c).to_owned());
                    }
                }
                ok
            },
            events: if i == 0 { events.items.iter().take(1).map(|e| e.id.clone()).collect() } else { Vec::new() },
        };
        app.create_resource(None, content, upload).await.map_err(|e| anyhow!("demo resource {i}: {e}"))?;
        made += 1;
    }
    let collections = [
        (
            "complaint-handling-asean",
            text("Complaint handling across ASEAN", "Penanganan pengaduan di ASEAN"),
            text(
                "National channels, city apps and fast-track rules: how governments in the region **close the loop** on complaints.",
                "Kanal nasional, aplikasi kota dan aturan jalur cepat: bagaimana pemerintah di kawasan **menuntaskan** pengaduan.",
            ),
            &[
                "01KDVDNBYG9HAMTGG000000002",
                "01KDVDNJS89HAMTGG000000009",
                "01KDVDP2D89HAMTGG00000000S",
                "01KDVDP5B09HAMTGG00000000W",
            ][..],
        ),
        (
            "top-innovations",
            text("Top innovations of the national competition", "Top inovasi pelayanan publik"),
            text(
                "Cases recognised in the national public service innovation competition, chosen by the curators.",
                "Kasus yang diakui dalam kompetisi inovasi pelayanan publik nasional, dipilih oleh kurator.",
            ),
            &[
                "01KDVDNAZ89HAMTGG000000001",
                "01KDVDNCXR9HAMTGG000000003",
                "01KDVDNFVG9HAMTGG000000006",
                "01KDVDNMQR9HAMTGG00000000B",
            ][..],
        ),
    ];
    for (id, title, introduction, cases) in collections {
        let content = CollectionContent { title, introduction, cases: cases.iter().map(|c| (*c).to_owned()).collect() };
        app.create_collection(None, id.to_owned(), content).await.map_err(|e| anyhow!("demo collection {id}: {e}"))?;
    }
    Ok(made)
}

/// The regional network's other country delegations (the Philippines' is a
/// demo sign-in account): (country, name).
const DELEGATIONS: [(&str, &str); 7] = [
    ("TH", "Somchai Delegate"),
    ("MY", "Aisyah Delegate"),
    ("VN", "Nguyen Delegate"),
    ("SG", "Wei Ling Delegate"),
    ("KH", "Sokha Delegate"),
    ("LA", "Khamla Delegate"),
    ("BN", "Hajah Delegate"),
];

/// Delegations of eight countries in all, and public profiles for the
/// curator, the Philippine delegate and two of the others.
pub async fn seed_members(app: &App, password: &str) -> Result<usize> {
    for (country, name) in DELEGATIONS {
        let email = format!("delegate.{}@lumbung.example", country.to_ascii_lowercase());
        let account = app
            .create_account(
                None,
                lumbung_app::NewAccountRequest {
                    email: email.clone(),
                    name: name.into(),
                    role: lumbung_core::Role::Delegate,
                    organisation: None,
                    delegation: Some(country.into()),
                    password: password.into(),
                },
            )
            .await
            .map_err(|e| anyhow!("demo delegate {email}: {e}"))?;
        if matches!(country, "TH" | "VN") {
            app.set_profile(&account.actor(), true, Some("Regional peer learning".into())).await?;
        }
    }
    for (email, expertise) in [
        ("curator@lumbung.example", "Public service innovation competitions, case curation"),
        ("delegate@lumbung.example", "Anti-red-tape reform, complaint handling"),
    ] {
        if let Some((account, _)) = app.store().account_by_email(email).await? {
            app.set_profile(&account.actor(), true, Some(expertise.into())).await?;
        }
    }
    Ok(DELEGATIONS.len() + 1)
}
