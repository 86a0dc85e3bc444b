import { describe, expect, it } from 'vitest';
import type { OutboxEvent } from '../../../api/db/outbox-repository.ts';
import { MAX_CLIENT_MESSAGE_BYTES, parseClientMessage, serializeEventFrame, serverMessage } from '../../../api/realtime/messages.ts';

const incidentId = '6f1c1f9e-1a51-4c3e-9a0e-2b8f0b1d6c11';

function event(overrides: Partial<OutboxEvent> = {}): OutboxEvent {
  return { id: 1, recipient: 'user:x', seq: 7, incidentId, type: 'alert', payload: { role: 'cpr', etaS: 95 }, createdAt: new Date(0), ...overrides };
}

describe('parseClientMessage', () => {
  it('accepts a volunteer hello with a last seen seq', () => {
    const parsed = parseClientMessage(JSON.stringify({ type: 'hello', auth: { kind: 'volunteer', token: 't' }, lastSeq: 12 }));
    expect(parsed).toEqual({ ok: true, message: { type: 'hello', auth: { kind: 'volunteer', token: 't' }, lastSeq: 12 } });
  });

  it('accepts a bystander hello and a hello without lastSeq', () => {
    const parsed = parseClientMessage(JSON.stringify({ type: 'hello', auth: { kind: 'bystander', incidentId, publicToken: 'p' } }));
    expect(parsed.ok).toBe(true);
  });

  it('accepts ping, position, ack and respond', () => {
    for (const message of [
      { type: 'ping', ref: 'r1' },
      { type: 'position', lat: 39.9042, lng: 116.4074, accuracyM: 8, level: 2 },
      { type: 'ack', seq: 3 },
      { type: 'respond', incidentId, action: 'accept' },
    ]) {
      expect(parseClientMessage(JSON.stringify(message))).toEqual({ ok: true, message });
    }
  });

  it('refuses text that is not JSON', () => {
    expect(parseClientMessage('{nope')).toMatchObject({ ok: false, message: expect.stringMatching(/JSON/) });
  });

  it('refuses an unknown type and names the path of each issue', () => {
    const parsed = parseClientMessage(JSON.stringify({ type: 'launch', ref: 'abc' }));
    expect(parsed).toMatchObject({ ok: false, ref: 'abc', issues: [expect.objectContaining({ path: 'type' })] });
  });

  it('refuses coordinates out of range', () => {
    const parsed = parseClientMessage(JSON.stringify({ type: 'position', lat: 91, lng: 200 }));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues?.map((i) => i.path).sort()).toEqual(['lat', 'lng']);
  });

  it('refuses numbers that JSON smuggles in as strings and non-integer seqs', () => {
    expect(parseClientMessage('{"type":"position","lat":"1","lng":2}').ok).toBe(false);
    expect(parseClientMessage('{"type":"ack","seq":1.5}').ok).toBe(false);
    expect(parseClientMessage('{"type":"ack","seq":-1}').ok).toBe(false);
  });

  it('refuses a respond with an unknown action or a malformed incident id', () => {
    expect(parseClientMessage(JSON.stringify({ type: 'respond', incidentId, action: 'maybe' })).ok).toBe(false);
    expect(parseClientMessage(JSON.stringify({ type: 'respond', incidentId: 'x', action: 'accept' })).ok).toBe(false);
  });

  it('refuses a hello without credentials', () => {
    expect(parseClientMessage(JSON.stringify({ type: 'hello', auth: { kind: 'volunteer', token: '' } })).ok).toBe(false);
    expect(parseClientMessage(JSON.stringify({ type: 'hello' })).ok).toBe(false);
  });

  it('refuses messages past the size limit, counting UTF-8 bytes', () => {
    const big = JSON.stringify({ type: 'ping', ref: 'x', pad: 'é'.repeat(MAX_CLIENT_MESSAGE_BYTES / 2) });
    expect(big.length).toBeLessThan(MAX_CLIENT_MESSAGE_BYTES);
    expect(parseClientMessage(big)).toMatchObject({ ok: false, message: expect.stringMatching(/limited/) });
  });
});

describe('serializeEventFrame', () => {
  it('puts the payload next to the event type in a valid event frame', () => {
    const frame = JSON.parse(serializeEventFrame(event()));
    expect(frame).toEqual({ type: 'event', seq: 7, incidentId, event: { type: 'alert', role: 'cpr', etaS: 95 } });
    expect(serverMessage.safeParse(frame).success).toBe(true);
  });

  it('handles an empty payload and an event without incident', () => {
    expect(JSON.parse(serializeEventFrame(event({ payload: {}, incidentId: null })))).toEqual({ type: 'event', seq: 7, incidentId: null, event: { type: 'alert' } });
  });

  it('escapes strings in the type and payload', () => {
    const frame = JSON.parse(serializeEventFrame(event({ type: 'a"b', payload: { text: 'line\n"quoted"' } })));
    expect(frame.event).toEqual({ type: 'a"b', text: 'line\n"quoted"' });
  });
});
