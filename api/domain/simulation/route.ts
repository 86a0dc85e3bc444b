/**
 * Walking routes as polylines, and trips along them: what a simulated volunteer in a live drill walks,
 * so their reported positions follow the walkways. Distances in metres, times in seconds.
 */
import type { DispatchConfig } from '../config.ts';
import { floorTimeS, snapToGraph, timesFrom } from '../travel-time.ts';
import type { AedForPlanning, LatLng, PatientLocation } from '../types.ts';
import type { WalkingGraph } from '../walking-graph.ts';
import { pointAlong, polylineLengthM } from './sampling.ts';

/**
 * The shortest walking route from `from` to `to` on the graph, as a polyline from `from` to `to`
 * (their snaps and the nodes between). A straight line when either end is off the graph or the two
 * lie on pieces of network that do not connect.
 * @throws InvalidCoordinateError
 */
export function routeBetween(graph: WalkingGraph, from: LatLng, to: LatLng): LatLng[] {
  const start = snapToGraph(graph, from);
  const toTarget = timesFrom(graph, to);
  const end = toTarget.snap;
  if (start === null || end === null || graph.component[graph.edgeFrom[start.edge]] !== graph.component[graph.edgeFrom[end.edge]]) return [from, to];
  if (start.edge === end.edge) return [from, start.point, end.point, to];
  const times = toTarget.nodeTimesS;
  const cost = graph.edgeCostS[start.edge];
  const viaFrom = start.t * cost + times[graph.edgeFrom[start.edge]];
  const viaTo = (1 - start.t) * cost + times[graph.edgeTo[start.edge]];
  let node = viaFrom <= viaTo ? graph.edgeFrom[start.edge] : graph.edgeTo[start.edge];
  const path = [from, start.point, nodeAt(graph, node)];
  const isEnd = (n: number) => n === graph.edgeFrom[end.edge] || n === graph.edgeTo[end.edge];
  // Walk down the Dijkstra times towards the target: each step to the neighbour on a shortest path.
  for (let steps = 0; !isEnd(node) && steps < graph.nodeCount; steps++) {
    let next = -1;
    let bestS = Infinity;
    for (let i = graph.adjOffset[node]; i < graph.adjOffset[node + 1]; i++) {
      const viaS = graph.adjCostS[i] + times[graph.adjNode[i]];
      if (viaS < bestS) [bestS, next] = [viaS, graph.adjNode[i]];
    }
    if (next < 0) break;
    node = next;
    path.push(nodeAt(graph, node));
  }
  path.push(end.point, to);
  return path;
}

/** A trip: legs walked at one speed, with a stop between legs (taking an AED out) and at the end (stairs). */
export class Trip {
  private readonly lengthsM: number[];
  /** Seconds from setting off to arriving, stops included. */
  readonly durationS: number;

  /**
   * @param legs polylines walked one after another
   * @param speedMps walking speed
   * @param stopS seconds spent at the end of each leg but the last
   * @param endS seconds spent after the last leg (stairs to the patient's floor)
   */
  constructor(
    private readonly legs: LatLng[][],
    private readonly speedMps: number,
    private readonly stopS = 0,
    endS = 0,
  ) {
    this.lengthsM = legs.map(polylineLengthM);
    this.durationS = this.lengthsM.reduce((sum, m) => sum + m / speedMps, 0) + stopS * Math.max(0, legs.length - 1) + endS;
  }

  /** Where the walker is `elapsedS` after setting off (the trip's end once it is over). */
  positionAt(elapsedS: number): LatLng {
    let left = Math.max(0, elapsedS);
    for (let i = 0; i < this.legs.length; i++) {
      const legS = this.lengthsM[i] / this.speedMps;
      if (left <= legS) return pointAlong(this.legs[i], left * this.speedMps);
      left -= legS + (i < this.legs.length - 1 ? this.stopS : 0);
      if (left < 0) return this.legs[i][this.legs[i].length - 1];
    }
    const last = this.legs[this.legs.length - 1];
    return last[last.length - 1];
  }
}

/**
 * A responder's trip from `from` to the patient, via `aed` when they bring one: the walking routes,
 * the AED's retrieval (cabinet, indoor search, its floor up and down) and the stairs to the patient's
 * floor, timed as the planner times them.
 * @throws InvalidCoordinateError
 */
export function responderTrip(
  graph: WalkingGraph,
  config: DispatchConfig,
  from: LatLng,
  patient: PatientLocation,
  speedMps: number,
  aed: Pick<AedForPlanning, 'lat' | 'lng' | 'level' | 'indoor'> | null,
): Trip {
  const endS = floorTimeS(patient.level, config.stairSecondsPerFloor);
  if (aed === null) return new Trip([routeBetween(graph, from, patient)], speedMps, 0, endS);
  const retrievalS = config.aedRetrievalS + (aed.indoor === true ? config.indoorRetrievalExtraS : 0) + 2 * floorTimeS(aed.level, config.stairSecondsPerFloor);
  return new Trip([routeBetween(graph, from, aed), routeBetween(graph, aed, patient)], speedMps, retrievalS, endS);
}

function nodeAt(graph: WalkingGraph, node: number): LatLng {
  return { lat: graph.nodeLat[node], lng: graph.nodeLng[node] };
}
