'use client';

import { useWatch } from 'react-hook-form';
import type { NotificationsInput } from '@/lib/validation/notifications';
import { CheckField, TextField } from '@/components/notifications/inputs';
import { Section } from '@/components/notifications/section';

export function PasswordExpirySection({ disabled }: { disabled: boolean }) {
  return (
    <Section
      id="password-expiry"
      title="Password Expiry Group Notifications"
      defaultOpen={false}
      description="Password expiry warnings link to this portal, where users change their passwords."
    >
      <TextField
        path="passwordExpiry.portalUrl"
        label="Portal URL"
        type="url"
        placeholder="https://portal.example.com/"
        hint="http:// or https:// address of the self-service portal. Password expiry Smart Groups cannot be created in a Microsoft Entra ID identity store."
        disabled={disabled}
      />
    </Section>
  );
}

export function MembershipSection({ disabled }: { disabled: boolean }) {
  const before = useWatch<NotificationsInput, 'membership.beforeLeave'>({ name: 'membership.beforeLeave' });
  return (
    <Section
      id="membership-life-cycle"
      title="Membership Life Cycle Notifications"
      defaultOpen={false}
      description="When the Membership Life Cycle schedule temporarily adds users to groups or removes them."
    >
      <CheckField
        path="membership.onJoin"
        label="On joining group"
        hint="When the schedule temporarily adds a user to a group."
        disabled={disabled}
      />
      <CheckField
        path="membership.onLeave"
        label="On leaving group"
        hint="When the schedule temporarily removes a user from a group."
        disabled={disabled}
      />
      <div className="flex flex-wrap items-start gap-4">
        <CheckField
          path="membership.beforeLeave"
          label="Days before user is going to leave the group"
          disabled={disabled}
          hint="Also applies to members marked for removal by group attestation."
        />
        <TextField
          path="membership.beforeLeaveDays"
          label="Days (X)"
          number
          disabled={disabled || !before}
          className="w-32"
          hint="1–365."
        />
      </div>
    </Section>
  );
}

export function ManagedBySection({ disabled }: { disabled: boolean }) {
  const [same, before] = useWatch<NotificationsInput, ['managedBy.sameAsMembership', 'managedBy.beforeRemoval']>({
    name: ['managedBy.sameAsMembership', 'managedBy.beforeRemoval'],
  });
  const off = disabled || same;
  return (
    <Section
      id="managed-by-life-cycle"
      title="Managed By Life Cycle Notifications"
      defaultOpen={false}
      description="When the Managed By Life Cycle schedule adds or removes temporary additional owners and managers."
    >
      <CheckField
        path="managedBy.sameAsMembership"
        label="Same as membership life cycle"
        disabled={disabled}
        hint="Use the membership life cycle settings above and disable this section."
      />
      <CheckField
        path="managedBy.onAdded"
        label="Object is added as additional owner/manager"
        disabled={off}
        hint="The primary owner or manager is notified as well."
      />
      <CheckField
        path="managedBy.onRemoved"
        label="Object is removed as additional owner/manager"
        disabled={off}
        hint="The primary owner or manager is notified as well."
      />
      <div className="flex flex-wrap items-start gap-4">
        <CheckField
          path="managedBy.beforeRemoval"
          label="Days before object is removed as additional owner/manager"
          disabled={off}
        />
        <TextField
          path="managedBy.beforeRemovalDays"
          label="Days (X)"
          number
          disabled={off || !before}
          className="w-32"
          hint="1–365."
        />
      </div>
    </Section>
  );
}
