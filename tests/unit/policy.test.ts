import { describe, expect, it } from 'vitest';
import { checkDestination, httpPolicyFromEnv, policyFromEnv } from '@/lib/net/policy';
import type { DestinationPolicy } from '@/lib/mail/types';

const policy = (p: Partial<DestinationPolicy> = {}): DestinationPolicy => ({
  allowedPorts: [25, 465, 587, 2525],
  allowHosts: [],
  denyHosts: [],
  ...p,
});

describe('destination policy', () => {
  it('allows the default ports only', () => {
    expect(checkDestination('smtp.example.com', ['203.0.113.5'], 587, policy())).toEqual({ ok: true, ip: '203.0.113.5' });
    const r = checkDestination('smtp.example.com', ['203.0.113.5'], 22, policy());
    expect(r).toMatchObject({ ok: false, errorCode: 'EPOLICY_PORT' });
    expect(!r.ok && r.detail).toContain('SMTP_ALLOWED_PORTS');
  });

  it('matches IPv4 CIDRs, single addresses and IPv4-mapped IPv6', () => {
    const p = policy({ denyHosts: ['10.0.0.0/8', '192.168.1.7'] });
    expect(checkDestination('a', ['10.20.30.40'], 25, p)).toMatchObject({ ok: false, errorCode: 'EPOLICY_DENIED' });
    expect(checkDestination('a', ['::ffff:10.1.2.3'], 25, p)).toMatchObject({ ok: false, errorCode: 'EPOLICY_DENIED' });
    expect(checkDestination('a', ['192.168.1.7'], 25, p)).toMatchObject({ ok: false });
    expect(checkDestination('a', ['192.168.1.8'], 25, p)).toMatchObject({ ok: true });
    expect(checkDestination('a', ['11.0.0.1'], 25, p)).toMatchObject({ ok: true });
  });

  it('matches IPv6 CIDRs', () => {
    const p = policy({ denyHosts: ['fd00::/8', '::1'] });
    expect(checkDestination('a', ['fd12:3456::1'], 25, p)).toMatchObject({ ok: false, errorCode: 'EPOLICY_DENIED' });
    expect(checkDestination('a', ['::1'], 25, p)).toMatchObject({ ok: false });
    expect(checkDestination('a', ['2001:db8::25'], 25, p)).toMatchObject({ ok: true });
  });

  it('the deny list wins over the allow list', () => {
    const p = policy({ allowHosts: ['smtp.example.com', '203.0.113.0/24'], denyHosts: ['203.0.113.128/25'] });
    expect(checkDestination('smtp.example.com', ['203.0.113.200'], 587, p)).toMatchObject({
      ok: false,
      errorCode: 'EPOLICY_DENIED',
    });
    expect(checkDestination('smtp.example.com', ['203.0.113.20'], 587, p)).toMatchObject({ ok: true });
    expect(checkDestination('x', ['203.0.113.5'], 587, policy({ allowHosts: ['x'], denyHosts: ['X.'] }))).toMatchObject({
      ok: false,
      errorCode: 'EPOLICY_DENIED',
    });
  });

  it('a non-empty allow list must match the host name or the IP', () => {
    const p = policy({ allowHosts: ['smtp.office365.com', '*.example.net', '198.51.100.0/24'] });
    expect(checkDestination('SMTP.Office365.com.', ['52.1.2.3'], 587, p)).toMatchObject({ ok: true });
    expect(checkDestination('mail.example.net', ['1.2.3.4'], 587, p)).toMatchObject({ ok: true });
    expect(checkDestination('example.net', ['1.2.3.4'], 587, p)).toMatchObject({ ok: false, errorCode: 'EPOLICY_NOT_ALLOWED' });
    expect(checkDestination('other.org', ['198.51.100.9'], 587, p)).toMatchObject({ ok: true });
    const r = checkDestination('other.org', ['1.2.3.4'], 587, p);
    expect(r).toMatchObject({ ok: false, errorCode: 'EPOLICY_NOT_ALLOWED' });
    expect(!r.ok && r.detail).toContain('SMTP_ALLOWED_HOSTS');
  });

  it('connects to the first allowed address, which is the one returned', () => {
    const p = policy({ denyHosts: ['127.0.0.0/8'] });
    expect(checkDestination('rebind.example', ['127.0.0.1', '203.0.113.9'], 25, p)).toEqual({ ok: true, ip: '203.0.113.9' });
    expect(checkDestination('rebind.example', ['127.0.0.1'], 25, p)).toMatchObject({ ok: false, errorCode: 'EPOLICY_DENIED' });
  });

  it('fails closed on a malformed CIDR', () => {
    expect(checkDestination('a', ['1.2.3.4'], 25, policy({ denyHosts: ['10.0.0.0/33'] }))).toMatchObject({
      ok: false,
      errorCode: 'EPOLICY_CONFIG',
    });
    expect(checkDestination('a', ['1.2.3.4'], 25, policy({ allowHosts: ['nonsense/8'] }))).toMatchObject({
      ok: false,
      errorCode: 'EPOLICY_CONFIG',
    });
  });

  it('HTTPS: port 443 plus HTTP_ALLOWED_PORTS, the same host lists, and the refusal names the HTTPS setting', () => {
    const env = {
      SMTP_ALLOWED_PORTS: [587],
      HTTP_ALLOWED_PORTS: [8443],
      SMTP_ALLOWED_HOSTS: '',
      SMTP_DENIED_HOSTS: '10.0.0.0/8',
    };
    const https = httpPolicyFromEnv(env);
    expect(https).toMatchObject({ allowedPorts: [443, 8443], denyHosts: ['10.0.0.0/8'], portsSetting: 'HTTP_ALLOWED_PORTS' });
    expect(checkDestination('login.example.com', ['203.0.113.5'], 443, https)).toMatchObject({ ok: true });
    const port = checkDestination('login.example.com', ['203.0.113.5'], 587, https);
    expect(!port.ok && port.detail).toContain('allowed: 443, 8443; set by HTTP_ALLOWED_PORTS');
    expect(checkDestination('idp.internal', ['10.1.2.3'], 443, https)).toMatchObject({ ok: false, errorCode: 'EPOLICY_DENIED' });
  });

  it('reads the lists from the validated environment', () => {
    expect(
      policyFromEnv({ SMTP_ALLOWED_PORTS: [587], SMTP_ALLOWED_HOSTS: 'a.example, 10.0.0.0/8', SMTP_DENIED_HOSTS: '' }),
    ).toEqual({
      allowedPorts: [587],
      allowHosts: ['a.example', '10.0.0.0/8'],
      denyHosts: [],
    });
  });
});
