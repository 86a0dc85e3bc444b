/**
 * Derives the committed demo campus from an OSM XML extract:
 *   tsx scripts/derive-demo-campus.ts <campus.osm> [outDir=geo-data/northwestern-evanston]
 * Writes campus.json, buildings/walkways/qr-spots/aeds GeoJSON and a README into outDir.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { parseOsmCampus, type OsmCampus } from '../api/import/osm-campus';
import { deriveQrSpots } from '../api/import/qr-spots';
import { buildingToFeature, formatFeatureCollection, qrSpotToFeature, roundDegrees, walkwayToFeature } from '../api/import/campus-geojson';
import { NORTHWESTERN_EVANSTON, placeDemoAeds } from './demo-campus-profile';

const ATTRIBUTION = '© OpenStreetMap contributors, ODbL 1.0';
const DEFAULT_OUT_DIR = 'geo-data/northwestern-evanston';

async function main(argv: string[]): Promise<void> {
  const [osmPath, outDir = DEFAULT_OUT_DIR] = argv;
  if (!osmPath) {
    console.error('usage: tsx scripts/derive-demo-campus.ts <campus.osm> [outDir=geo-data/northwestern-evanston]');
    process.exitCode = 2;
    return;
  }
  const source = basename(osmPath);
  const campus = parseOsmCampus(await readFile(osmPath, 'utf8'), { clipToBounds: true });
  const qrSpots = deriveQrSpots(campus);
  const aeds = placeDemoAeds(campus.buildings, qrSpots);
  const files: Record<string, string> = {
    'campus.json': `${JSON.stringify(describeCampus(campus, source), null, 2)}\n`,
    'buildings.geojson': formatFeatureCollection(campus.buildings.map(buildingToFeature)),
    'walkways.geojson': formatFeatureCollection(campus.walkways.map(walkwayToFeature)),
    'qr-spots.geojson': formatFeatureCollection(qrSpots.map(qrSpotToFeature)),
    'aeds.geojson': formatFeatureCollection(aeds),
    'README.md': describeFiles(source),
  };
  const dir = resolve(outDir);
  await mkdir(dir, { recursive: true });
  let totalBytes = 0;
  for (const [name, content] of Object.entries(files)) {
    await writeFile(join(dir, name), content);
    const { size } = await stat(join(dir, name));
    totalBytes += size;
    console.log(`${name.padEnd(20)} ${(size / 1024).toFixed(1).padStart(7)} KiB`);
  }
  console.log(`${'total'.padEnd(20)} ${(totalBytes / 1024).toFixed(1).padStart(7)} KiB in ${dir}`);
  console.log(
    `buildings ${campus.buildings.length}, walkways ${campus.walkways.length} (steps ${campus.walkways.filter((w) => w.steps).length}), ` +
      `entrances ${campus.entrances.length}, qr spots ${qrSpots.length}, aeds ${aeds.length}`,
  );
}

function describeCampus(campus: OsmCampus, source: string) {
  const { bounds } = campus;
  return {
    ...NORTHWESTERN_EVANSTON,
    bounds,
    center: { lat: roundDegrees((bounds.minLat + bounds.maxLat) / 2), lng: roundDegrees((bounds.minLng + bounds.maxLng) / 2) },
    attribution: ATTRIBUTION,
    source,
  };
}

function describeFiles(source: string): string {
  return `# Demo campus: ${NORTHWESTERN_EVANSTON.name}

Derived from OpenStreetMap data: ${ATTRIBUTION}.
These files are a derived database under the Open Database License (ODbL 1.0,
https://opendatacommons.org/licenses/odbl/1-0/); keep the attribution wherever they are shown.

Source: \`${source}\` (an OSM XML export of the campus bounding box, kept outside this repository in
\`../shared/data/\`). Contributor metadata (user names, uids, changesets, timestamps, versions) is stripped.
Coordinates are WGS-84, GeoJSON order \`[lng, lat]\`, rounded to 6 decimals (about 0.1 m).

| file | what |
|---|---|
| \`campus.json\` | slug, names (English, Chinese), time zone, bounds, center, attribution, source file |
| \`buildings.geojson\` | named buildings (Polygon / MultiPolygon) with \`osmId\`, \`name\`, \`name:zh\`, \`levels\` when OSM has them; only buildings whose centroid lies inside the bounds |
| \`walkways.geojson\` | walkable ways (footway, path, steps, service, residential …; not \`foot=no\`, not private without foot access) as LineStrings with \`osmId\`, \`highway\`, \`steps\`, \`name\` and \`nodeIds\` (OSM node ids parallel to the coordinates, to join ways into a graph); ways leaving the bounds are trimmed one node past the edge |
| \`qr-spots.geojson\` | one first-aid QR code spot per building entrance: OSM entrance nodes where mapped (\`source: osm-entrance\`), else the point of the outline nearest a walkway (\`source: nearest-walkway\`); \`entrance\` and \`entranceZh\` say which entrance in English and Chinese (kind, compass side, OSM \`name\` / \`name:zh\`); \`code\` is an 8-character code stable for the same building and entrance |
| \`aeds.geojson\` | **fictional demonstration AEDs** at 12 real buildings, tagged like OSM AEDs (\`emergency=defibrillator\`, \`access\`, \`indoor\`, \`level\`, \`opening_hours\`, \`defibrillator:location\` …) plus \`demo=yes\` and \`note=Demonstration device: not a real AED\`. They are not real devices: never rely on them in an emergency |

## Regenerate

\`\`\`sh
npx tsx scripts/derive-demo-campus.ts ../shared/data/${source} geo-data/${NORTHWESTERN_EVANSTON.slug}
\`\`\`

The output is deterministic: the same OSM file gives byte-identical files, including the QR codes.
The app reads only these files, never the OSM source.
`;
}

await main(process.argv.slice(2));
