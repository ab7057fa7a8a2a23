## Administration and dashboard

## Administration
admin-title = Administrasi
admin-intro = Kelola akun, organisasi, dan pemanenan data dari simpul mitra.
admin-accounts-title = Akun
admin-accounts-count = { $count } akun
admin-organisations-title = Organisasi
admin-organisations-count = { $count } organisasi
admin-harvest-title = Pemanenan
admin-harvest-count = { $count } simpul mitra
admin-harvest-failing = { $count } gagal
admin-save = Simpan perubahan
admin-none = (tidak ada)
admin-choose = Pilih…
admin-notice-created = Berhasil dibuat.
admin-notice-saved = Perubahan disimpan.
admin-conflict = Orang lain mengubah data ini saat Anda menyuntingnya. Formulir kini menampilkan versi terbaru; silakan ulangi perubahan Anda.

## Accounts
admin-account-new = Akun baru
admin-account-create = Buat akun
admin-account-disabled = Dinonaktifkan
admin-account-disabled-hint = Akun yang dinonaktifkan tidak dapat masuk lagi; kasus-kasusnya tetap tersimpan.
admin-account-self-hint = Ini akun Anda sendiri: Anda tidak dapat menonaktifkannya atau melepas peran administrator Anda.
admin-account-password = Kata sandi awal
admin-account-password-hint = Minimal 10 karakter. Sampaikan secara pribadi; pemilik akun dapat menggantinya di halaman akunnya.
admin-account-email-invalid = Masukkan alamat surel seperti nama@instansi.go.id.
admin-account-email-taken = Sudah ada akun dengan alamat surel ini.
admin-account-password-short = Kata sandi minimal 10 karakter.
admin-account-organisation-unknown = Pilih organisasi dari daftar.
admin-account-role-unknown = Pilih peran dari daftar.
admin-account-self = Anda tidak dapat menonaktifkan akun sendiri atau melepas peran administrator Anda sendiri.

## Organisations
admin-org-new = Organisasi baru
admin-org-create = Tambahkan organisasi
admin-org-edit = Sunting organisasi
admin-org-public-page = Lihat halaman publik
admin-org-id = Pengenal
admin-org-id-hint = Nama singkat untuk alamat: huruf kecil, angka, dan tanda hubung, misalnya kemenpan-rb. Tidak dapat diubah kemudian.
admin-org-name-en = Nama dalam bahasa Inggris
admin-org-name-id = Nama dalam Bahasa Indonesia
admin-org-acronym = Singkatan
admin-org-id-invalid = Gunakan 2–64 huruf kecil, angka, dan tanda hubung.
admin-org-id-taken = Sudah ada organisasi dengan pengenal ini.
admin-org-name-required = Isi nama setidaknya dalam satu bahasa.
admin-org-type-required = Pilih jenis organisasi.
admin-org-parent-unknown = Tidak ada organisasi dengan pengenal tersebut.
admin-org-parent-cycle = Organisasi ini tidak dapat menjadi bagian dari organisasi tersebut: induknya akan berada di dalam dirinya sendiri.
admin-org-website-invalid = Masukkan alamat web yang diawali http:// atau https://.

## Harvesting
admin-harvest-intro = Hasil pemanenan terakhir dari setiap simpul mitra. Pemanenan berjalan di latar belakang; simpul yang gagal dicoba lagi dengan jeda yang makin panjang.
admin-harvest-empty = Belum ada simpul mitra yang dipanen.
admin-harvest-source = Simpul mitra
admin-harvest-from = Rekaman hingga
admin-harvest-last-success = Terakhir berhasil
admin-harvest-last-attempt = Percobaan terakhir
admin-harvest-last-error = Galat terakhir
admin-harvest-never = Belum pernah
admin-harvest-ok = Tidak ada
admin-harvest-seen = Rekaman dibaca
admin-harvest-created = Baru
admin-harvest-updated = Diperbarui
admin-harvest-withdrawn = Ditarik
admin-harvest-rejected = Ditolak

## Dashboard
dashboard-title = Dasbor
dashboard-intro = { $count } kasus terbit, dihitung menurut negara, sektor, tahun, tahap, dan tingkat pemerintahan.
dashboard-note = Satu kasus dapat terhitung di beberapa sektor. Kasus tanpa nilai tidak dimasukkan ke grafik tersebut.
dashboard-empty = Belum ada kasus yang diterbitkan.
dashboard-chart-country = Kasus terbit menurut negara
dashboard-chart-sector = Kasus terbit menurut sektor
dashboard-chart-year = Kasus terbit menurut tahun peluncuran
dashboard-chart-stage = Kasus terbit menurut tahap siklus hidup
dashboard-chart-level = Kasus terbit menurut tingkat pemerintahan
dashboard-chart-summary = { $title }. Terbanyak: { $top }, { $count } kasus.
dashboard-table = Tampilkan angka dalam tabel
dashboard-csv = Unduh sebagai CSV
dashboard-other = Lainnya
dashboard-code = Kode
dashboard-cases = Kasus
dashboard-no-data = Belum ada kasus terbit dengan nilai di sini.
admin-harvest-peers = Simpul mitra yang dikonfigurasi
admin-harvest-no-peers = Belum ada simpul mitra yang dikonfigurasi ([[peers]] dalam berkas konfigurasi simpul).
admin-harvest-set = Himpunan
admin-harvest-schedule = Jadwal
admin-harvest-all-sets = Semua rekaman yang terbit
admin-harvest-manual = Hanya dari baris perintah (lumbung harvest --peer)
admin-harvest-every = Setiap { $minutes } menit
admin-harvest-state = Panen terakhir
field-delegation = Delegasi (negara)
admin-account-delegation-hint = Khusus perwakilan: negara yang delegasinya diwakili akun ini. Perwakilan hanya mengajukan, menyunting, dan menominasikan kasus negara tersebut.
admin-account-delegation-required = Perwakilan mewakili sebuah negara: pilih negaranya.
admin-account-delegation-not-delegate = Hanya perwakilan yang memiliki delegasi.
admin-account-delegation-unknown = Pilih negara dari daftar.
