import { z } from 'zod';
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from '../../../lib/protocol/storable.js';

/**
 * The part of an OTLP `ExportMetricsServiceRequest` the receiver reads, in
 * its OTLP/JSON form (COMPAT.md §7.3): camelCase keys, 64-bit integers as
 * decimal strings (numbers accepted), enums as integers, unknown fields
 * ignored. Protobuf bodies are turned into the same form first
 * (otlp-protobuf.ts), so one schema names the offending field for both.
 * Histograms, gauges and other metric kinds pass unread.
 */
const ZInt64 = z.union([z.string().regex(/^-?\d+$/, 'must be a decimal integer'), z.number().int()]).transform((value) => Number(value));

/** Nanoseconds since the epoch, kept exact as a bigint (they exceed 2^53). */
const ZUnixNanos = z.union([z.string().regex(/^\d+$/, 'must be a decimal integer'), z.number().int().nonnegative()]).transform((value) => BigInt(value));

// Attribute text can become service, instance and breaker names: text Postgres cannot store is refused here, with its field.
const ZAnyValue = z.object({
  stringValue: z.string().refine(isStorableText, UNSTORABLE_TEXT_MESSAGE).optional(),
  boolValue: z.boolean().optional(),
  intValue: ZInt64.optional(),
  doubleValue: z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]).optional(),
});

const ZKeyValue = z.object({ key: z.string(), value: ZAnyValue.optional() });

export const ZAttributes = z.array(ZKeyValue).default([]);

/** Attributes as a map of their scalar values, as text (arrays and maps are not used by the conventions read here). */
export type TAttributes = z.infer<typeof ZAttributes>;

const ZNumberDataPoint = z.object({
  attributes: ZAttributes,
  startTimeUnixNano: ZUnixNanos.optional(),
  timeUnixNano: ZUnixNanos.optional(),
  asInt: ZInt64.optional(),
  asDouble: z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]).optional(),
});

export type TNumberDataPoint = z.infer<typeof ZNumberDataPoint>;

/** `AggregationTemporality`: 1 = DELTA, 2 = CUMULATIVE (0 = unspecified). */
export const AGGREGATION_TEMPORALITY_DELTA = 1;

const ZSum = z.object({
  dataPoints: z.array(ZNumberDataPoint).default([]),
  aggregationTemporality: z.number().int().min(0).max(2).optional(),
  isMonotonic: z.boolean().optional(),
});

const ZMetric = z.object({
  name: z.string().max(1_000),
  unit: z.string().optional(),
  sum: ZSum.optional(),
});

export type TMetric = z.infer<typeof ZMetric>;

const ZScopeMetrics = z.object({
  scope: z.object({ name: z.string().optional(), version: z.string().optional() }).optional(),
  metrics: z.array(ZMetric).default([]),
});

const ZResourceMetrics = z.object({
  resource: z.object({ attributes: ZAttributes }).optional(),
  scopeMetrics: z.array(ZScopeMetrics).default([]),
});

export const ZExportMetricsRequest = z.object({
  resourceMetrics: z.array(ZResourceMetrics).default([]),
});

export type TExportMetricsRequest = z.infer<typeof ZExportMetricsRequest>;

/** One attribute's value as text, or null when absent or not a scalar. */
export function attributeText(attributes: TAttributes, key: string): string | null {
  const value = attributes.find((attribute) => attribute.key === key)?.value;
  if (!value) return null;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return String(value.intValue);
  if (value.boolValue !== undefined) return String(value.boolValue);
  if (value.doubleValue !== undefined) return String(value.doubleValue);
  return null;
}
