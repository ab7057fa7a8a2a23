## Pengaturan surel dan berhenti berlangganan

mail-settings-title = Surel
mail-settings-legend = Seberapa sering kami mengirim surel tentang notifikasi Anda?
mail-settings-button = Simpan
mail-settings-done = Pengaturan surel Anda telah disimpan.
mail-frequency-immediately = Segera
mail-frequency-immediately-hint = Satu pesan untuk setiap notifikasi, saat terjadi.
mail-frequency-daily = Ringkasan harian
mail-frequency-daily-hint = Satu pesan sehari, dikelompokkan per diskusi.
mail-frequency-weekly = Ringkasan mingguan
mail-frequency-weekly-hint = Satu pesan seminggu, dikelompokkan per diskusi.
mail-frequency-never = Tidak pernah
mail-frequency-never-hint = Tanpa surel. Kotak masuk dan umpan Anda tetap menampilkan semuanya.
mail-frequency-missing = Pilih seberapa sering Anda ingin menerima surel.
account-mail-link = Pengaturan surel
account-language = Bahasa Anda
account-language-label = Bahasa surel dan ringkasan yang dikirim node ini kepada Anda
account-language-button = Simpan bahasa
account-language-done = Bahasa Anda sudah disimpan.
unsubscribe-title = Hentikan surel
unsubscribe-ask = Hentikan semua surel dari simpul ini ke akun ini? Kotak masuk Anda tetap menyimpan notifikasi.
unsubscribe-button = Hentikan surel
unsubscribe-done = Anda tidak akan menerima surel lagi dari simpul ini.
unsubscribe-done-hint = Anda dapat menyalakan surel kembali di bagian Surel pada akun Anda.

## Pesan

mail-open = Buka
mail-footer-why = Anda menerima pesan ini karena Anda mengikuti atau ikut serta dalam diskusi ini.
mail-footer-settings = Ubah seberapa sering Anda menerima surel
mail-footer-stop = Hentikan semua surel
mail-digest-daily = { $count } notifikasi hari ini dalam { $threads } diskusi
mail-digest-weekly = { $count } notifikasi minggu ini dalam { $threads } diskusi
mail-notice-other = { $actor } menulis di diskusi yang Anda ikuti
mail-someone = Seseorang
mail-a-discussion = Sebuah diskusi
mail-your-inbox = Kotak masuk Anda
mail-notice-moderation = Moderator mengambil keputusan tentang tulisan Anda
mail-notice-appeal = Moderator telah memutus banding Anda
mail-notice-answer = { $actor } menjawab pertanyaan Anda
mail-notice-ask = { $actor } mengajukan pertanyaan kepada tim Anda
mail-notice-mention = { $actor } menyebut Anda
mail-notice-reply = { $actor } membalas Anda
mail-notice-quote = { $actor } mengutip Anda
mail-notice-thread = { $actor } memulai diskusi
mail-notice-post = { $actor } menulis di diskusi yang Anda pantau
mail-notice-case_published = Kasus yang Anda ikuti telah diterbitkan
mail-notice-case_nominated = Kasus yang Anda ikuti dinominasikan ke tingkat atas
mail-notice-case_changed = Kasus yang Anda ikuti telah diubah
mail-notice-checkin_due = Saatnya memperbarui status: mohon konfirmasi apakah kasus Anda masih berjalan
mail-notice-post_translated = { $actor } menerjemahkan sebuah tulisan
