# Sumber belajar dan koleksi (issue #11)
nav-resources = Sumber belajar
resources-title = Sumber belajar
resources-intro = Panduan, perangkat, bahan pelatihan, laporan, video dan set data yang dibagikan kepada jejaring, ditautkan ke kasus dan acara yang dilayaninya.
resources-new = Tambah sumber belajar
resources-filters = Saring sumber belajar
resources-field-type = Jenis
resources-any = Semua
resources-filter = Saring
resources-count = { $count ->
    [one] Satu sumber belajar
   *[other] { $count } sumber belajar
}
resources-none = Belum ada sumber belajar.
resources-more = Sumber belajar lainnya
resources-type-guide = Panduan
resources-type-toolkit = Perangkat
resources-type-training = Bahan pelatihan
resources-type-report = Laporan
resources-type-video = Video
resources-type-dataset = Set data
resources-field-languages = Bahasa
resources-field-languages-help = Kode bahasa, dipisahkan koma (en, id, ms…).
resources-field-licence = Lisensi
resources-field-licence-help = Pengenal SPDX, seperti CC-BY-4.0, CC-BY-SA-4.0 atau CC0-1.0.
resources-updated = Diperbarui
resources-download = Unduh
resources-open = Buka sumber belajar
resources-cases = Kasus yang dilayani
resources-events = Acara
resources-form-errors = Sumber belajar tidak disimpan:
resources-field-title-en = Judul dalam bahasa Inggris
resources-field-title-id = Judul dalam Bahasa Indonesia
resources-field-summary-en = Ringkasan dalam bahasa Inggris
resources-field-summary-id = Ringkasan dalam Bahasa Indonesia
resources-field-url = Tautan (atau unggah berkas di bawah)
resources-field-file = Berkas
resources-field-file-help = PDF, DOCX, PPTX, XLSX, ODT, CSV, PNG atau JPEG, paling besar { $max } MiB. Jenisnya dibaca dari isi berkas itu sendiri.
resources-field-cases = Id kasus
resources-field-events = Id acara
resources-field-ids-help = Id dipisahkan koma atau spasi.
resources-save = Simpan
collections-title = Koleksi
collections-intro = Daftar kasus pilihan, dalam urutan yang dipilih kuratornya.
collections-new = Tambah koleksi
collections-none = Belum ada koleksi.
collections-cases = { $count ->
    [one] satu kasus
   *[other] { $count } kasus
}
collections-empty = Tidak ada kasus koleksi ini yang sedang diterbitkan.
collections-all = Semua koleksi
collections-field-id = Alamat
collections-field-id-help = Huruf kecil, angka dan tanda hubung, seperti inovasi-terbaik-2024.
collections-field-intro-en = Pengantar dalam bahasa Inggris (Markdown)
collections-field-intro-id = Pengantar dalam Bahasa Indonesia (Markdown)
collections-field-cases = Id kasus, berurutan
collections-field-cases-help = Satu id kasus per baris; koleksi menampilkannya dalam urutan ini.
hit-resource = Sumber belajar
kind-resource = Sumber belajar
resources-error-too-large = Berkas lebih besar dari 20 MiB.
resources-error-type = Berkas ditolak: { $detail }.
