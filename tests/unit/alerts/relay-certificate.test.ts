import { describe, expect, it } from 'vitest';
import { evaluateRelayCertificates } from '@/lib/alerts/conditions';
import { planAlerts } from '@/lib/alerts/plan';
import type { RelayCertificateInUse } from '@/lib/relay/certificate-record';

const T = new Date('2027-03-01T09:00:00Z');
const DAY = 86_400_000;
const at = (days: number) => new Date(T.getTime() + days * DAY);

const cert = (v: Partial<RelayCertificateInUse> = {}): RelayCertificateInUse => ({
  hostname: 'mail.contoso.example',
  ports: '2525, 4650',
  source: 'files',
  certFile: '/etc/mailroom/relay.pem',
  subject: 'CN=mail.contoso.example',
  fingerprint256: 'AB:CD',
  validTo: at(40),
  host: 'app-1',
  ...v,
});

describe('relay certificate expiry', () => {
  it('is quiet more than 30 days ahead, then warns at 30 and 7 days, is an error at 1 day and once expired', () => {
    const stages = [0, 9, 10, 32, 33, 38, 39, 40, 41].map((day) => {
      const [c] = evaluateRelayCertificates([cert()], at(day));
      return c ? `${day}: ${c.stage} ${c.severity} ${c.title}` : `${day}: none`;
    });
    expect(stages).toEqual([
      '0: none',
      '9: none',
      '10: 30 warning Relay certificate expires in 30 days',
      '32: 30 warning Relay certificate expires in 8 days',
      '33: 7 warning Relay certificate expires in 7 days',
      '38: 7 warning Relay certificate expires in 2 days',
      '39: 1 error Relay certificate expires in 1 day',
      '40: 1 error Relay certificate expires today',
      '41: expired error Relay certificate expired',
    ]);
  });

  it('says where the certificate is served and how to replace it: files vs the self-signed one', () => {
    const [files] = evaluateRelayCertificates([cert()], at(35));
    expect(files).toMatchObject({ key: 'relay_certificate:AB:CD', condition: 'relay_certificate', storeId: null });
    expect(files.detail).toBe(
      'The relay at mail.contoso.example (port 2525, 4650) presents CN=mail.contoso.example, SHA-256 AB:CD, valid until ' +
        '2027-04-10. Put the renewed certificate and key in the files RELAY_TLS_CERT_FILE and RELAY_TLS_KEY_FILE name ' +
        '(/etc/mailroom/relay.pem) and restart Mailroom: the relay reads them when it starts.',
    );
    const [own] = evaluateRelayCertificates(
      [cert({ source: 'self-signed', certFile: '/var/lib/mailroom/relay/cert.pem' })],
      at(45),
    );
    expect(own.detail).toMatch(/Clients that check certificates refuse to send through it\./);
    expect(own.detail).toMatch(
      /self-signed certificate Mailroom made \(\/var\/lib\/mailroom\/relay\/cert\.pem\); restart Mailroom to generate a new one/,
    );
  });

  it('a renewed certificate (another fingerprint) resolves the alert of the old one', () => {
    const old = evaluateRelayCertificates([cert()], at(35));
    const open = old.map((c) => ({ ...c, id: 'a1', lastNotifiedAt: at(35) }));
    const renewed = evaluateRelayCertificates([cert({ fingerprint256: 'EF:01', validTo: at(400) })], at(35.1));
    expect(planAlerts(open, renewed, 240, at(35.1)).map((s) => s.event)).toEqual(['resolved']);
  });
});
