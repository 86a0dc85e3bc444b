/**
 * What the OSM file does not say about the demo campus: its display names and time zone, and the
 * fictional AEDs placed at real buildings. The AEDs are demonstration devices, not real ones.
 */
import type { OsmBuilding } from '../api/import/osm-campus';
import { isPointInPolygon, type LatLng } from '../api/import/planar-geometry';
import type { QrSpotSeed } from '../api/import/qr-spots';
import { toPosition, type GeoJsonFeature, type PointGeometry } from '../api/import/campus-geojson';

export const NORTHWESTERN_EVANSTON = {
  slug: 'northwestern-evanston',
  name: 'Northwestern University (Evanston)',
  nameZh: '西北大学（埃文斯顿校区）',
  timezone: 'America/Chicago',
};

interface DemoAed {
  buildingName: string;
  access: 'yes' | 'customers' | 'private';
  indoor: 'yes' | 'no';
  /**
   * OSM `level`: 0 the ground floor, 1 one floor up. The location texts count floors as people there
   * do: level 1 is 二楼 in Chinese and "one floor up" in English (a US "Level 2", a UK "first floor").
   */
  level: '0' | '1' | '2' | '3';
  openingHours: string;
  locationZh: string;
  locationEn: string;
  checkDate: string;
  padExpiry: string;
  batteryExpiry: string;
  outOfService?: true;
}

// Chosen to spread over the campus from south (University Hall) to north (Elder, SPAC), and to
// cover libraries, the student centre, gyms, residence halls and teaching buildings.
const DEMO_AEDS: readonly DemoAed[] = [
  { buildingName: 'Northwestern University Library', access: 'yes', indoor: 'yes', level: '1', openingHours: 'Mo-Fr 07:30-24:00; Sa,Su 10:00-22:00', locationZh: '二楼借还书服务台旁，上楼梯后左侧墙上', locationEn: 'One floor up, on the wall next to the circulation desk, left at the top of the stairs', checkDate: '2025-09-02', padExpiry: '2027-08-31', batteryExpiry: '2028-03-31' },
  { buildingName: 'Norris University Center', access: 'yes', indoor: 'yes', level: '0', openingHours: 'Mo-Fr 07:00-24:00; Sa,Su 09:00-24:00', locationZh: '一层问询台对面，餐厅入口处', locationEn: 'Ground floor, opposite the information desk by the food court entrance', checkDate: '2025-08-18', padExpiry: '2027-05-31', batteryExpiry: '2028-06-30' },
  { buildingName: 'Henry Crown Sports Pavilion and Aquatic Center', access: 'customers', indoor: 'yes', level: '0', openingHours: 'Mo-Fr 06:00-23:00; Sa,Su 08:00-21:00', locationZh: '泳池入口救生员值班台旁', locationEn: 'Next to the lifeguard desk at the pool entrance', checkDate: '2025-10-06', padExpiry: '2027-02-28', batteryExpiry: '2027-11-30' },
  { buildingName: 'Blomquist Recreation Center', access: 'customers', indoor: 'yes', level: '2', openingHours: 'Mo-Fr 07:00-22:00; Sa,Su 10:00-18:00', locationZh: '三楼健身区楼梯口', locationEn: 'Two floors up, at the top of the stairs by the fitness area', checkDate: '2025-07-21', padExpiry: '2028-01-31', batteryExpiry: '2028-09-30' },
  { buildingName: 'Northwestern University Technological Institute', access: 'yes', indoor: 'yes', level: '1', openingHours: 'Mo-Fr 07:00-22:00', locationZh: '二楼主走廊中段，电梯旁', locationEn: 'One floor up, halfway along the main corridor, beside the lifts', checkDate: '2025-03-14', padExpiry: '2026-12-15', batteryExpiry: '2027-06-30' },
  { buildingName: 'Kellogg Global Hub', access: 'yes', indoor: 'yes', level: '3', openingHours: 'Mo-Fr 08:00-18:00', locationZh: '四楼中庭学生休息区旁', locationEn: 'Three floors up, beside the atrium student lounge', checkDate: '2025-09-29', padExpiry: '2027-10-31', batteryExpiry: '2028-04-30' },
  { buildingName: 'Searle Hall', access: 'yes', indoor: 'yes', level: '0', openingHours: 'Mo-Fr 08:00-17:00', locationZh: '一楼健康服务中心前台', locationEn: 'Ground floor, at the health service reception', checkDate: '2025-06-10', padExpiry: '2027-04-30', batteryExpiry: '2027-12-31' },
  { buildingName: 'Allison Residential Community', access: 'private', indoor: 'yes', level: '0', openingHours: '24/7', locationZh: '宿舍一楼大堂前台旁（仅住宿学生可进入）', locationEn: 'Residence lobby by the front desk (residents only)', checkDate: '2025-08-25', padExpiry: '2028-02-29', batteryExpiry: '2028-08-31' },
  { buildingName: 'University Hall', access: 'yes', indoor: 'no', level: '0', openingHours: '24/7', locationZh: '西侧入口外墙上的加热急救箱内', locationEn: 'Heated cabinet on the outside wall by the west entrance', checkDate: '2025-10-13', padExpiry: '2027-09-30', batteryExpiry: '2028-05-31' },
  { buildingName: 'Patrick G. and Shirley W. Ryan Center for the Musical Arts', access: 'yes', indoor: 'yes', level: '2', openingHours: 'Mo-Su 08:00-23:00', locationZh: '三楼音乐厅门厅衣帽间旁', locationEn: 'Two floors up, concert hall foyer, next to the cloakroom', checkDate: '2025-05-19', padExpiry: '2027-07-31', batteryExpiry: '2028-01-31', outOfService: true },
  { buildingName: 'Elder Residential Community', access: 'private', indoor: 'yes', level: '0', openingHours: '24/7', locationZh: '一楼餐厅入口旁（仅住宿学生可进入）', locationEn: 'Ground floor, by the dining hall entrance (residents only)', checkDate: '2025-09-08', padExpiry: '2027-12-31', batteryExpiry: '2028-10-31' },
  { buildingName: 'Walter Athletics Center', access: 'yes', indoor: 'no', level: '0', openingHours: '24/7', locationZh: '训练场一侧入口外的急救柜内', locationEn: 'Outdoor cabinet by the entrance on the practice field side', checkDate: '2025-10-20', padExpiry: '2028-06-30', batteryExpiry: '2028-12-31' },
];

