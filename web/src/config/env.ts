/**
 * The web app's build-time settings, parsed once from `import.meta.env`. Nothing else reads it.
 * Runtime settings (tile URL, emergency number) come from `GET /api/config`.
 */
export interface WebEnv {
  /** Base of the HTTP API, same origin by default. */
  apiBase: string;
  /** Path of the realtime WebSocket, same origin (ws:// or wss:// follows the page). */
  wsPath: string;
  /** The emergency number dialled before /api/config has answered (China: 120). */
  emergencyNumber: string;
}

function parseEnv(raw: Record<string, unknown>): WebEnv {
  const text = (key: string, fallback: string, pattern: RegExp): string => {
    const value = raw[key];
    if (value === undefined || value === '') return fallback;
    if (typeof value !== 'string' || !pattern.test(value)) throw new Error(`Invalid web setting ${key}: ${String(value)}`);
    return value;
  };
  return {
    apiBase: text('VITE_API_BASE', '/api', /^(https?:\/\/[^\s]+|\/[^\s]*)$/).replace(/\/$/, ''),
    wsPath: text('VITE_WS_PATH', '/api/ws', /^\/[^\s]*$/),
    emergencyNumber: text('VITE_EMERGENCY_NUMBER', '120', /^[0-9+]{2,15}$/),
  };
}

export const env: WebEnv = parseEnv((import.meta as { env?: Record<string, unknown> }).env ?? {});
