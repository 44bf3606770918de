import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createMigratedDatabase, type TestDatabase } from '../fixtures/test-database';
import { diffShapes, shapeFromDatabase, shapeFromPrismaSchema, type SchemaShape } from '../fixtures/schema-shape';

const SCHEMA_PATH = path.resolve(import.meta.dirname, '../../prisma/schema.prisma');

describe('schema.prisma and the migrated database', () => {
  let database: TestDatabase;
  let schemaText: string;
  let migrated: SchemaShape;

  beforeAll(async () => {
    database = await createMigratedDatabase(inject('postgresAdminUrl'));
    schemaText = await readFile(SCHEMA_PATH, 'utf8');
    migrated = await shapeFromDatabase(database.url);
  });
  afterAll(() => database?.drop());

  it('agree on every model, column, type, nullability, default, unique, index, foreign key and enum', () => {
    const declared = shapeFromPrismaSchema(schemaText);
    expect(Object.keys(declared.tables).length).toBeGreaterThanOrEqual(14);
    expect(diffShapes(declared, migrated)).toEqual([]);
  });

  it('disagree when a column is added to schema.prisma without a migration', () => {
    const withExtraColumn = schemaText.replace(/(model Service \{\n)/, '$1  region String?\n');
    expect(withExtraColumn).not.toBe(schemaText);
    expect(diffShapes(shapeFromPrismaSchema(withExtraColumn), migrated)).toEqual(['services.region: schema.prisma says {"type":"text","nullable":true,"default":null}, the database has undefined']);
  });

  it('disagree when an index or a default differs', () => {
    const changed = schemaText.replace('  @@index([serviceId, at])\n', '').replace('isDemo    Boolean  @default(false)', 'isDemo    Boolean  @default(true)');
    const differences = diffShapes(shapeFromPrismaSchema(changed), migrated);
    expect(differences).toHaveLength(2);
    expect(differences.join('\n')).toMatch(/services\.is_demo/);
    expect(differences.join('\n')).toMatch(/transitions indexes/);
  });
});
