/** The textual form of a UUID, the id of every row the panel creates (gen_random_uuid). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a string can be a row id: anything else is answered "not found" before the database sees it. */
export const isUuid = (value: string): boolean => UUID_PATTERN.test(value);
