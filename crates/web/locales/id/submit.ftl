## Submission form and curator queue

## Submission: frame
submit-title = Bagikan kasus
submit-status = Kasus ini berstatus { $status }.
submit-steps-label = Langkah
submit-returned = Kurator mengembalikan kasus ini kepada Anda dengan komentar berikut:
submit-saved = Draf tersimpan. Anda dapat keluar dan melanjutkannya nanti dari "Kasus saya".
submit-linked = Tautan tercatat: kedua kasus akan menampilkannya setelah kasus Anda terbit.
submit-based-on-title = Apakah inovasi Anda berdasarkan salah satu dari ini?
submit-based-on-intro = Kasus terbit yang mirip dengan kasus Anda. Jika inovasi Anda mereplikasi, mengadaptasi, memperluas, atau terinspirasi oleh salah satunya, catat di sini: kedua kasus akan menampilkan tautannya.
submit-based-on-recorded = Kasus Anda mencatat:
submit-based-on-none = Belum ditemukan kasus terbit yang mirip. Anda dapat menambahkan tautan nanti dari halaman kasus.
submit-based-on-how = Bagaimana
submit-based-on-button = Berdasarkan yang ini
submit-conflict = Seseorang menyimpan kasus ini saat Anda sedang menyuntingnya (sekarang versi { $version }). Teks Anda tetap ada di bawah: jika disimpan lagi, perubahan mereka akan tertimpa. Atau buka dulu versi terbaru.
submit-conflict-reload = Buka versi terbaru (teks Anda yang belum tersimpan akan hilang)
submit-errors-title = { $count ->
    [one] Ada 1 masalah yang perlu diperbaiki sebelum langkah ini dapat disimpan
   *[other] Ada { $count } masalah yang perlu diperbaiki sebelum langkah ini dapat disimpan
}
submit-choose = — pilih —
submit-next = Simpan dan lanjutkan
submit-save = Simpan draf
submit-back-step = Simpan dan kembali
submit-back = Kembali menyunting
submit-digital-unknown = Tidak yakin
submit-example = Contoh: { $example }

## Submission: steps
submit-step-identity = Judul dan ringkasan
submit-step-place = Lokasi dan organisasi
submit-step-classification = Klasifikasi
submit-step-story = Cerita
submit-step-evidence = Bukti dan tautan
submit-step-contacts = Kontak
submit-step-preview = Pratinjau dan kirim
submit-intro-identity = Mulailah dengan bahasa yang Anda gunakan, judul, dan ringkasan singkat. Semuanya disimpan sebagai draf yang hanya dapat dilihat oleh Anda dan para kurator.
submit-intro-place = Di mana inovasi ini berlangsung dan siapa yang menjalankannya.
submit-intro-classification = Pilihan ini membantu pembaca menemukan kasus menurut sektor, jenis, dan tujuan.
submit-intro-story = Ceritakan dengan kata-kata Anda sendiri. Tulis sebanyak yang Anda ketahui; Anda dapat memakai Markdown (**tebal**, daftar, tautan). Bagian yang dibiarkan kosong tidak ditampilkan.
submit-intro-evidence = Tempat pembaca dapat memeriksa hasil atau mempelajari lebih lanjut.
submit-intro-contacts = Siapa yang dapat dihubungi pembaca untuk mengetahui lebih lanjut. Kontak ditampilkan untuk umum setelah kasus diterbitkan.
submit-intro-preview = Beginilah pembaca akan melihat kasus ini. Periksa, lalu kirimkan untuk ditinjau oleh kurator.
submit-completeness = Kelengkapan: { $score }%
submit-missing = Yang masih kurang untuk kasus yang lengkap:
submit-preview-label = Pratinjau
submit-send = Kirim untuk ditinjau
submit-send-hint = Kurator akan membaca kasus ini, lalu menerbitkannya atau mengembalikannya kepada Anda dengan komentar. Selama ditinjau, kasus tidak dapat disunting.

