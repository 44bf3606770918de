/**
 * A service or dependency of the map in words, for screen readers (the
 * drawing itself is a canvas). A dependency tells how many of the breakers
 * guarding it are open across the fleet, so one failing dependency stands
 * out however many services call it.
 */
export function MapNodeItem({ name, trippedOf }: { name: string; trippedOf: { tripped: number; of: number } | null }) {
  const label = trippedOf && trippedOf.tripped > 0 ? `${name}: ${trippedOf.tripped} of ${trippedOf.of} breakers open` : name;
  return <li aria-label={label}>{label}</li>;
}
