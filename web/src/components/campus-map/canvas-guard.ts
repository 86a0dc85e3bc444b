/**
 * Leaflet 1.9's canvas renderer can be asked to redraw after its map was removed: removing the
 * map removes its layers, each removal requests a frame, and a request made after the renderer's
 * own removal cancelled the last one still runs, then reads the deleted 2D context ("Cannot read
 * properties of undefined (reading 'clearRect')", seen in the volunteer app when a cancelled alert
 * closed its map). A redraw with no context has nothing to draw on, so it is dropped.
 *
 * Takes the renderer's prototype (L.Canvas.prototype) so that it can be tested without a DOM.
 */
export function guardCanvasRedraw(proto: object): void {
  const target = proto as { _redraw(this: CanvasLike): void; _guarded?: boolean };
  if (target._guarded) return;
  const redraw = target._redraw;
  target._redraw = function (this: CanvasLike) {
    if (this._ctx === undefined) {
      this._redrawRequest = null;
      return;
    }
    redraw.call(this);
  };
  target._guarded = true;
}

interface CanvasLike {
  _ctx?: unknown;
  _redrawRequest?: unknown;
}
