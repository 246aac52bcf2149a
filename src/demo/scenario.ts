/**
 * The demo's cast and story, deterministic from a seed: who opened which sessions where, which
 * were denied, which ended with a TerminateSession and which only DescribeSessions knows the end
 * of. Every other part of the dataset (trail files, describe-sessions output, transcripts) is
 * derived from this list.
 */
import { base36, hex, type Rng, seededRng } from '../util/random.ts';

export interface DemoAccount {
  id: string;
  /** Organization id when the account's events come through an organization trail. */
  org?: string;
  regions: string[];
  targets: string[];
}

export interface DemoActor {
  kind: 'sso' | 'iam' | 'root' | 'untyped';
  name: string;
}

export interface DemoSession {
  sessionId: string;
  account: DemoAccount;
  region: string;
  actor: DemoActor;
  principalArn: string;
  target: string;
  documentName?: string;
  parameters?: Record<string, string[]>;
  reason?: string;
  startedAt: number;
  endedAt: number;
  /** How the end is known: a TerminateSession call, a DescribeSessions entry, or neither. */
  end: 'terminate' | 'describe' | 'none';
  sourceIp: string;
}

export interface DemoAttempt {
  account: DemoAccount;
  region: string;
  actor: DemoActor;
  principalArn: string;
  target: string;
  at: number;
  errorCode: 'AccessDenied' | 'TargetNotConnected';
  documentName?: string;
}

export interface DemoScenario {
  accounts: DemoAccount[];
  sessions: DemoSession[];
  attempts: DemoAttempt[];
  rng: Rng;
}

export const DEMO_ANCHOR = Date.parse('2026-11-23T00:00:00Z');
const SSO_ROLE = 'AWSReservedSSO_AdministratorAccess_7f3c2a9e1b4d6c80';

const ACCOUNTS: DemoAccount[] = [
  {
    id: '111122223333',
    org: 'o-a1b2c3d4e5',
    regions: ['ap-northeast-1', 'us-east-1'],
    targets: ['i-0a1b2c3d4e5f60718', 'i-0f9e8d7c6b5a43210', 'i-03c4d5e6f7a8b9c0d'],
  },
  {
    id: '444455556666',
    org: 'o-a1b2c3d4e5',
    regions: ['ap-northeast-1'],
    targets: ['i-0123456789abcdef0', 'mi-0a1b2c3d4e5f67890'],
  },
  { id: '777788889999', regions: ['eu-west-1'], targets: ['i-0aa11bb22cc33dd44'] },
  {
    id: '222233334444',
    regions: ['eu-central-1', 'us-west-2'],
    targets: ['i-0d1e2f3a4b5c6d7e8', 'i-0e2f3a4b5c6d7e8f9'],
  },
];
const ACTORS: DemoActor[] = [
  { kind: 'sso', name: 'tanaka.hiroshi@example.co.jp' },
  { kind: 'sso', name: 'sato.yuki@example.co.jp' },
  { kind: 'sso', name: 'j.smith@example.com' },
  { kind: 'iam', name: 'alice' },
  { kind: 'iam', name: 'deploy-bot' },
  { kind: 'root', name: 'root' },
  { kind: 'untyped', name: 'ops-automation' },
];
const REASONS = [
  '障害対応: nginx の再起動',
  'デプロイ後の確認',
  'Investigating disk usage alert',
  'DB メンテナンス',
  undefined,
  undefined,
];
const KINDS: Array<{ doc?: string; parameters?: Record<string, string[]> }> = [
  {},
  {},
  {},
  { doc: 'SSM-SessionManagerRunShell' },
  { doc: 'AWS-StartPortForwardingSession', parameters: { portNumber: ['5432'], localPortNumber: ['15432'] } },
  {
    doc: 'AWS-StartPortForwardingSessionToRemoteHost',
    parameters: { host: ['db.internal.example.com'], portNumber: ['3306'], localPortNumber: ['13306'] },
  },
  { doc: 'AWS-StartSSHSession', parameters: { portNumber: ['22'] } },
  { doc: 'AWS-StartInteractiveCommand', parameters: { command: ['sudo journalctl -u nginx -f'] } },
  { doc: 'Ops-RestrictedShell' },
];

export function principalArn(actor: DemoActor, account: string): string {
  switch (actor.kind) {
    case 'sso':
      return `arn:aws:sts::${account}:assumed-role/${SSO_ROLE}/${actor.name}`;
    case 'iam':
      return `arn:aws:iam::${account}:user/${actor.name}`;
    case 'root':
      return `arn:aws:iam::${account}:root`;
    case 'untyped':
      return `arn:aws:sts::${account}:assumed-role/OpsAutomation/${actor.name}`;
  }
}

export function ssoRoleName(): string {
  return SSO_ROLE;
}

/** @example const scenario = buildScenario(42); scenario.sessions.length // 40 */
export function buildScenario(seed = 42, count = 40): DemoScenario {
  const rng = seededRng(seed);
  const sessions: DemoSession[] = [];
  const attempts: DemoAttempt[] = [];
  for (let i = 0; i < count; i++) {
    const account = rng.pick(ACCOUNTS);
    const actor = i === 5 ? ACTORS[5]! : rng.pick(ACTORS.filter((a) => a.kind !== 'root'));
    const region = rng.pick(account.regions);
    const kind = rng.pick(KINDS);
    const startedAt = DEMO_ANCHOR + rng.int(0, 4 * 24 * 60) * 60_000 + rng.int(0, 59) * 1000;
    const caller = actor.kind === 'root' ? 'root' : actor.name;
    const sessionId = `${caller}-${rng.chance(0.4) ? hex(rng, 17) : base36(rng, 26)}`;
    sessions.push({
      sessionId,
      account,
      region,
      actor,
      principalArn: principalArn(actor, account.id),
      target: rng.pick(account.targets),
      documentName: kind.doc,
      parameters: kind.parameters,
      reason: rng.pick(REASONS),
      startedAt,
      endedAt: startedAt + rng.int(2, 95) * 60_000 + rng.int(0, 59) * 1000,
      end: rng.chance(0.3) ? 'terminate' : rng.chance(0.75) ? 'describe' : 'none',
      sourceIp: `203.0.113.${rng.int(2, 250)}`,
    });
  }
  for (let i = 0; i < 6; i++) {
    const account = rng.pick(ACCOUNTS);
    const actor = rng.pick(ACTORS.filter((a) => a.kind === 'sso' || a.kind === 'iam'));
    attempts.push({
      account,
      region: rng.pick(account.regions),
      actor,
      principalArn: principalArn(actor, account.id),
      target: rng.pick(account.targets),
      at: DEMO_ANCHOR + rng.int(0, 4 * 24 * 60) * 60_000,
      errorCode: i % 3 === 2 ? 'TargetNotConnected' : 'AccessDenied',
      documentName: i === 0 ? 'AWS-StartPortForwardingSession' : undefined,
    });
  }
  sessions.sort((a, b) => a.startedAt - b.startedAt);
  return { accounts: ACCOUNTS, sessions, attempts, rng };
}
