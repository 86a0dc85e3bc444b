import { useMemo } from 'react';
import { CampusMap } from '../../components/campus-map/campus-map.tsx';
import type { LatLng, MapAed, MapResponder } from '../../components/campus-map/types.ts';
import { useCampusLayers, useCampusSlugAt } from '../../components/campus-map/use-campus-layers.ts';
import type { BystanderView } from '../../lib/api-client.ts';
import { useLang } from '../../lib/i18n.ts';
import { aedPlace } from '../../lib/spot-text.ts';

/** Loaded with import() after the SOS: Leaflet is never on the SOS button's critical path. */
export default function BystanderMap({ view, campusSlug, self }: { view: BystanderView; campusSlug: string | null; self: LatLng | null }) {
  const lang = useLang();
  const slug = useCampusSlugAt(campusSlug, view.location);
  const { layers, tileUrl, status } = useCampusLayers(slug);
  const aeds: MapAed[] = useMemo(
    () =>
      view.nearestAeds.map((a, i) => ({
        id: a.id,
        lat: a.lat,
        lng: a.lng,
        label: String(i + 1),
        title: `${i + 1}. ${aedPlace(lang, a) || 'AED'}`,
        usable: a.usableNow && !a.closesBeforeArrival,
        highlighted: i === 0 && a.usableNow && !a.closesBeforeArrival,
      })),
    [view.nearestAeds, lang],
  );
  const responders: MapResponder[] = useMemo(
    () => view.responders.filter((r) => r.position).map((r) => ({ id: r.label, label: r.label, role: r.role, lat: r.position!.lat, lng: r.position!.lng })),
    [view.responders],
  );
  const patient = useMemo(() => ({ lat: view.location.lat, lng: view.location.lng }), [view.location.lat, view.location.lng]);
  const fitTo = useMemo(() => [patient, ...aeds.slice(0, 3)], [patient, aeds]);
  return <CampusMap layers={layers} tileUrl={tileUrl} status={status} patient={patient} self={self} aeds={aeds} responders={responders} fitTo={fitTo} />;
}
