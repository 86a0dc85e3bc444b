import { useMemo } from 'react';
import { CampusMap } from '../../components/campus-map/campus-map.tsx';
import type { LatLng } from '../../components/campus-map/types.ts';
import { useCampusLayers, useCampusSlugAt } from '../../components/campus-map/use-campus-layers.ts';
import { useLang } from '../../lib/i18n.ts';
import { aedText } from './format.ts';
import type { Mission } from './missions.ts';
import { useWalkingRoute } from './use-walking-route.ts';

/** Loaded with import(): the map and Leaflet come only when a mission needs them. */
export default function ResponderMap({ mission, self }: { mission: Mission; self: LatLng | null }) {
  const lang = useLang();
  const { layers, tileUrl, status } = useCampusLayers(useCampusSlugAt(null, mission.patient));
  const aed = mission.aed;
  const aeds = useMemo(
    () => (aed ? [{ id: aed.id, lat: aed.lat, lng: aed.lng, label: 'A', title: aedText(lang, aed), usable: true, highlighted: true }] : []),
    [aed, lang],
  );
  const { path, onGraph } = useWalkingRoute(self, mission);
  const patient = useMemo(() => ({ lat: mission.patient.lat, lng: mission.patient.lng }), [mission.patient.lat, mission.patient.lng]);
  return <CampusMap layers={layers} tileUrl={tileUrl} status={status} patient={patient} self={self} aeds={aeds} path={path} pathIsRoute={onGraph} fitTo={path} />;
}
