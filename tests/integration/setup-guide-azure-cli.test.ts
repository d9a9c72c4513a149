/**
 * The generated Azure CLI script run by bash against a stand-in `az` that records its arguments:
 * hostile names and addresses arrive as exactly one argument each, nothing in them runs, and the
 * last line is the JSON paste-back accepts.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { azureCliScript } from '@/lib/setup-guide/azure-cli';
import { parsePasteBack } from '@/lib/setup-guide/paste-back';
import type { GuideInputs, ScenarioId } from '@/lib/setup-guide/scenarios';
import { psArgument } from '@/tests/support/powershell-literal';

const run = promisify(execFile);
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const APP_ID = '11111111-2222-3333-4444-555555555555';
const SP_ID = '99999999-8888-7777-6666-555555555555';
// Entra secrets use a small alphabet; these characters check the JSON escaping all the same.
const SECRET = 'Q_e8Q~se"cr\\et';
const ROLE_ID = 'aaaaaaaa-0000-0000-0000-000000000001';

let dir: string;
let marker: string;

const STUB = `#!/usr/bin/env bash
{ printf '%s\\x1f' "$@"; printf '\\x1e'; } >> "$AZ_LOG"
case "$1 $2 $3" in
  "account show "*) [[ "$*" == *tenantId* ]] && echo "${TENANT}"; exit 0 ;;
  "ad sp show") if [[ "$*" == *"[?value=="* ]]; then echo "${ROLE_ID}"; else echo "bbbbbbbb-0000-0000-0000-00000000000b"; fi ;;
  "ad app create") echo "${APP_ID}" ;;
  "ad sp create") echo "${SP_ID}" ;;
  "ad app credential") printf '%s\\n' '${SECRET}' ;;
esac
`;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailroom-az-'));
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.writeFileSync(path.join(dir, 'bin', 'az'), STUB, { mode: 0o755 });
  marker = path.join(dir, 'pwned');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function runScript(scenario: ScenarioId, patch: Partial<GuideInputs>) {
  const inputs: GuideInputs = {
    scenario,
    cloud: 'global',
    tenant: TENANT,
    clientId: '',
    appName: 'Mailroom',
    sender: 'helpdesk@contoso.com',
    redirectUri: 'https://mailroom.example.com/api/oauth/callback',
    secretMonths: 6,
    today: new Date('2026-11-28T09:00:00Z'),
    ...patch,
  };
  const file = path.join(dir, `${scenario}.sh`);
  const log = path.join(dir, `${scenario}.log`);
  fs.writeFileSync(file, azureCliScript(inputs));
  fs.writeFileSync(log, '');
  const { stdout, stderr } = await run('bash', [file], {
    env: { ...process.env, PATH: `${path.join(dir, 'bin')}:${process.env.PATH}`, AZ_LOG: log },
  });
  const calls = fs
    .readFileSync(log, 'utf8')
    .split('\x1e')
    .filter(Boolean)
    .map((c) => c.split('\x1f').slice(0, -1));
  return { stdout, stderr, calls, inputs };
}

const argAfter = (call: string[], flag: string) => call[call.indexOf(flag) + 1];

describe('Azure CLI script under bash', () => {
  it('passes a hostile name and sender as single arguments, runs nothing in them, and ends with the JSON to paste', async () => {
    const appName = `Mailroom $(touch ${marker}) \`touch ${marker}\` ; touch ${marker} & 'single' "double" 100% \\n back\\slash`;
    // Valid as an address, and full of what a shell would expand.
    const sender = "o'brien+$HOME`id`&{x}|y%s@contoso.com";
    const { stdout, stderr, calls } = await runScript('smtp-app', { appName, sender });

    expect(fs.existsSync(marker)).toBe(false);
    const create = calls.find((c) => c[0] === 'ad' && c[1] === 'app' && c[2] === 'create')!;
    expect(argAfter(create, '--display-name')).toBe(appName);
    expect(argAfter(create, '--web-redirect-uris')).toBe('https://mailroom.example.com/api/oauth/callback');
    const permission = calls.find((c) => c.slice(0, 4).join(' ') === 'ad app permission add')!;
    expect(argAfter(permission, '--api-permissions')).toBe(`${ROLE_ID}=Role`);
    const consent = calls.find((c) => c[0] === 'rest')!;
    expect(JSON.parse(argAfter(consent, '--body'))).toEqual({
      principalId: SP_ID,
      resourceId: 'bbbbbbbb-0000-0000-0000-00000000000b',
      appRoleId: ROLE_ID,
    });
    expect(
      argAfter(
        calls.find((c) => c.slice(0, 4).join(' ') === 'ad app credential reset')!,
        '--end-date',
      ),
    ).toBe('2027-05-28');

    // The Exchange Online lines it prints carry the new ids and the values as PowerShell literals.
    const printed = stderr.split('\n');
    const newSp = printed.find((l) => l.startsWith('New-ServicePrincipal'))!;
    expect(psArgument(newSp, '-AppId')).toBe(APP_ID);
    expect(psArgument(newSp, '-ObjectId')).toBe(SP_ID);
    expect(psArgument(newSp, '-DisplayName')).toBe(appName);
    expect(
      psArgument(
        printed.find((l) => l.startsWith('Add-MailboxPermission'))!,
        '-Identity',
      ),
    ).toBe(sender);

    const last = stdout.trim().split('\n').at(-1)!;
    expect(JSON.parse(last)).toEqual({
      tenantId: TENANT,
      clientId: APP_ID,
      clientSecret: SECRET,
      secretExpiresAt: '2027-05-28',
      sender,
    });
    const paste = parsePasteBack(stdout, 'smtp-app', 'https://mailroom.example.com/api/oauth/callback');
    expect(paste.ok && paste.kind === 'microsoft' && paste.result.clientSecret).toBe(SECRET);
  });

  it('delegated Graph: the delegated permissions by name and consent for every user', async () => {
    const { calls } = await runScript('graph-delegated', {});
    const add = calls.find((c) => c.slice(0, 4).join(' ') === 'ad app permission add')!;
    expect(add.slice(add.indexOf('--api-permissions') + 1, -1)).toEqual([
      `${ROLE_ID}=Scope`,
      ...Array(3).fill(`${ROLE_ID}=Scope`),
    ]);
    const grant = calls.find((c) => c.slice(0, 4).join(' ') === 'ad app permission grant')!;
    expect(argAfter(grant, '--scope')).toBe('Mail.Send openid profile offline_access');
  });
});
