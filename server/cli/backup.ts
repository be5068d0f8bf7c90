// `npx tsx server/cli/backup.ts <target>`: an online backup of DATA_DIR/pod.sqlite while the server runs.
import { join } from 'node:path';
import { readEnv } from '../env.ts';
import { backupSqlite } from '../store/backup.ts';

const target = process.argv[2];
const env = readEnv();
if (!target || env.DATABASE_URL) {
  console.error(
    env.DATABASE_URL
      ? 'DATABASE_URL is set: back PostgreSQL up with pg_dump'
      : 'Usage: npx tsx server/cli/backup.ts <target file>',
  );
  process.exit(2);
}
backupSqlite(join(env.DATA_DIR, 'pod.sqlite'), target).then(
  ({ pages }) => console.log(`Backed up ${pages} pages to ${target}`),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
