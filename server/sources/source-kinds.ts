import type { TSourceKind } from '../../lib/sources/source';
import type { SourceKindDefinition } from './source-adapter';

/** The kinds of source this server reads, by the `kind` stored in the sources table. */
export const SOURCE_KINDS: Partial<Record<TSourceKind, SourceKindDefinition>> = {};
