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
