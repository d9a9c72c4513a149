/**
 * The relay listener's state, for the relay tab and for readiness and metrics: one value per
 * process, kept on globalThis because the console's bundled pages and the runtime that starts the
 * listener load separate copies of lib/.
 */

export type RelayListener = {
  port: number;
  /** true: TLS from the first byte (implicit TLS); false: plain, STARTTLS offered */
  implicitTls: boolean;
  listening: boolean;
  /** why it is not listening */
  error?: string;
};

export type RelayCertificate = {
  source: 'files' | 'self-signed';
  /** SHA-256 of the DER certificate, colon-separated hex, as clients that pin it show it */
  fingerprint256: string;
  subject: string;
  validTo: string;
  /** where it was read from or written to */
  certFile: string;
};

export type RelayStatus =
  /** This process does not run the relay (`npm run worker`, `next dev` on its own). */
  | { state: 'absent' }
  /** RELAY_PORT=0. */
  | { state: 'off' }
  | {
      state: 'starting' | 'listening' | 'failed' | 'stopping' | 'stopped';
      /** the name clients connect to (RELAY_HOSTNAME or APP_URL's host) */
      hostname: string;
      /** the interface it listens on; '' = all */
      bindHost: string;
      listeners: RelayListener[];
      certificate?: RelayCertificate;
      /** a failure that stopped the whole relay (a certificate that cannot be read) */
      error?: string;
      plainAuthAllowed: boolean;
      maxMessageBytes: number;
      since: string;
    };

const g = globalThis as unknown as { mailroomRelayStatus?: RelayStatus };

/** The relay's state in this process. */
export function relayStatus(): RelayStatus {
  return g.mailroomRelayStatus ?? { state: 'absent' };
}

export function setRelayStatus(s: RelayStatus): void {
  g.mailroomRelayStatus = s;
}

/** True when at least one of the relay's ports takes connections. */
export function relayListening(s: RelayStatus = relayStatus()): boolean {
  return s.state === 'listening' && s.listeners.some((l) => l.listening);
}

/** One sentence for an admin: where it listens, or why it does not. */
export function describeRelayStatus(s: RelayStatus = relayStatus()): string {
  switch (s.state) {
    case 'absent':
      return 'The relay is not running in this process: it starts with the console (npm start).';
    case 'off':
      return 'The relay is off (RELAY_PORT=0).';
    case 'starting':
      return 'The relay is starting.';
    case 'stopping':
    case 'stopped':
      return 'The relay is stopping: clients are answered 421 until the console is back.';
    case 'failed':
    case 'listening': {
      if (s.error) return `The relay is not listening: ${s.error}`;
      const parts = s.listeners.map((l) =>
        l.listening
          ? `port ${l.port} (${l.implicitTls ? 'implicit TLS' : 'STARTTLS'}) is listening`
          : `port ${l.port} is not listening: ${l.error ?? 'unknown error'}`,
      );
      return `${parts.join('; ')}.`.replace(/^./, (c) => c.toUpperCase());
    }
  }
}