/**
 * The demo AEDs as OSM-tagged GeoJSON points (`emergency=defibrillator` plus `demo=yes`). Indoor
 * devices above the ground floor sit at the building centroid when it lies inside the outline;
 * the others at the building's first QR spot (an entrance on the outline).
 * @throws Error when a listed building is missing from the campus (the OSM data changed).
 */
export function placeDemoAeds(buildings: readonly OsmBuilding[], qrSpots: readonly QrSpotSeed[]): GeoJsonFeature<PointGeometry, Record<string, string>>[] {
  return DEMO_AEDS.map((aed, index) => {
    const building = buildings.find((b) => b.name === aed.buildingName);
    const spot = building && qrSpots.find((s) => s.buildingOsmId === building.osmId);
    if (!building || !spot) throw new Error(`Demo AED building not found in the campus data: ${aed.buildingName}`);
    const ref = `NU-DEMO-${String(index + 1).padStart(2, '0')}`;
    const usesCentroid = aed.indoor === 'yes' && aed.level !== '0' && isPointInPolygon(building.centroid, building.polygon);
    const point: LatLng = usesCentroid ? building.centroid : spot;
    const properties: Record<string, string> = {
      emergency: 'defibrillator',
      ref,
      access: aed.access,
      indoor: aed.indoor,
      level: aed.level,
      opening_hours: aed.openingHours,
      'defibrillator:location': aed.locationZh,
      'defibrillator:location:en': aed.locationEn,
      operator: 'Northwestern University (demonstration data)',
      // 555-01xx numbers are reserved for fiction in the North American numbering plan.
      phone: `+1 847 555 01${String(index + 1).padStart(2, '0')}`,
      check_date: aed.checkDate,
      pad_expiry: aed.padExpiry,
      battery_expiry: aed.batteryExpiry,
      demo: 'yes',
      note: 'Demonstration device: not a real AED',
    };
    if (aed.outOfService) properties.status = 'out_of_service';
    return { type: 'Feature', id: ref, geometry: { type: 'Point', coordinates: toPosition(point) }, properties };
  });
}
