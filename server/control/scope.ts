import type { TActionScope } from '../../lib/control/operator-action.js';
import type { TCommandScope } from '../../lib/protocol/command.js';
import type { TLabels } from '../../lib/protocol/identity.js';

/** Whether an instance falls in an action's scope: all, by name, or by every named label. */
export function inScope(scope: TActionScope, instance: { name: string; labels: TLabels }): boolean {
  if ('all' in scope) return true;
  if ('instances' in scope) return scope.instances.includes(instance.name);
  return Object.entries(scope.labels).every(([key, value]) => instance.labels[key] === value);
}

/** The scope as the reporter protocol states it, for the instance a command is sent to. */
export function commandScope(scope: TActionScope, instanceName: string): TCommandScope {
  if ('all' in scope) return { kind: 'service' };
  if ('instances' in scope) return { kind: 'instance', instanceId: instanceName };
  return { kind: 'labels', labels: scope.labels };
}

/** Words for the confirmation dialog and the audit: "all instances", "2 named instances", "zone=eu-1". */
export function describeScope(scope: TActionScope): string {
  if ('all' in scope) return 'all instances';
  if ('instances' in scope) return scope.instances.join(', ');
  return Object.entries(scope.labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
}
