'use client';

import { CheckField, TextField } from '@/components/notifications/inputs';
import { Section } from '@/components/notifications/section';

const ALSO_NOTIFY = [
  [
    'actor',
    'Logged in users for their actions',
    'The signed-in user, for changes they make to directory objects (mail-enabled users only).',
  ],
  ['modifiedObject', 'Object being modified', 'The group, user or contact being changed; for a group, all its members.'],
  ['groupOwners', 'Group owner(s) for their groups', 'Primary and additional owners, about changes to their groups.'],
  ['managers', 'Manager(s) for their direct reports', 'Managers, about changes to their direct reports.'],
  ['addedMembers', 'Newly added group members on addition', 'Objects, when they are added to a group’s membership.'],
  ['removedMembers', 'Removed group member on removal', 'Objects, when they are removed from a group’s membership.'],
  ['publicGroupOwners', 'Public group owner for membership', 'Owners of a public group, when its membership changes.'],
] as const;

export function RecipientsSection({ disabled }: { disabled: boolean }) {
  return (
    <Section id="recipients" title="Recipients" description="Who receives every notification of this identity store.">
      <div className="grid gap-5 md:grid-cols-2">
        <TextField
          path="recipients.to"
          label="To"
          hint="One or more addresses separated by a semicolon (;)."
          disabled={disabled}
          placeholder="it-team@example.com; helpdesk@example.com"
        />
        <TextField
          path="recipients.cc"
          label="CC"
          hint="One or more addresses separated by a semicolon (;)."
          disabled={disabled}
        />
      </div>
      <fieldset>
        <legend className="mb-3 text-sm font-medium">Also notify</legend>
        <div className="grid gap-3 md:grid-cols-2">
          {ALSO_NOTIFY.map(([key, label, hint]) => (
            <CheckField key={key} path={`recipients.alsoNotify.${key}`} label={label} hint={hint} disabled={disabled} />
          ))}
        </div>
      </fieldset>
    </Section>
  );
}
