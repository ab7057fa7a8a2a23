//! Bahasa Indonesia stemming as a tantivy token filter, over sastrawi
//! (Nazief-Adriani with Enhanced Confix Stripping and a root-word
//! dictionary), so that *pelayanan*, *melayani* and *layanan* meet at *layan*.
//!
//! Stemming a word costs dictionary look-ups and backtracking, and a corpus
//! repeats the same few thousand words: each thread keeps a bounded cache.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use sastrawi::{Dictionary, Stemmer};
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

static DICTIONARY: OnceLock<Dictionary> = OnceLock::new();

thread_local! {
    static STEMMER: RefCell<Option<(Stemmer<'static>, HashMap<String, String>)>> = const { RefCell::new(None) };
}

const CACHE_LIMIT: usize = 100_000;

/// The root of an Indonesian word (lower case in, lower case out).
pub fn stem(word: &str) -> String {
    STEMMER.with(|cell| {
        let mut slot = cell.borrow_mut();
        let (stemmer, cache) = slot.get_or_insert_with(|| {
            let dict: &'static Dictionary = DICTIONARY.get_or_init(Dictionary::new);
            (Stemmer::new(dict), HashMap::new())
        });
        if let Some(root) = cache.get(word) {
            return root.clone();
        }
        let root = fix(stemmer, word, stemmer.stem_word(word).into_owned());
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(word.to_owned(), root.clone());
        root
    })
}

/// Words sastrawi's dictionary-driven rules get wrong that matter in public
/// administration, with their right roots.
pub const EXCEPTIONS: &[(&str, &str)] = &[
    ("pengawasan", "awas"),
    ("perubahan", "ubah"),
    ("berubah", "ubah"),
    ("perubahannya", "ubah"),
    ("pengawasannya", "awas"),
    // The prisons service is not society (sastrawi: masyarakat).
    ("pemasyarakatan", "pemasyarakatan"),
    ("lapas", "lapas"),
    // Population is not sitting (duduk).
    ("penduduk", "penduduk"),
    ("kependudukan", "penduduk"),
    ("kependudukannya", "penduduk"),
    // Procurement is not "there is" (ada, in every other sentence).
    ("pengadaan", "pengadaan"),
    ("pengadaannya", "pengadaan"),
    // Elections, not milu.
    ("pemilu", "pemilu"),
    ("pemilukada", "pemilu"),
    // Banking is not a bandage (perban).
    ("perbankan", "bank"),
    // A person with a disability is not clothing (sandang).
    ("penyandang", "penyandang"),
    // Government and governing meet; an order (perintah) stays apart.
    ("pemerintahan", "pemerintah"),
    ("pemerintahannya", "pemerintah"),
    // Women are not empu.
    ("perempuan", "perempuan"),
    ("keperempuanan", "perempuan"),
];

/// Corrections on top of sastrawi: the exception list, and the
/// *meng-/peng-* + *k* elision (*mengelola*, *pengelolaan* → *kelola*) that
/// this version misses when a word comes back unchanged.
fn fix(stemmer: &Stemmer<'static>, word: &str, root: String) -> String {
    if let Some((_, right)) = EXCEPTIONS.iter().find(|(w, _)| *w == word) {
        return (*right).to_owned();
    }
    if root == word {
        for prefix in ["meng", "peng"] {
            if let Some(rest) = word.strip_prefix(prefix) {
                if rest.starts_with(['a', 'e', 'i', 'o', 'u']) {
                    let candidate = format!("k{rest}");
                    let again = stemmer.stem_word(&candidate).into_owned();
                    if DICTIONARY.get().is_some_and(|d| d.find(&again)) {
                        return again;
                    }
                }
            }
        }
    }
    root
}

/// Token filter: replaces each (lower-cased) token by its Indonesian root.
#[derive(Clone, Copy, Debug, Default)]
pub struct IndonesianStemmer;

impl TokenFilter for IndonesianStemmer {
    type Tokenizer<T: Tokenizer> = IndonesianStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> Self::Tokenizer<T> {
        IndonesianStemmerFilter { inner: tokenizer }
    }
}

#[derive(Clone)]
pub struct IndonesianStemmerFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for IndonesianStemmerFilter<T> {
    type TokenStream<'a> = IndonesianStemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        IndonesianStemmerStream { tail: self.inner.token_stream(text) }
    }
}

