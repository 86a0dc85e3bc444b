import { describe, expect, it } from 'vitest';
import { activeMission, applyDispatch, applyEvent, closedMissions, directionPath, pendingAlert, type Missions } from '../../../../../web/src/features/responder/missions.ts';

const incidentId = '00000000-0000-4000-8000-0000000000aa';
const now = Date.parse('2026-01-01T10:00:00Z');
const alert = (over: Record<string, unknown> = {}) => ({
  type: 'alert',
  incidentId,
  dispatchId: 'd1',
  role: 'aed',
  status: 'alerted',
  etaS: 130,
  isDrill: false,
  alertedAt: new Date(now - 5_000).toISOString(),
  patient: { lat: 42.05, lng: -87.67, level: 0, buildingName: 'Norris', floor: '0', entrance: 'South' },
  aed: { id: 'NU-1', lat: 42.051, lng: -87.671, level: '1', indoor: true, location: null, locationZh: '一楼', locationEn: 'Level 1', openingHours: null },
  ...over,
});

describe('missions', () => {
  it('turns an alert into a pending alert that takes over the screen', () => {
    const m = applyEvent({}, alert());
    expect(pendingAlert(m, now)?.incidentId).toBe(incidentId);
    expect(activeMission(m)).toBeNull();
  });

  it('does not sound an alert replayed from long ago', () => {
    const m = applyEvent({}, alert({ alertedAt: new Date(now - 3_600_000).toISOString() }));
    expect(pendingAlert(m, now)).toBeNull();
  });

  it('moves to the mission once accepted, and a replayed alert does not undo the answer', () => {
    let m: Missions = applyEvent({}, alert());
    m = applyDispatch(m, { incidentId, role: 'aed', status: 'accepted', aedId: 'NU-1', etaS: 120 });
    expect(activeMission(m)?.aed?.id).toBe('NU-1');
    m = applyEvent(m, alert());
    expect(activeMission(m)?.status).toBe('accepted');
    expect(pendingAlert(m, now)).toBeNull();
  });

  it('takes a new role from an assignment, in either order with the answer', () => {
    let m: Missions = applyEvent({}, alert({ role: 'cpr', aed: null }));
    m = applyEvent(m, alert({ type: 'assignment', status: 'accepted' }));
    m = applyDispatch(m, { incidentId, role: 'aed', status: 'accepted', aedId: 'NU-1', etaS: 120 });
    expect(activeMission(m)).toMatchObject({ role: 'aed', aed: { id: 'NU-1' } });
  });

  it('drops a declined alert and shows a closed mission once', () => {
    let m: Missions = applyEvent({}, alert());
    m = applyDispatch(m, { incidentId, role: 'aed', status: 'declined', aedId: null, etaS: null });
    expect(pendingAlert(m, now)).toBeNull();
    let n: Missions = applyEvent({}, alert());
    n = applyDispatch(n, { incidentId, role: 'cpr', status: 'accepted', aedId: null, etaS: 60 });
    n = applyEvent(n, { type: 'closed', incidentId, state: 'resolved' });
    expect(activeMission(n)).toBeNull();
    expect(closedMissions(n).map((x) => x.closed)).toEqual(['resolved']);
  });

  it('draws the direction through the AED for the AED runner only', () => {
    const m = applyEvent({}, alert())[incidentId]!;
    const self = { lat: 42.049, lng: -87.672 };
    expect(directionPath(self, m)).toHaveLength(3);
    expect(directionPath(self, { ...m, role: 'cpr' })).toHaveLength(2);
    expect(directionPath(null, m)).toHaveLength(2);
  });
});
