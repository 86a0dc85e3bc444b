import fc from 'fast-check';
import { nastyNumber, nastyString, nastyValue } from './fuzz-helpers.ts';

/** Random WebSocket frames: each client message type with fields valid, wrong or missing, and raw junk. */

export type Frame = { kind: 'text'; data: string } | { kind: 'binary'; data: Uint8Array };

const text = (data: string): Frame => ({ kind: 'text', data });

/** The field's plausible value three times in four, else a hostile one; sometimes absent. */
const field = (good: fc.Arbitrary<unknown>) => fc.oneof({ weight: 3, arbitrary: good }, { weight: 1, arbitrary: nastyValue });

const ref = fc.oneof(fc.string({ maxLength: 64 }), fc.string({ minLength: 65, maxLength: 200 }), nastyValue);
const seq = fc.oneof(fc.integer({ min: 0, max: 2_147_483_647 }), nastyNumber);

function message(type: string, fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Frame> {
  const model = Object.fromEntries(Object.entries(fields).map(([k, a]) => [k, field(a)]));
  return fc
    .record({
      type: fc.oneof({ weight: 9, arbitrary: fc.constant(type) }, { weight: 1, arbitrary: fc.oneof(nastyValue, fc.constant(type.toUpperCase())) }),
      ...model,
      ref,
    }, { requiredKeys: ['type'] })
    .map((m) => text(JSON.stringify(m)))
    // Past 64 KiB ws itself closes the socket (1009, by design: api/realtime/socket.ts); stay under it.
    .filter((f) => Buffer.byteLength(f.data) < 60_000);
}

/** Arbitraries of frames by message type, given a real token and incident to reach past validation. */
export function messageFrames(real: { token: string; incidentId: string; publicToken: string }): Record<string, fc.Arbitrary<Frame>> {
  const uuid = fc.oneof(fc.uuid(), fc.constant(real.incidentId));
  return {
    hello: message('hello', {
      auth: fc.oneof(
        fc.record({ kind: field(fc.constant('volunteer')), token: field(fc.oneof(fc.constant(real.token), fc.string({ minLength: 1, maxLength: 600 }))) }),
        fc.record({ kind: field(fc.constant('bystander')), incidentId: field(uuid), publicToken: field(fc.oneof(fc.constant(real.publicToken), nastyString)) }),
      ),
      lastSeq: fc.oneof(seq, fc.constant(null)),
    }),
    ping: message('ping', {}),
    position: message('position', {
      lat: fc.double({ min: -90, max: 90, noNaN: true }),
      lng: fc.double({ min: -180, max: 180, noNaN: true }),
      accuracyM: fc.double({ min: 0, max: 100_000, noNaN: true }),
      level: fc.integer({ min: -20, max: 200 }),
    }),
    ack: message('ack', { seq }),
    respond: message('respond', { incidentId: uuid, action: fc.constantFrom('accept', 'decline', 'arrived', 'maybe') }),
  };
}

/** Frames that are not messages at all. */
export const rawFrames: Record<string, fc.Arbitrary<Frame>> = {
  string: fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), nastyString.filter((s) => s.length < 16_000)).map(text),
  binary: fc.uint8Array({ maxLength: 600 }).map((data): Frame => ({ kind: 'binary', data })),
  json: fc.json({ maxDepth: 5 }).map(text),
  oversized: fc
    .tuple(fc.integer({ min: 16_385, max: 20_480 }), fc.constantFrom('a', '{', '"', 'é'), fc.boolean())
    .map(([n, c, asPing]) => text(asPing ? JSON.stringify({ type: 'ping', ref: c.repeat(n) }) : c.repeat(n))),
};