## Submission: fields
submit-field-original-language = Bahasa yang Anda gunakan
submit-field-title = Judul
submit-field-summary = Ringkasan
submit-field-country = Negara
submit-field-region = Provinsi atau wilayah
submit-field-city = Kota atau kabupaten
submit-field-place = Wilayah resmi di Indonesia
submit-hint-place = Untuk kasus di Indonesia: provinsi, kabupaten, atau kota menurut kode resminya. Kosongkan agar provinsi dan kota di atas dicocokkan bila memungkinkan.
submit-field-level-of-government = Tingkat pemerintahan
submit-field-organisations = Organisasi pelaksana
submit-field-partners = Mitra
submit-field-sectors = Sektor
submit-field-innovation-facets = Jenis inovasi
submit-field-lifecycle-stage = Tahap siklus hidup
submit-field-sdgs = Tujuan Pembangunan Berkelanjutan
submit-field-year-launched = Tahun dimulai
submit-field-operating-status = Status operasional
submit-field-operating-status-date = Tanggal perubahan status operasional
submit-field-digital = Apakah ini inovasi digital?
submit-field-tags = Tag
submit-field-problem = Masalah
submit-field-novelty = Apa yang baru
submit-field-how-it-works = Cara kerja
submit-field-results = Hasil
submit-field-evidence = Bukti
submit-field-challenges = Tantangan
submit-field-conditions-for-success = Syarat keberhasilan
submit-field-replication-potential = Potensi replikasi
submit-field-resources = Sumber daya
submit-field-lessons-learned = Pelajaran yang dipetik
submit-field-website = Situs web
submit-field-links = Tautan
submit-field-contact-name = Nama kontak
submit-field-contact-email = Alamat surel kontak
submit-field-contact-organisation = Organisasi kontak
submit-field-contact = Kontak
submit-field-status = Status alur kerja
submit-field-source-url = Sumber
submit-field-last-confirmed = Terakhir dipastikan akurat
submit-hint-original-language = Judul, ringkasan, dan cerita disimpan dalam bahasa ini. Terjemahan dapat ditambahkan kemudian.
submit-hint-title = Nama singkat inovasi, paling banyak 300 karakter.
submit-hint-summary = Satu paragraf: apa yang dilakukan, untuk siapa, dan apa hasilnya.
submit-hint-organisations = Centang organisasi yang menjalankan inovasi ini. Minta kurator menambahkan organisasi yang belum ada.
submit-hint-partners = Mitra lain, satu per baris.
submit-hint-year-launched = Misalnya 2019.
submit-hint-operating-status-date = Wajib diisi jika inovasi sudah dihentikan.
submit-hint-tags = Kata kunci dipisahkan koma, misalnya: mal pelayanan publik, pengaduan.
submit-hint-website = Situs web inovasi itu sendiri, diawali dengan https://.
submit-hint-links = Satu tautan per baris: alamat, spasi, lalu judul. Misalnya: https://contoh.go.id/laporan Laporan evaluasi
submit-hint-contact-email = Ditampilkan untuk umum setelah kasus diterbitkan.

