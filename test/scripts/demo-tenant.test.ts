/**
 * fixtures/demo-tenant.json is generated (scripts/generate-demo-tenant.js, `npm run demo:generate`): regenerating
 * it must give the committed file byte for byte, so the fixture never drifts from its generator.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_TENANT_PATH, buildDemoTenant, demoTenantJson } from '../../scripts/generate-demo-tenant.js';

describe('the demo tenant fixture', () => {
  it('is what the generator writes, byte for byte', () => {
    const committed = readFileSync(DEMO_TENANT_PATH, 'utf8');
    const generated = demoTenantJson();
    // Compared as strings so a mismatch shows the differing lines; run `npm run demo:generate` after an intended change.
    expect(generated).toBe(committed);
  });

  it('is the same on every run', () => {
    expect(demoTenantJson()).toBe(demoTenantJson());
    expect(buildDemoTenant()).toEqual(buildDemoTenant());
  });
});
