## Layout
skip-to-content = Langsung ke isi
nav-label = Utama
nav-browse = Jelajahi kasus
nav-dashboard = Dasbor
nav-submit = Bagikan kasus
nav-my-cases = Kasus saya
nav-curate = Antrean tinjauan
nav-admin = Administrasi
nav-signin = Masuk
nav-signout = Keluar
footer-about = Perpustakaan bersama inovasi sektor publik: apa yang dipelajari satu instansi, untuk instansi berikutnya.
footer-feed = Kasus baru (umpan Atom)
footer-api = API
feed-title = Kasus yang baru diterbitkan
yes = Ya
no = Tidak
untitled = (tanpa judul)

## Months
month-1 = Jan
month-2 = Feb
month-3 = Mar
month-4 = Apr
month-5 = Mei
month-6 = Jun
month-7 = Jul
month-8 = Agu
month-9 = Sep
month-10 = Okt
month-11 = Nov
month-12 = Des

## Home
home-title = Beranda
home-intro = Temukan cara pemerintah lain memecahkan masalah yang Anda hadapi, bagikan pelajaran dari instansi Anda, dan ikuti perjalanannya dari tingkat nasional ke regional hingga internasional.
home-count = { $count } kasus terbit
home-featured = Kasus pilihan
home-latest = Kasus terbaru
home-empty = Belum ada kasus yang diterbitkan.
home-all-cases = Semua kasus, terbaru lebih dulu
home-by-country = Kasus menurut negara
home-by-sector = Kasus menurut sektor

## Search
search-title = Jelajahi dan cari kasus
search-label = Cari kasus
search-placeholder = mis. penanganan pengaduan, public service
search-button = Cari
search-sort = Urutkan menurut
search-sort-relevance = Relevansi
search-sort-newest = Terbaru
search-filters = Saringan
search-apply = Terapkan saringan
search-facet-more = Tampilkan { $count } lagi
search-error = Pencarian ini tidak dapat dijalankan:
search-active = Disaring menurut:
search-remove = Hapus saringan { $filter }
search-results-count = { $count } kasus
search-empty = Tidak ada kasus yang cocok dengan pencarian ini.
search-empty-tip-words = Coba kata yang lebih sedikit atau lebih umum; bahasa Indonesia dan Inggris sama-sama bisa.
search-empty-tip-filters = Hapus salah satu saringan untuk memperluas pencarian.
search-feed = Ikuti pencarian ini (umpan Atom)
search-did-you-mean = Mungkin maksud Anda:
pager-label = Halaman
pager-prev = Halaman sebelumnya
pager-next = Halaman berikutnya
hit-external = Dari { $node }
hit-discussion = Diskusi

## Facets
facet-kind = Cari
kind-case = Kasus
kind-discussion = Diskusi
facet-country = Negara
facet-level = Tingkat pemerintahan
facet-sector = Sektor
facet-facet = Jenis inovasi
facet-stage = Tahap siklus hidup
facet-sdg = Tujuan Pembangunan Berkelanjutan
facet-year = Tahun dimulai
facet-organisation-type = Jenis organisasi
facet-origin = Asal
facet-operating-status = Status operasional
facet-completeness = Kelengkapan
completeness-complete = Lengkap
completeness-incomplete = Belum lengkap
origin-local = Simpul ini

## Listings
listing-cases = { $count } kasus terbit
listing-empty = Belum ada kasus yang diterbitkan.
listing-search = Cari dan saring kasus-kasus ini
listing-organisations = Organisasi
org-type = Jenis
org-parent = Bagian dari
org-website = Situs web

## Sign-in and account
signin-title = Masuk
signin-button = Masuk
signin-missing = Masukkan alamat surel dan kata sandi Anda.
signin-wrong = Alamat surel dan kata sandi itu tidak cocok dengan akun mana pun.
signin-too-many = Terlalu banyak percobaan gagal. Coba lagi dalam { $seconds } detik.
signin-no-account = Belum punya akun? Minta administrator simpul Anda membuatkannya.
field-email = Alamat surel
field-password = Kata sandi
field-name = Nama
field-role = Peran
field-organisation = Organisasi
field-title = Judul
field-status = Status
field-current-password = Kata sandi saat ini
field-new-password = Kata sandi baru
field-confirm-password = Ulangi kata sandi baru
account-title = Akun Anda
account-password = Ganti kata sandi
account-password-hint = Paling sedikit 10 karakter. Sesi Anda yang lain akan dikeluarkan.
account-password-button = Ganti kata sandi
account-password-done = Kata sandi Anda telah diganti.
my-cases-title = Kasus saya
my-cases-new = Bagikan kasus baru
my-cases-empty = Anda belum menulis kasus apa pun.
my-cases-comment = Komentar kurator
my-cases-actions = Tindakan
my-cases-continue = Lanjutkan menyunting

## Field errors (inline validation; $detail is the technical reason)
field-error-required = Isian ini wajib diisi.
field-error-unknown-value = Pilih salah satu nilai yang tersedia.
field-error-too-long = Isian ini terlalu panjang.
field-error-invalid = Isian ini tidak sah; periksa bentuknya.
field-error-out-of-range = Nilai ini di luar rentang yang diizinkan.
field-error-duplicate = Ada nilai yang muncul dua kali.
field-error-mismatch = Kedua kata sandi berbeda.
field-error-too-short = Isian ini terlalu pendek.

## Errors
error-code = Kode galat
error-go-home = Ke beranda
error-go-search = Jelajahi semua kasus
error-csrf = Formulir sudah kedaluwarsa atau tidak berasal dari situs ini. Kembali, muat ulang halaman, lalu coba lagi.
error-400-title = Ada yang tidak tepat dalam permintaan
error-400-text = Halaman tidak dapat memakai apa yang dikirim. Periksa alamat atau formulirnya, lalu coba lagi.
error-403-title = Anda tidak boleh melihat halaman ini
error-403-text = Akun Anda tidak memiliki peran yang diperlukan halaman ini. Jika menurut Anda seharusnya boleh, hubungi administrator simpul Anda.
error-404-title = Halaman tidak ditemukan
error-404-text = Tidak ada halaman di alamat ini. Kasusnya mungkin belum diterbitkan, atau tautannya salah ketik.
error-500-title = Terjadi kesalahan di pihak kami
error-500-text = Masalahnya sudah dicatat. Coba lagi sebentar lagi; jika masih terjadi, beri tahu administrator simpul.
error-503-title = Perpustakaan sedang sibuk
error-503-text = Simpul sedang sibuk. Coba lagi sebentar lagi.
error-conflict = Orang lain mengubah data ini saat Anda sedang mengerjakannya. Muat ulang halaman untuk melihat perubahannya, lalu ulangi perubahan Anda.
error-transition = Langkah ini tidak dapat dilakukan dari status kasus saat ini.
