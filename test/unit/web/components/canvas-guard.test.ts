import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { guardCanvasRedraw } from '../../../../web/src/components/campus-map/canvas-guard.ts';

/** Stands in for L.Canvas: a redraw clears the 2D context, which removal deletes. */
class FakeCanvas {
  _ctx?: { clearRect(): void } = { clearRect: () => {} };
  _redrawRequest: unknown = 42;
  drawn = 0;
  _redraw(): void {
    this._redrawRequest = null;
    this._ctx!.clearRect();
    this.drawn++;
  }
}
guardCanvasRedraw(FakeCanvas.prototype);
guardCanvasRedraw(FakeCanvas.prototype); // a second guard (another import) wraps once

describe('the canvas renderer guard', () => {
  it('drops a redraw that comes after the renderer lost its context, and forgets the request', () => {
    const removed = new FakeCanvas();
    delete removed._ctx;
    expect(() => removed._redraw()).not.toThrow();
    expect(removed._redrawRequest).toBeNull();
    expect(removed.drawn).toBe(0);
  });

  it('leaves a live renderer’s redraw alone', () => {
    const live = new FakeCanvas();
    live._redraw();
    live._redraw();
    expect(live.drawn).toBe(2);
  });

  it('matches the Leaflet installed: its canvas redraw clears this._ctx, which removal deletes', () => {
    const source = readFileSync(createRequire(import.meta.url).resolve('leaflet/dist/leaflet-src.js'), 'utf8');
    expect(source).toMatch(/_redraw: function \(\) \{[\s\S]{0,300}?this\._clear\(\);/);
    expect(source).toMatch(/_clear: function \(\) \{[\s\S]{0,200}this\._ctx\.clearRect/);
    expect(source).toMatch(/_destroyContainer: function \(\) \{\s*cancelAnimFrame\(this\._redrawRequest\);\s*delete this\._ctx;/);
  });
});
