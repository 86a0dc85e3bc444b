import { ConfigError, parseConfig } from './config.ts';
import { startServer } from './server.ts';

// Entry point of `npm start`: config → database → app → listen, then print where to go.
try {
  const config = parseConfig(process.env);
  const server = await startServer(config);
  const base = config.PUBLIC_URL?.replace(/\/$/, '') ?? `http://localhost:${server.port}`;
  console.log(
    [
      '',
      `Campus AED responder network is running on ${server.database.kind === 'pglite' ? 'embedded PGlite' : 'PostgreSQL'}.`,
      ...(server.demoQrCode ? [`  Bystander page (demo QR code): ${base}/e/${server.demoQrCode}`] : []),
      `  Volunteer app:   ${base}/responder`,
      `  Admin console:   ${base}/admin`,
      `  API docs:        ${base}/api/docs`,
      '',
    ].join('\n'),
  );
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
