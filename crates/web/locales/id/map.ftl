## Peta kasus yang diterbitkan

nav-map = Peta
map-title = Peta inovasi
map-intro = { $count ->
    [one] Satu kasus diterbitkan, menurut negara. Pilih negara untuk melihat kasusnya.
   *[other] { $count } kasus diterbitkan, menurut negara. Pilih negara untuk melihat kasusnya.
}
map-southeast-asia = Kasus yang diterbitkan di Asia Tenggara
map-world = Kasus yang diterbitkan di dunia
map-legend = Kasus per negara
map-legend-none = tidak ada
map-cases-count = { $count ->
    [one] 1 kasus
   *[other] { $count } kasus
}
map-table = Kasus menurut negara
map-country = Negara
map-source = Batas wilayah: Natural Earth (domain publik). Batas ditampilkan hanya sebagai petunjuk arah.
map-flows = Replikasi antarnegara
map-flows-intro = Panah pada peta mengarah dari negara asal sebuah inovasi ke negara kasus yang mereplikasi, mengadaptasi, memperluas, atau terinspirasi olehnya.
map-flows-none = Belum ada kasus terbit yang mencatat replikasi inovasi dari negara lain.
map-flow-from = Dari
map-flow-to = Ke
map-flow-links = Kasus
map-flow-title = { $from } → { $to }
map-links-count = { $count } kasus
