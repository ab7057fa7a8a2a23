// Generates crates/web/data/map.json: country outlines for the /map page,
// projected and simplified here once, so the node draws the map as plain SVG
// with no map script and no tile server.
//
//   cd tools/map && npm ci && node generate.mjs
//
// Geometry: Natural Earth (public domain) through the npm package world-atlas
// (countries-110m for the world, countries-50m for Southeast Asia).
// Country codes: i18n-iso-countries (ISO 3166-1 numeric -> alpha-2).
import { readFileSync, writeFileSync } from 'node:fs';
import { feature } from 'topojson-client';
import { geoPath, geoNaturalEarth1, geoMercator, geoCentroid, geoBounds } from 'd3-geo';
import countries from 'i18n-iso-countries';

const load = (name) => JSON.parse(readFileSync(new URL(`node_modules/world-atlas/${name}`, import.meta.url)));

function features(topo) {
  return feature(topo, topo.objects.countries).features
    .map((f) => ({ f, code: f.id ? countries.numericToAlpha2(f.id) : undefined }))
    .filter((x) => x.code);
}

function view(topo, width, height, projection, keep) {
  const path = geoPath(projection).digits(1);
  const out = [];
  for (const { f, code } of features(topo)) {
    if (keep && !keep(f)) continue;
    const d = path(f);
    if (!d) continue;
    const [cx, cy] = projection(geoCentroid(f)) || [0, 0];
    out.push({ code, name: f.properties.name, d, cx: Math.round(cx), cy: Math.round(cy) });
  }
  out.sort((a, b) => a.code.localeCompare(b.code));
  return { width, height, countries: out };
}

const world110 = load('countries-110m.json');
const world50 = load('countries-50m.json');
const worldFc = feature(world110, world110.objects.countries);
const world = view(world110, 960, 500, geoNaturalEarth1().fitSize([960, 500], worldFc));

// Southeast Asia, with its neighbours as context: the box 88°E–150°E, 14°S–30°N
// (wound clockwise, as d3 reads a polygon's inside).
const box = { type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[88, -14], [88, 30], [150, 30], [150, -14], [88, -14]]] } };
const sea = geoMercator().fitSize([960, 640], box);
sea.clipExtent([[0, 0], [960, 640]]);
const inBox = (f) => {
  const [[w, s], [e, n]] = geoBounds(f);
  // Features across the antimeridian have e < w; none of them is in the box.
  return e >= w && e >= 88 && w <= 150 && n >= -14 && s <= 30;
};
const southeastAsia = view(world50, 960, 640, sea, inBox);

const data = {
  source: 'Natural Earth (public domain), via npm world-atlas 2.0.2 (countries-110m, countries-50m); projected and simplified by tools/map/generate.mjs',
  license: 'Public domain (Natural Earth); world-atlas is ISC',
  views: { world, southeast_asia: southeastAsia },
};
const text = JSON.stringify(data);
writeFileSync(new URL('../../crates/web/data/map.json', import.meta.url), text);
console.log(`map.json: ${text.length} bytes; world ${world.countries.length} countries, Southeast Asia ${southeastAsia.countries.length}`);
