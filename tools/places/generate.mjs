// Generates crates/core/data/id-places.csv: Indonesia's provinces and
// regencies/cities with their official Kemendagri codes.
//
//   cd tools/places && npm ci && node generate.mjs
//
// Source: the npm package idn-area-data (pinned in package.json), whose data
// follows Keputusan Menteri Dalam Negeri No. 300.2.2-2138 Tahun 2025 and is
// made available under the Open Database License (ODbL) 1.0; see
// crates/core/data/README.md.
//
// Output columns: code,name,kind,province
//   code      province `31`, regency/city `31.71` (dotted PP.RR)
//   name      official name in proper case (`Kota Administrasi Jakarta Selatan`)
//   kind      province | regency | city
//   province  the province code for a regency/city, empty for a province
import { writeFileSync } from 'node:fs';
import { getProvinces, getRegencies } from 'idn-area-data';

// Acronyms kept upper case when a name has to be title-cased.
const ACRONYMS = new Set(['DKI', 'DI', 'DKJ', 'NTB', 'NTT']);
// Conjunctions written lower case inside a name (Kabupaten Pangkajene dan Kepulauan).
const LOWER = new Set(['dan']);

// The package gives names in proper case already; only an all-upper-case name
// (as older releases and the Kemendagri tables have) is title-cased.
function properCase(name) {
  const trimmed = name.trim().replace(/\s+/g, ' ');
  if (trimmed !== trimmed.toUpperCase()) return trimmed;
  return trimmed
    .split(' ')
    .map((word, i) => {
      if (ACRONYMS.has(word.replace(/\.$/, ''))) return word;
      const lower = word.toLowerCase();
      if (i > 0 && LOWER.has(lower)) return lower;
      return lower.replace(/(^|[-.'(])(\p{L})/gu, (_, sep, ch) => sep + ch.toUpperCase());
    })
    .join(' ');
}

// `3171` -> `31.71`; `31.71` stays; provinces are two digits.
function regencyCode(code) {
  const digits = code.replace(/\D/g, '');
  if (digits.length !== 4) throw new Error(`unexpected regency code ${code}`);
  return `${digits.slice(0, 2)}.${digits.slice(2)}`;
}

function provinceCode(code) {
  const digits = code.replace(/\D/g, '');
  if (digits.length !== 2) throw new Error(`unexpected province code ${code}`);
  return digits;
}

// Kota (incl. Kota Administrasi in Jakarta) is a city; Kabupaten (incl.
// Kabupaten Administrasi Kepulauan Seribu) and Kab. are regencies.
function kindOf(name) {
  if (/^kota\b/i.test(name)) return 'city';
  if (/^(kabupaten|kab\.)\s/i.test(name)) return 'regency';
  throw new Error(`cannot tell whether ${name} is a regency or a city`);
}

// RFC 4180: quote a field only when it holds a comma, a quote or a line break.
const field = (s) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

const provinces = await getProvinces();
const regencies = await getRegencies();

const rows = [];
const provinceCodes = new Set();
for (const p of provinces) {
  const code = provinceCode(p.code);
  provinceCodes.add(code);
  rows.push({ code, name: properCase(p.name), kind: 'province', province: '' });
}
for (const r of regencies) {
  const code = regencyCode(r.code);
  const province = provinceCode(r.province_code ?? r.provinceCode);
  if (!code.startsWith(`${province}.`)) throw new Error(`${code} is not under province ${province}`);
  if (!provinceCodes.has(province)) throw new Error(`${code}: unknown province ${province}`);
  const name = properCase(r.name);
  rows.push({ code, name, kind: kindOf(name), province });
}
rows.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
for (let i = 1; i < rows.length; i++) {
  if (rows[i].code === rows[i - 1].code) throw new Error(`duplicate code ${rows[i].code}`);
}

const count = (kind) => rows.filter((r) => r.kind === kind).length;
if (count('province') !== 38) throw new Error(`expected 38 provinces, got ${count('province')}`);

const lines = ['code,name,kind,province', ...rows.map((r) => [r.code, r.name, r.kind, r.province].map(field).join(','))];
writeFileSync(new URL('../../crates/core/data/id-places.csv', import.meta.url), `${lines.join('\n')}\n`);
console.log(`id-places.csv: ${count('province')} provinces, ${count('regency')} regencies, ${count('city')} cities`);