pub struct IndonesianStemmerStream<T> {
    tail: T,
}

impl<T: TokenStream> TokenStream for IndonesianStemmerStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        // Numbers, codes and very short words are left as they are.
        if token.text.chars().count() > 3 && token.text.chars().all(char::is_alphabetic) {
            let root = stem(&token.text);
            if !root.is_empty() {
                token.text = root;
            }
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::stem;

    /// Word families that must meet at one root.
    const FAMILIES: &[(&str, &[&str])] = &[
        ("layan", &["pelayanan", "melayani", "layanan", "dilayani", "terlayani", "pelayan", "layanannya"]),
        ("adu", &["pengaduan", "mengadu", "diadukan", "aduan", "pengaduannya"]),
        ("kelola", &["pengelolaan", "mengelola", "dikelola", "pengelola", "kelolaan"]),
        ("anggar", &["anggaran", "penganggaran", "dianggarkan"]),
        ("bangun", &["pembangunan", "membangun", "dibangun", "bangunan", "membangunkan"]),
        ("didik", &["pendidikan", "mendidik", "dididik", "pendidik", "terdidik"]),
        ("sehat", &["kesehatan", "menyehatkan", "sehatlah"]),
        ("tani", &["pertanian", "petani", "bertani"]),
        ("kembang", &["pengembangan", "mengembangkan", "dikembangkan", "perkembangan", "berkembang"]),
        ("lapor", &["pelaporan", "melaporkan", "dilaporkan", "laporan", "pelapor"]),
        ("bantu", &["bantuan", "membantu", "dibantu", "pembantu", "bantulah"]),
        ("ubah", &["perubahan", "mengubah", "diubah", "berubah", "ubahlah"]),
        ("guna", &["penggunaan", "menggunakan", "digunakan", "pengguna", "kegunaan"]),
        ("daftar", &["pendaftaran", "mendaftar", "didaftarkan", "terdaftar", "daftarkan"]),
        ("sedia", &["penyediaan", "menyediakan", "disediakan", "tersedia", "persediaan"]),
        ("putus", &["keputusan", "memutuskan", "diputuskan", "putusan"]),
        ("mudah", &["kemudahan", "memudahkan", "dimudahkan", "termudah"]),
        ("libat", &["pelibatan", "melibatkan", "dilibatkan", "keterlibatan", "terlibat"]),
        ("awas", &["pengawasan", "mengawasi", "diawasi", "pengawas"]),
        ("baru", &["pembaruan", "memperbarui", "diperbarui", "terbaru"]),
        ("tingkat", &["peningkatan", "meningkatkan", "ditingkatkan", "meningkat", "tingkatkan"]),
        ("ikut", &["pengikut", "mengikuti", "diikuti", "ikutan"]),
        ("percaya", &["kepercayaan", "mempercayai", "dipercaya", "terpercaya"]),
        ("tanggung", &["menanggung", "ditanggung", "tanggungan"]),
        ("sama", &["bersama", "kesamaan", "menyamakan", "disamakan", "samakah"]),
        ("kerja", &["pekerjaan", "bekerja", "dikerjakan", "pekerja", "mengerjakan", "kerjanya", "kerjapun"]),
        ("tangan", &["penanganan", "menangani", "ditangani"]),
    ];

    #[test]
    fn word_families_meet() {
        for (root, words) in FAMILIES {
            for w in *words {
                assert_eq!(stem(w), *root, "{w} should stem to {root}");
            }
        }
    }

    #[test]
    fn every_exception_holds() {
        for (word, root) in super::EXCEPTIONS {
            assert_eq!(stem(word), *root, "{word} should stem to {root}");
        }
        // What the exceptions are for: words that must not meet.
        for (a, b) in [
            ("pemasyarakatan", "masyarakat"),
            ("penduduk", "duduk"),
            ("pengadaan", "ada"),
            ("perbankan", "perban"),
            ("penyandang", "sandang"),
            ("pemerintah", "perintah"),
        ] {
            assert_ne!(stem(a), stem(b), "{a} and {b} must not share a root");
        }
        assert_eq!(stem("kependudukan"), stem("penduduk"));
        assert_eq!(stem("pemerintahan"), stem("pemerintah"));
    }

    #[test]
    fn roots_and_foreign_words_stay() {
        for w in ["desa", "kota", "data", "online", "budget"] {
            assert_eq!(stem(w), w);
        }
    }
}
