/**
 * Dijkstra over the walking graph's CSR arrays with a binary heap on typed arrays.
 */
import type { WalkingGraph } from './walking-graph.ts';

/** A start of the search: a node reached after `timeS` seconds. */
export interface Seed {
  node: number;
  timeS: number;
}

/**
 * Shortest walking time from the seeds to every node.
 * @param maxTimeS stop once every node within this many seconds is settled; farther nodes stay Infinity
 * @returns seconds per node (Infinity when unreachable or beyond maxTimeS)
 */
export function shortestTimesS(graph: WalkingGraph, seeds: Seed[], maxTimeS = Infinity): Float64Array {
  const timesS = new Float64Array(graph.nodeCount).fill(Infinity);
  const heap = new MinHeap(Math.max(16, seeds.length));
  for (const { node, timeS } of seeds) {
    if (timeS < timesS[node] && timeS <= maxTimeS) {
      timesS[node] = timeS;
      heap.push(timeS, node);
    }
  }
  const { adjOffset, adjNode, adjCostS } = graph;
  while (heap.size > 0) {
    const timeS = heap.topKey();
    const node = heap.pop();
    if (timeS > timesS[node]) continue; // a stale entry: the node was settled sooner
    for (let i = adjOffset[node]; i < adjOffset[node + 1]; i++) {
      const next = adjNode[i];
      const candidateS = timeS + adjCostS[i];
      if (candidateS < timesS[next] && candidateS <= maxTimeS) {
        timesS[next] = candidateS;
        heap.push(candidateS, next);
      }
    }
  }
  return timesS;
}

/** Binary min-heap of (key, value) with lazy deletion; grows by doubling. */
class MinHeap {
  private keys: Float64Array;
  private values: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.keys = new Float64Array(capacity);
    this.values = new Int32Array(capacity);
  }

  topKey(): number {
    return this.keys[0];
  }

  push(key: number, value: number): void {
    if (this.size === this.keys.length) this.grow();
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.keys[parent] <= key) break;
      this.keys[i] = this.keys[parent];
      this.values[i] = this.values[parent];
      i = parent;
    }
    this.keys[i] = key;
    this.values[i] = value;
  }

  /** Removes the smallest entry. @returns its value */
  pop(): number {
    const top = this.values[0];
    const key = this.keys[--this.size];
    const value = this.values[this.size];
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && this.keys[child + 1] < this.keys[child]) child++;
      if (this.keys[child] >= key) break;
      this.keys[i] = this.keys[child];
      this.values[i] = this.values[child];
      i = child;
    }
    this.keys[i] = key;
    this.values[i] = value;
    return top;
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    keys.set(this.keys);
    const values = new Int32Array(this.values.length * 2);
    values.set(this.values);
    this.keys = keys;
    this.values = values;
  }
}
