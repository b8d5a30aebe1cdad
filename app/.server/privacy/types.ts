// The kinds of personal detail the anonymizer replaces. Placeholders are `[TYPE_n]`, numbered per exchange.
export const ENTITY_TYPES = ['PERSON', 'EMAIL', 'PHONE', 'EMPLOYEE_ID', 'ADDRESS', 'SITE'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export interface DetectedEntity {
  type: EntityType;
  start: number;
  end: number;
  text: string;
}

/** Distinct entities replaced, per type: what lineage may record (counts only, never the entities). */
export type EntityCounts = Record<EntityType, number>;

export const emptyCounts = (): EntityCounts => ({ PERSON: 0, EMAIL: 0, PHONE: 0, EMPLOYEE_ID: 0, ADDRESS: 0, SITE: 0 });
