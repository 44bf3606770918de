/**
 * `npm run demo -- --url <panel> --key <service>=<api key> [--key …]`: runs
 * the demo fleet (server/demo/fleet-plan.ts) against any panel. A reporter
 * key is bound to one service, so give one per demo service you want
 * (create them with `npm run keys -- create <service>`); services without a
 * key are left out. Ctrl-C stops every instance.
 */
import { parseArgs } from 'node:util';
import { DEMO_FLEET } from '../server/demo/fleet-plan';
import { startDemoFleet } from '../server/demo/run-fleet';

const { values } = parseArgs({ options: { url: { type: 'string' }, key: { type: 'string', multiple: true }, help: { type: 'boolean' } } });
const services = DEMO_FLEET.map((service) => service.name);

function fail(message: string): never {
  process.stderr.write(`demo: ${message}\nusage: npm run demo -- --url http://localhost:3000 --key checkout=bp_… [--key search=bp_…]\nservices: ${services.join(', ')}\n`);
  process.exit(2);
}

if (values.help) fail('runs the demo fleet against a panel');
if (!values.url) fail('--url is required');
let url: URL;
try {
  url = new URL(values.url);
} catch {
  fail(`--url ${values.url} is not a URL`);
}
const keys = new Map<string, string>();
for (const item of values.key ?? []) {
  const [service, key] = item.split('=', 2);
  if (!service || !key) fail(`--key ${item}: give it as <service>=<key>, a key reports for one service only`);
  if (!services.includes(service)) fail(`--key ${item}: ${service} is not a demo service`);
  keys.set(service, key);
}
if (keys.size === 0) fail('give at least one --key');

const fleet = startDemoFleet({ url: url.origin, keys, onExit: (instance, code) => code !== 0 && process.stderr.write(`demo: ${instance} stopped (${code})\n`) });
process.stdout.write(`demo: ${fleet.processes} instances of ${[...keys.keys()].join(', ')} report to ${url.origin}; Ctrl-C stops them\n`);
const stop = () => void fleet.stop().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
