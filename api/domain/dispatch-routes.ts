/**
 * Walking times the dispatch plan needs: one Dijkstra from the patient (every volunteer's and
 * AED's time to the patient: the graph is undirected with symmetric costs) and one per AED that
 * could matter (every volunteer's time to that AED).
 */
import { usableNow } from './availability.ts';
import type { DispatchConfig } from './config.ts';
import { assertLatLng, distanceM } from './geo.ts';
import type { Snap } from './edge-index.ts';
import { fallbackTimeS, floorTimeS, snapToGraph, timesFrom, travelTimeS, type TravelTimes } from './travel-time.ts';
import type { AedForPlanning, LatLng, PatientLocation, VolunteerForPlanning } from './types.ts';
import type { AedRunnerAssignment } from './dispatch-plan.ts';
import type { WalkingGraph } from './walking-graph.ts';

/** A usable AED with its legs to the patient. */
export interface RoutedAed {
  aed: AedForPlanning;
  /** AED to the patient, the patient's floor included, seconds. */
  toPatientS: number;
  /** Cabinet, indoor search and the AED's own floor (up and down), seconds. */
  retrievalS: number;
  /** Bystander at the patient: to the AED, retrieval, back; seconds. */
  roundTripS: number;
  /** No runner can bring this AED sooner than this, seconds after the alert. */
  lowerBoundS: number;
}

/**
 * AEDs usable now and open by their hours for the whole time budget, ordered by id.
 * @throws InvalidTimezoneError; InvalidCoordinateError
 */
export function availableAeds(aeds: AedForPlanning[], at: Date, config: DispatchConfig, incidentId?: string): AedForPlanning[] {
  const options = { timezone: config.timezone, allowPrivate: config.allowPrivateAeds, incidentId, region: config.region, openForS: config.budgetS };
  return aeds
    .filter((aed) => {
      assertLatLng(aed);
      return usableNow(aed, at, options).usable;
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export class DispatchRoutes {
  /** How many AEDs have had their Dijkstra run. */
  routedCount = 0;
  private readonly fromPatient: TravelTimes | null;
  private readonly patientFloorS: number;
  /** Each volunteer's spot on the network, found once and reused for every AED. */
  private readonly volunteerSnaps: (Snap | null)[];

  constructor(
    private readonly graph: WalkingGraph | null,
    private readonly config: DispatchConfig,
    private readonly patient: PatientLocation,
    private readonly volunteers: VolunteerForPlanning[],
  ) {
    this.fromPatient = graph === null ? null : timesFrom(graph, patient);
    this.patientFloorS = floorTimeS(patient.level, config.stairSecondsPerFloor);
    this.volunteerSnaps = volunteers.map((v) => (graph === null ? null : snapToGraph(graph, v)));
  }

  /** Alert to each volunteer at the patient, seconds, in the order the volunteers were given. */
  directS(): number[] {
    return this.volunteers.map((v, i) => this.departS(v) + this.walkS(this.fromPatient, this.patient, v, this.volunteerSnaps[i]) + this.patientFloorS);
  }

  /** The AEDs' legs and lower bounds, most promising first (ties by id). */
  routeAeds(aeds: AedForPlanning[]): RoutedAed[] {
    // Walking is never faster than the straight line at full speed; 1 % slack absorbs the snapping's plane approximation.
    const straightS = (a: LatLng, b: LatLng): number => (0.99 * distanceM(a, b)) / this.config.walkSpeedMps;
    return aeds
      .map((aed) => {
        const toPatientS = this.walkS(this.fromPatient, this.patient, aed) + this.patientFloorS;
        const retrievalS = this.retrievalS(aed);
        const runnerS = Math.min(...this.volunteers.map((v) => this.departS(v) + straightS(v, aed)));
        return { aed, toPatientS, retrievalS, roundTripS: 2 * toPatientS + retrievalS, lowerBoundS: runnerS + retrievalS + toPatientS };
      })
      .sort((a, b) => a.lowerBoundS - b.lowerBoundS || (a.aed.id < b.aed.id ? -1 : a.aed.id > b.aed.id ? 1 : 0));
  }

  /**
   * Every volunteer as the runner for this AED (one Dijkstra from the AED).
   * @param maxWalkS walks longer than this may come back as Infinity (bounds the search)
   */
  runnersFor(routed: RoutedAed, maxWalkS: number): AedRunnerAssignment[] {
    this.routedCount++;
    const fromAed = this.graph === null ? null : timesFrom(this.graph, routed.aed, { maxTimeS: maxWalkS });
    return this.volunteers.map((v, i) => {
      const etaAtAedS = this.departS(v) + this.walkS(fromAed, routed.aed, v, this.volunteerSnaps[i]);
      return { volunteerId: v.id, aedId: routed.aed.id, etaS: etaAtAedS + routed.retrievalS + routed.toPatientS, etaAtAedS };
    });
  }

  /** Accepting the alert and coming down (or up) to the ground floor. */
  private departS(volunteer: VolunteerForPlanning): number {
    return this.config.acceptDelayS + floorTimeS(volunteer.level, this.config.stairSecondsPerFloor);
  }

  private retrievalS(aed: AedForPlanning): number {
    const indoorS = aed.indoor === true ? this.config.indoorRetrievalExtraS : 0;
    // Floors connect through the ground floor: up to the AED and back down.
    return this.config.aedRetrievalS + indoorS + 2 * floorTimeS(aed.level, this.config.stairSecondsPerFloor);
  }

  private walkS(from: TravelTimes | null, origin: LatLng, to: LatLng, toSnap?: Snap | null): number {
    return this.graph === null || from === null ? fallbackTimeS(this.config, origin, to) : travelTimeS(this.graph, from, to, toSnap);
  }
}
