// Entry of `npm run rotate-secrets`; the work is in rotate-secrets-command.ts.
import { readEnv } from '../env.ts';
import { formatRotation, runRotateSecrets } from './rotate-secrets-command.ts';

runRotateSecrets(readEnv())
  .then((report) => console.log(formatRotation(report)))
  .catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
