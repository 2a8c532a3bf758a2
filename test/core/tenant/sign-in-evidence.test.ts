/** evaluation.md §9: sign-in evidence — contradictions, federated accounts, and fail never becoming pass. */
import { describe, expect, it } from 'vitest';
import { GRAPH_KEYS, federationConfigurationKey } from '../../../src/core/snapshot.js';
import { ALICE, MFA_ALL, account, audit, complete, user } from './build.js';

const CHANGED = '2026-11-01T00:00:00Z';
const MFA_DATED = { ...MFA_ALL, createdDateTime: '2026-01-01T00:00:00Z', modifiedDateTime: CHANGED };

/** A signIn row as Graph returns it (the properties mfa-audit reads). */
function signIn(userId: string, time: string, requirement: string, extra: Record<string, unknown> = {}) {
  return {
    id: `s-${userId}-${time}`,
    createdDateTime: time,
    userId,
    userPrincipalName: 'x',
    appId: '00000003-0000-0ff1-ce00-000000000000',
    appDisplayName: 'Office 365 SharePoint Online',
    clientAppUsed: 'Browser',
    ipAddress: '203.0.113.9',
    location: { city: 'Lyon', state: 'Rhone', countryOrRegion: 'FR' },
    status: { errorCode: 0 },
    authenticationRequirement: requirement,
    ...extra,
  };
}

const WINDOW = { from: '2026-10-22T00:00:00Z', to: '2026-11-20T00:00:00Z', truncated: false };

describe('sign-in evidence', () => {
  it('a pass with a single-factor success after the policies last changed: unknown, with a high finding naming it', () => {
    const r = audit(
      complete([ALICE], [MFA_DATED], {
        [GRAPH_KEYS.signIns]: [signIn(ALICE.id!, '2026-11-10T08:00:00Z', 'singleFactorAuthentication')],
        [GRAPH_KEYS.signInWindow]: WINDOW,
      }),
    );
    const a = account(r, ALICE.userPrincipalName!);
    expect(a.verdict).toBe('unknown');
    expect(a.engineVerdict).toBe('pass');
    expect(a.reasons.join(' ')).toContain('2026-11-10T08:00:00Z to Office 365 SharePoint Online (Browser)');
    expect(a.evidence).toEqual({
      window: { from: WINDOW.from, to: WINDOW.to },
      singleFactor: {
        count: 1,
        last: {
          time: '2026-11-10T08:00:00Z',
          app: 'Office 365 SharePoint Online',
          client: 'Browser',
          ip: '203.0.113.9',
          location: 'Lyon, Rhone, FR',
        },
      },
      mfa: { count: 0 },
    });
    const f = r.findings.find((x) => x.id === 'sign-in-contradicts-pass')!;
    expect(f.severity).toBe('high');
    expect(f.message).toContain('alice@contoso.com at 2026-11-10T08:00:00Z');
    expect(r.signIns).toEqual({ window: { from: WINDOW.from, to: WINDOW.to }, truncated: false });
    expect(r.summary).toMatchObject({ pass: 0, unknown: 1 });
  });
  it('a single-factor success before the last change, a failed sign-in, or an MFA one: the pass stands', () => {
    const r = audit(
      complete([ALICE], [MFA_DATED], {
        [GRAPH_KEYS.signIns]: [
          signIn(ALICE.id!, '2026-10-25T08:00:00Z', 'singleFactorAuthentication'),
          signIn(ALICE.id!, '2026-11-10T08:00:00Z', 'singleFactorAuthentication', { status: { errorCode: 50126 } }),
          signIn(ALICE.id!, '2026-11-11T08:00:00Z', 'multiFactorAuthentication'),
        ],
      }),
    );
    const a = account(r, ALICE.userPrincipalName!);
    expect(a.verdict).toBe('pass');
    expect(a.engineVerdict).toBeUndefined();
    expect(a.evidence!.singleFactor.count).toBe(1);
    expect(a.evidence!.mfa.count).toBe(1);
    expect(r.findings.map((f) => f.id)).not.toContain('sign-in-contradicts-pass');
    // No window key: the window is that of the rows.
    expect(r.signIns!.window).toEqual({ from: '2026-10-25T08:00:00Z', to: '2026-11-11T08:00:00Z' });
  });
  it('fail never becomes pass, whatever the sign-ins show', () => {
    const r = audit(
      complete([ALICE], [], {
        [GRAPH_KEYS.signIns]: [signIn(ALICE.id!, '2026-11-11T08:00:00Z', 'multiFactorAuthentication')],
        [GRAPH_KEYS.signInWindow]: { ...WINDOW, users: { [ALICE.id!]: { mfa: 40, mfaByClaim: 0, singleFactor: 0 } } },
      }),
    );
    const a = account(r, ALICE.userPrincipalName!);
    expect(a.verdict).toBe('fail');
    expect(a.evidence!.mfa.count).toBe(40);
  });
  describe('federated accounts', () => {
    const fed = user('u-fed', 'fiona@fabrikam.com');
    const domains = {
      [GRAPH_KEYS.domains]: [
        { id: 'contoso.com', authenticationType: 'Managed' },
        { id: 'fabrikam.com', authenticationType: 'Federated' },
      ],
      [federationConfigurationKey('fabrikam.com')]: [
        { id: 'f1', federatedIdpMfaBehavior: 'acceptIfMfaDoneByFederatedIdp' },
      ],
    };
    const byClaim = {
      authenticationDetails: [{ authenticationStepResultDetail: 'MFA requirement satisfied by claim in the token' }],
    };
    it('every sign-in shows MFA satisfied by the IdP claim: still unknown, and says so', () => {
      const a = account(
        audit(
          complete([fed], [], {
            ...domains,
            [GRAPH_KEYS.signIns]: [
              signIn('u-fed', '2026-11-11T08:00:00Z', 'multiFactorAuthentication', byClaim),
              signIn('u-fed', '2026-11-12T08:00:00Z', 'multiFactorAuthentication', byClaim),
            ],
          }),
        ),
        'fiona@fabrikam.com',
      );
      expect(a.verdict).toBe('unknown');
      expect(a.evidence!.mfa).toEqual({ count: 2, byFederatedClaim: 2 });
      expect(a.reasons.join(' ')).toMatch(/All 2 successful sign-ins .* satisfied by the identity provider's claim/);
    });
    it('a single-factor success: fail, with that sign-in as its gap', () => {
      const r = audit(
        complete([fed], [], {
          ...domains,
          [GRAPH_KEYS.signIns]: [
            signIn('u-fed', '2026-11-11T08:00:00Z', 'multiFactorAuthentication', byClaim),
            signIn('u-fed', '2026-11-12T08:00:00Z', 'singleFactorAuthentication', { clientAppUsed: 'IMAP4' }),
          ],
        }),
      );
      const a = account(r, 'fiona@fabrikam.com');
      expect(a.verdict).toBe('fail');
      expect(a.engineVerdict).toBe('unknown');
      expect(a.gaps[0]!.description).toContain('2026-11-12T08:00:00Z to Office 365 SharePoint Online (IMAP4)');
      expect(r.summary.fail).toBe(1);
    });
  });
  it('absent keys change nothing', () => {
    const r = audit(complete([ALICE], [MFA_DATED]));
    expect(r.signIns).toBeUndefined();
    expect(account(r, ALICE.userPrincipalName!).evidence).toBeUndefined();
    expect(account(r, ALICE.userPrincipalName!).verdict).toBe('pass');
  });
});
