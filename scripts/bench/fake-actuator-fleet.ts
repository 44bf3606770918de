import { createFakeBreakerService, type FakeBreakerService } from '../../tests/fixtures/fake-breaker-service';

/**
 * `npm run bench:sources`'s watched services: BENCH_TARGETS fake Spring Boot
 * actuators (tests/fixtures/fake-breaker-service.ts) on loopback ports in
 * this one process, each with BENCH_BREAKERS breakers taking calls, so that
 * every read finds new events. Sends their base URLs to the parent.
 */
const targets = Number(process.env.BENCH_TARGETS ?? 1000);
const breakers = Number(process.env.BENCH_BREAKERS ?? 5);
const names = Array.from({ length: breakers }, (_, index) => `dependency-${index + 1}`);
const services: FakeBreakerService[] = [];
const urls: string[] = [];
for (let index = 0; index < targets; index++) {
  const service = createFakeBreakerService({ breakers: names });
  urls.push(`${await service.start()}/actuator`);
  services.push(service);
}
process.send!({ event: 'listening', urls });

// A tenth of the services take a few calls every second; now and then a breaker opens and closes again.
let tick = 0;
const traffic = setInterval(() => {
  tick += 1;
  for (let index = tick % 10; index < services.length; index += 10) {
    const breaker = names[(index + tick) % names.length]!;
    services[index]!.script({ op: 'calls', breaker, success: 8, failure: 2 });
    if ((index + tick) % 97 === 0) services[index]!.script({ op: 'state', breaker, state: 'OPEN' });
    if ((index + tick) % 97 === 5) services[index]!.script({ op: 'state', breaker, state: 'CLOSED' });
  }
}, 1_000);

process.on('disconnect', () => {
  clearInterval(traffic);
  void Promise.all(services.map((service) => service.stop())).then(() => process.exit(0));
});
