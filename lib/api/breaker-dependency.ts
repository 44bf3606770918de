/**
 * The dependency a breaker protects, as the dependency map draws it.
 *
 * Breakers carry no dependency field (the reporter protocol has labels per
 * instance, not per breaker), and by convention a breaker is named for what it
 * guards (`payments-api`). So the dependency is the breaker's name, cut
 * before an operation suffix: `payments-api:charge`, `payments-api/refunds`
 * and `payments-api#eu` all protect `payments-api`. A URL-like name is read
 * for its host: `https://api.stripe.com:443/v1` protects `api.stripe.com`.
 * The rule is in docs/map.md.
 */
export function dependencyOf(breakerName: string): string {
  const name = breakerName.trim();
  const withoutScheme = name.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const cut = withoutScheme.search(/[:/#]/);
  const head = (cut === -1 ? withoutScheme : withoutScheme.slice(0, cut)).trim();
  return head || name;
}
