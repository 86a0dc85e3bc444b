import { defineConfig } from 'drizzle-kit';

// Only used by `npm run db:generate`: it diffs the schema against the committed migrations and needs
// no database. The app applies migrations itself at start-up (api/db/migrate.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: './api/db/schema/index.ts',
  out: './api/db/migrations',
  casing: 'snake_case',
});