## Submission: story guidance and examples
submit-guide-problem = Masalah apa yang diatasi inovasi ini, dan bagi siapa? Mengapa hal itu penting?
submit-example-problem = Warga harus mendatangi beberapa kantor, sering kali lebih dari sekali, untuk mengurus izin usaha.
submit-guide-novelty = Apa yang baru dari pendekatan ini dibandingkan dengan cara sebelumnya atau di tempat lain?
submit-example-novelty = Untuk pertama kalinya, semua layanan perizinan tersedia di satu loket dengan satu antrean.
submit-guide-how-it-works = Bagaimana cara kerjanya dalam praktik: siapa melakukan apa, dengan alat dan langkah apa?
submit-example-how-it-works = Instansi menempatkan petugas di loket bersama; sistem pemesanan daring menyebar kunjungan sepanjang hari.
submit-guide-results = Apa yang berubah? Sertakan angka jika memungkinkan.
submit-example-results = Rata-rata waktu tunggu turun dari 3 hari menjadi 2 jam pada tahun pertama.
submit-guide-evidence = Dari mana Anda mengetahuinya? Evaluasi, survei, sumber data.
submit-example-evidence = Survei kepuasan warga tahun 2021 oleh BPS provinsi (n = 1.200).
submit-guide-challenges = Apa yang tidak berjalan lancar atau sulit, dan bagaimana mengatasinya?
submit-example-challenges = Instansi enggan berbagi petugas; peraturan gubernur akhirnya menyelesaikannya.
submit-guide-conditions-for-success = Apa yang harus tersedia agar inovasi ini berhasil?
submit-example-conditions-for-success = Dukungan kuat dari kepala daerah dan mata anggaran bersama.
submit-guide-replication-potential = Dapatkah pihak lain melakukan hal yang sama? Apa yang perlu mereka sesuaikan?
submit-example-replication-potential = Dua belas kabupaten lain telah meniru model ini; kabupaten kecil berbagi satu gedung untuk dua daerah.
submit-guide-resources = Berapa biayanya, dalam uang, tenaga, dan waktu?
submit-example-resources = Sekitar Rp4 miliar untuk gedung dan 30 petugas yang diperbantukan dari instansi.
submit-guide-lessons-learned = Apa yang akan Anda sampaikan kepada orang yang besok memulai hal yang sama?
submit-example-lessons-learned = Mulailah dengan lima layanan yang paling banyak diminta, lalu tambahkan yang lain.

## Review queue
curate-title = Antrean tinjauan
curate-submitted = Kasus yang menunggu tinjauan
curate-empty = Tidak ada kasus yang menunggu tinjauan.
curate-author = Penulis
curate-date = Dikirim
curate-nominations = Nominasi dari simpul lain
curate-nominations-empty = Tidak ada nominasi yang menunggu.
curate-nominated-by = Dinominasikan oleh { $node }
curate-accept = Terima dan terbitkan di sini
curate-decline = Tolak
curate-decline-reason = Alasan penolakan
curate-done-returned = Kasus telah dikembalikan kepada penulisnya.
curate-done-published = Kasus telah diterbitkan.
curate-done-accepted = Nominasi diterima; kasus diterbitkan di sini.
curate-done-declined = Nominasi ditolak.
curate-review-title = Tinjau kasus
curate-back = Kembali ke antrean tinjauan
curate-open-case = Buka kasus sebagaimana akan ditampilkan
curate-changes = Apa yang berubah
curate-from = Dari versi
curate-to = ke versi
curate-compare = Bandingkan
curate-no-changes = Tidak ada perubahan di antara versi-versi ini.
curate-diff-caption = Perubahan dari versi { $from } ke versi { $to }
curate-field = Isian
curate-before = Sebelum
curate-after = Sesudah
curate-comments = Komentar
curate-comments-empty = Belum ada komentar.
curate-decide = Keputusan
curate-return-comment = Komentar untuk penulis
curate-return-hint = Jelaskan apa yang perlu ditambahkan atau diubah oleh penulis. Penulis akan melihat komentar ini.
curate-return = Kembalikan kepada penulis
curate-publish-hint = Penerbitan membuat kasus ini dapat dilihat umum di simpul ini.
curate-publish = Terbitkan
curate-not-submitted = Kasus ini berstatus { $status }: belum ada yang perlu diputuskan.

## Translation
translate-title = Terjemahkan ke { $language }
translate-intro = Setiap teks kasus dalam { $original } berdampingan dengan isian untuk versi { $language }-nya. Biarkan isian kosong jika teks itu belum diterjemahkan; pembaca akan melihat teks asli dengan catatan.
translate-other = Terjemahkan ke bahasa lain:
translate-empty = (kosong dalam teks asli)
translate-save = Simpan terjemahan
translate-saved = Terjemahan telah disimpan.
translate-reload = Muat versi terbaru
case-translate = Terjemahkan ke { $language }
