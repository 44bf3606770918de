/**
 * What a newcomer needs on the console after `npm start`, in plain words (the
 * structured logs stay JSON): where to go, how to sign in, what the demo is,
 * and where the data lives.
 */
export function printStartBanner(
  facts: { url: string; adminEmail: string | null; passwordShownAbove: boolean; demoProcesses: number | null; dataDir: string | null },
  write: (text: string) => void = (text) => process.stdout.write(text),
): void {
  const lines = [`Breaker Panel is running at ${facts.url}`];
  if (facts.adminEmail)
    lines.push(`  sign in as   ${facts.adminEmail}${facts.passwordShownAbove ? ' with the password printed above' : ' (the password printed at the first start, or ADMIN_PASSWORD)'}`);
  if (facts.demoProcesses !== null) lines.push(`  demo fleet   ${facts.demoProcesses} service instances report scripted incidents (start with DEMO=off to run without them)`);
  if (facts.dataDir) lines.push(`  data         ${facts.dataDir} (embedded Postgres; set DATABASE_URL to use your own)`);
  lines.push('  stop         Ctrl-C');
  write(`\n${lines.join('\n')}\n\n`);
}
