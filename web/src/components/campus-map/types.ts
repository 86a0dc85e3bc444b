import type { FeatureCollection, Geometry, Point } from 'geojson';

/** A WGS-84 point. GeoJSON's [lng, lat] and Leaflet's [lat, lng] are converted only inside the map. */
export interface LatLng {
  lat: number;
  lng: number;
}

/** `GET /api/campuses/:slug/map`: the campus drawn as vector layers, so the map works with no tiles. */
export interface CampusLayers {
  campus: {
    slug: string;
    name: string;
    nameZh: string | null;
    center: LatLng;
    bounds: { minLat: number; minLng: number; maxLat: number; maxLng: number };
    attribution: string | null;
  };
  buildings: FeatureCollection<Geometry, { name: string | null; nameZh: string | null }>;
  walkways: FeatureCollection<Geometry, { highway: string | null; steps: boolean }>;
  qrSpots: FeatureCollection<Point, { buildingName: string | null; floor: string | null; entrance: string | null }>;
  aeds: FeatureCollection<Point, { id: string; status: string; level: string | null; location: string | null; locationEn: string | null; openingHours: string | null }>;
}

/** An AED marker; `label` (1, 2, 3…) ties it to a list next to the map. */
export interface MapAed extends LatLng {
  id: string;
  label?: string;
  title: string;
  usable: boolean;
  highlighted?: boolean;
}

/** A volunteer marker: anonymous label, role colour. */
export interface MapResponder extends LatLng {
  id: string;
  label: string;
  role: 'cpr' | 'aed' | 'backup';
}
