// Types of scripts/generate-demo-tenant.js for the TypeScript tests (test/scripts/demo-tenant.test.ts).
import type { Snapshot } from '../src/core/snapshot.js';

/** Absolute path of fixtures/demo-tenant.json. */
export const DEMO_TENANT_PATH: string;

/** The demo tenant's snapshot (pure: the same object on every call). */
export function buildDemoTenant(): Snapshot;

/** The fixture's text: the snapshot as indented JSON with a final newline. */
export function demoTenantJson(): string;
