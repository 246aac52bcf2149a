// The seeded generators moved to src/util/random.ts (the demo uses them too); re-exported for the generators here.
export * from '../../src/util/random.ts';
