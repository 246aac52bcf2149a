import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './src/store/sqlite/schema.ts',
  out: './migrations',
  // FTS5 virtual tables live in custom migrations; keep drizzle-kit from ever dropping them.
  tablesFilter: ['!commands_fts*', '!commands_words*'],
});
