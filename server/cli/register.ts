// Entry of `npm run register`; the work is in register-command.ts.
import { readEnv } from '../env.ts';
import { formatReport, parseArgs, runRegister, usage } from './register-command.ts';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log(usage);
    return;
  }
  const report = await runRegister(args, readEnv());
  console.log(formatReport(report));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
