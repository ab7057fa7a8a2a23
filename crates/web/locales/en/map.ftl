## The map of published cases

nav-map = Map
map-title = Map of innovations
map-intro = { $count ->
    [one] One published case, by country. Choose a country to see its cases.
   *[other] { $count } published cases, by country. Choose a country to see its cases.
}
map-southeast-asia = Published cases in Southeast Asia
map-world = Published cases in the world
map-legend = Cases per country
map-legend-none = none
map-cases-count = { $count ->
    [one] 1 case
   *[other] { $count } cases
}
map-table = Cases by country
map-country = Country
map-source = Borders: Natural Earth (public domain). Borders are shown for orientation only.
map-flows = Replication between countries
map-flows-intro = Arrows on the maps go from the country of an innovation to the country of a case that replicates, adapts, scales up or was inspired by it.
map-flows-none = No published case records replicating an innovation of another country yet.
map-flow-from = From
map-flow-to = To
map-flow-links = Cases
map-flow-title = { $from } → { $to }
map-links-count = { $count ->
    [one] 1 case
   *[other] { $count } cases
}
