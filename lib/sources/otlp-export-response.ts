import { z } from 'zod';

/**
 * The JSON form of OTLP's `ExportMetricsServiceResponse` as the panel's
 * receiver answers it: empty when every data point was applied, or a partial
 * success counting the data points it could not use. A protobuf request gets
 * the same message in protobuf.
 */
export const ZExportMetricsResponse = z.object({
  partialSuccess: z
    .object({
      rejectedDataPoints: z.number().int().positive(),
      errorMessage: z.string(),
    })
    .optional(),
});

/** The JSON form of the receiver's `ExportMetricsServiceResponse`. */
export type TExportMetricsResponse = z.infer<typeof ZExportMetricsResponse>;
