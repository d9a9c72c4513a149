'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { azureCliScript } from '@/lib/setup-guide/azure-cli';
import { powerShellScript } from '@/lib/setup-guide/powershell';
import type { GuideInputs } from '@/lib/setup-guide/scenarios';
import { CopyButton } from '@/components/setup-guide/copy-button';

const KINDS = {
  powershell: { label: 'PowerShell', file: 'ps1', make: powerShellScript },
  'azure-cli': { label: 'Azure CLI (bash)', file: 'sh', make: azureCliScript },
} as const;
type Kind = keyof typeof KINDS;

/** The registration script for the chosen scenario, to copy or download. */
export function ScriptView({ inputs }: { inputs: GuideInputs }) {
  const [kind, setKind] = useState<Kind>('powershell');
  const script = KINDS[kind].make(inputs);
  const download = () => {
    const url = URL.createObjectURL(new Blob([script], { type: 'text/plain;charset=utf-8' }));
    const a = Object.assign(document.createElement('a'), {
      href: url,
      download: `mailroom-${inputs.scenario}.${KINDS[kind].file}`,
    });
    a.click();
    URL.revokeObjectURL(url);
  };
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div role="group" aria-label="Script language" className="flex gap-1">
          {(Object.keys(KINDS) as Kind[]).map((k) => (
            <Button key={k} variant={k === kind ? 'primary' : 'ghost'} aria-pressed={k === kind} onClick={() => setKind(k)}>
              {KINDS[k].label}
            </Button>
          ))}
        </div>
        <div className="flex gap-2">
          <CopyButton value={script} label="Copy script" />
          <Button variant="secondary" onClick={download}>
            Download
          </Button>
        </div>
      </div>
      <pre
        data-testid="setup-script"
        className="max-h-96 overflow-auto rounded-md bg-slate-900 p-3 text-xs leading-relaxed text-slate-100"
      >
        {script}
      </pre>
      <p className="text-xs text-slate-500">
        {kind === 'powershell'
          ? 'The script prints one line of JSON at the end: paste it below.'
          : 'Azure CLI cannot change Exchange Online: the script prints the Exchange Online PowerShell commands to run, then one line of JSON to paste below.'}
      </p>
    </div>
  );
}
