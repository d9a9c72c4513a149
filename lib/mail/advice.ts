/**
 * What to do next after a failed Test Server, as DATA: each entry says which failures it fits,
 * and adviseFor picks the most specific fit. Provider rows: docs/providers.md#smtp-errors.
 */
import type { Advice, SecurityMode, SmtpAuth, StepName } from '@/lib/mail/types';

export type Failure = {
  step: StepName;
  errorCode?: string;
  code?: number;
  enhanced?: string;
  /** Server reply text and the error message, searched by `textIncludes`. */
  text?: string;
  port?: number;
  securityMode?: SecurityMode;
  authType?: SmtpAuth['type'];
};

type AdviceMatch = {
  step?: StepName[];
  code?: number;
  enhanced?: string;
  /** Any of these, case-insensitive. */
  textIncludes?: string[];
  errorCode?: string[];
  port?: number;
  securityMode?: SecurityMode[];
  authType?: SmtpAuth['type'][];
};

type AdviceEntry = Advice & { match: AdviceMatch };

const MS_SMTP_AUTH =
  'https://learn.microsoft.com/en-us/exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-submission';
const MS_OAUTH =
  'https://learn.microsoft.com/en-us/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth';
const MS_SEND_AS = 'https://learn.microsoft.com/en-us/powershell/module/exchange/add-recipientpermission';
const MS_BASIC_GONE =
  'https://learn.microsoft.com/en-us/exchange/clients-and-mobile-in-exchange-online/deprecation-of-basic-authentication-exchange-online';
const MS_SENDING_LIMITS =
  'https://learn.microsoft.com/en-us/office365/servicedescriptions/exchange-online-service-description/exchange-online-limits#sending-limits';
const GMAIL_LIMITS = 'https://support.google.com/a/answer/166852';
const GRAPH_SENDMAIL = 'https://learn.microsoft.com/en-us/graph/api/user-sendmail';
const GRAPH_ERRORS = 'https://learn.microsoft.com/en-us/graph/errors';
const GRAPH_THROTTLING = 'https://learn.microsoft.com/en-us/graph/throttling';
const GRAPH_MAILBOX_POLICY = 'https://learn.microsoft.com/en-us/graph/auth-limit-mailbox-access';

export const ADVICE: readonly AdviceEntry[] = [
  // Microsoft 365 / Exchange Online (docs/providers.md#smtp-errors)
  {
    id: 'ms-535-5.7.3-oauth',
    match: { code: 535, enhanced: '5.7.3', authType: ['oauth2'] },
    docs: MS_OAUTH,
    title: 'Microsoft 365 rejected the OAuth token',
    detail:
      'Check that the SMTP login user is the mailbox the token was issued for, and that the token was requested for SMTP (delegated: https://outlook.office.com/SMTP.Send; app-only: https://outlook.office365.com/.default) with admin consent granted. A shared mailbox cannot sign in itself: use the app-only flow and grant the app access to it. App-only ("send as app"): the app needs the Office 365 Exchange Online permission SMTP.SendAsApp, its service principal registered in Exchange Online with New-ServicePrincipal, and mailbox permission on the sending mailbox (Add-MailboxPermission); allow 15–30 minutes after New-ServicePrincipal before testing again.',
  },
  {
    id: 'ms-535-5.7.3-basic',
    match: { code: 535, enhanced: '5.7.3', authType: ['basic', 'none'] },
    docs: MS_SMTP_AUTH,
    title: 'Microsoft 365 rejected the username or password',
    detail:
      'Check the username (the full mailbox address) and the password. Accounts with MFA, federated or personal accounts cannot use a password for SMTP, and a shared mailbox cannot sign in itself. Basic authentication is being switched off in Exchange Online: switch this profile to OAuth 2.0.',
  },
  {
    id: 'ms-535-5.7.139',
    match: { enhanced: '5.7.139' },
    docs: MS_SMTP_AUTH,
    title: 'SMTP AUTH is disabled for this mailbox or tenant',
    detail:
      'An Exchange admin must enable Authenticated SMTP: for the mailbox with Set-CASMailbox -Identity <mailbox> -SmtpClientAuthenticationDisabled $false, or for the whole tenant with Set-TransportConfig -SmtpClientAuthenticationDisabled $false. Security defaults in Entra ID also block it. Changes can take an hour to apply.',
  },
  {
    id: 'ms-550-5.7.60',
    match: { enhanced: '5.7.60' },
    docs: MS_SEND_AS,
    title: 'The login may not send as this From address',
    detail:
      'The From address must be a real mailbox the login user (or app) may send as. Use the login mailbox itself as From, or have an Exchange admin grant it: Add-RecipientPermission -Identity <from mailbox> -Trustee <login user> -AccessRights SendAs (and Add-MailboxPermission for app-only access).',
  },
  {
    id: 'ms-5.7.57',
    match: { enhanced: '5.7.57' },
    docs: MS_SMTP_AUTH,
    title: 'The server requires authentication before MAIL FROM',
    detail:
      'The client was not authenticated when it started the message. Choose Basic or OAuth 2.0 authentication for this profile; check that the connection is encrypted (STARTTLS on 587) so the server offers AUTH.',
  },
  {
    id: 'ms-550-5.7.30',
    match: { enhanced: '5.7.30' },
    docs: MS_BASIC_GONE,
    title: 'Basic authentication is not supported: switch to OAuth 2.0',
    detail:
      'Microsoft 365 no longer accepts a password for SMTP on this tenant. Change the authentication of this profile to OAuth 2.0 (Microsoft), connect the mailbox, and test again.',
  },

  // Sending limits: queued messages are retried by the outbox; these say why they wait.
  {
    id: 'ms-432-4.3.2-connections',
    match: { enhanced: '4.3.2' },
    docs: MS_SENDING_LIMITS,
    title: 'Microsoft 365 allows only 3 connections per mailbox at once',
    detail:
      'Exchange Online refused another concurrent SMTP connection for this mailbox (432 4.3.2). Queued messages are retried automatically. If it keeps happening, lower "Connections at once" for this store (Delivery limits) to 3 or fewer, and check that no other system sends as the same mailbox at the same time.',
  },
  {
    id: 'ms-554-5.2.0-quota',
    match: { enhanced: '5.2.0', textIncludes: ['SubmissionQuotaExceeded'] },
    docs: MS_SENDING_LIMITS,
    title: 'The mailbox reached its daily sending limit',
    detail:
      'Exchange Online allows 10,000 recipients per mailbox in 24 hours; this mailbox has used them up. Queued messages wait and are retried after an hour. Spread notifications over several sender mailboxes or stores, or reduce the recipients per message.',
  },
  {
    id: 'ms-550-5.7.233-external',
    match: { enhanced: '5.7.233' },
    docs: MS_SENDING_LIMITS,
    title: 'The tenant reached its external recipient limit',
    detail:
      'Microsoft 365 limits how many external recipients a tenant may reach per day (it grows with the licences). Wait for the limit to reset, or send fewer external notifications.',
  },
  {
    id: 'gmail-5.4.5-daily',
    match: { enhanced: '5.4.5' },
    docs: GMAIL_LIMITS,
    title: "Google's daily sending limit was reached",
    detail:
      'Gmail and Google Workspace limit messages per user per day (2,000 for Workspace, 500 for trials). Queued messages are retried after an hour; spread notifications over several sender accounts if it recurs.',
  },
  {
    id: 'gmail-4.2.1-peak',
    match: { enhanced: '4.2.1' },
    docs: GMAIL_LIMITS,
    title: 'Google is throttling this sender for now',
    detail:
      'Google asked to slow down (450 4.2.1). Queued messages are retried automatically; lower "Messages per minute" for this store if it recurs.',
  },

  // Microsoft Graph sendMail (lib/mail/graph/): errorCode EGRAPH_<status>, the Graph error code in the text.
  {
    id: 'graph-401-audience',
    match: { errorCode: ['EGRAPH_401'], textIncludes: ['audience'], step: ['request'] },
    docs: GRAPH_SENDMAIL,
    title: 'The token was issued for another resource, not Microsoft Graph',
    detail:
      'Microsoft Graph refused the token because its audience is another API (typically Outlook/Exchange for SMTP). For Graph use scope https://graph.microsoft.com/.default (app-only, client credentials) or https://graph.microsoft.com/Mail.Send offline_access (delegated), then reconnect so a new token is issued.',
  },
  {
    id: 'graph-401-token',
    match: { errorCode: ['EGRAPH_401'], step: ['request'] },
    docs: GRAPH_ERRORS,
    title: 'Microsoft Graph rejected the access token',
    detail:
      'The token is expired, revoked or not valid for Microsoft Graph (InvalidAuthenticationToken). Reconnect the OAuth 2.0 connection to get a fresh token, then test again; if it keeps failing, check that the tenant and scope (https://graph.microsoft.com/…) are right.',
  },
  {
    id: 'graph-403-send-as',
    match: { errorCode: ['EGRAPH_403'], textIncludes: ['ErrorSendAsDenied'], step: ['request'] },
    docs: MS_SEND_AS,
    title: 'The account may not send as this From address',
    detail:
      'The From address differs from the sender mailbox and the account has no Send As right on it. Use the sender mailbox as From, or have an Exchange admin grant it: Add-RecipientPermission -Identity <from mailbox> -Trustee <account> -AccessRights SendAs.',
  },
  {
    id: 'graph-403-access-policy',
    match: { errorCode: ['EGRAPH_403'], textIncludes: ['AccessPolicy', 'RAOP'], step: ['request'] },
    docs: GRAPH_MAILBOX_POLICY,
    title: 'An Exchange policy keeps the app away from this mailbox',
    detail:
      "The app has Mail.Send, but an Exchange Online application access policy (or RBAC for Applications scope) limits which mailboxes it may use, and the sender mailbox is outside it. Add the mailbox to the policy's group (Test-ApplicationAccessPolicy -Identity <mailbox> -AppId <client id> shows the verdict); changes can take up to an hour.",
  },
  {
    id: 'graph-403-access-denied',
    match: { errorCode: ['EGRAPH_403'], step: ['request'] },
    docs: GRAPH_SENDMAIL,
    title: 'Microsoft Graph denied sending from this mailbox',
    detail:
      'The token lacks the Mail.Send permission, admin consent is missing, or it may not use this mailbox (ErrorAccessDenied / Authorization_RequestDenied). Delegated: sign in as the sender mailbox itself (another user needs Send As or full access to it), with the delegated Mail.Send permission consented. App-only: add the Microsoft Graph application permission Mail.Send, click "Grant admin consent", then reconnect; an Exchange application access policy may further restrict which mailboxes the app may send as.',
  },
  {
    id: 'graph-404-mailbox-not-enabled',
    match: { errorCode: ['EGRAPH_404'], textIncludes: ['MailboxNotEnabledForRESTAPI'], step: ['request'] },
    docs: GRAPH_SENDMAIL,
    title: 'The sender has no Exchange Online mailbox',
    detail:
      'The account exists but its mailbox is inactive, soft-deleted, hosted on-premises, or has no Exchange Online licence. Assign an Exchange Online licence (or use a cloud mailbox) and wait for it to be provisioned, then test again.',
  },
  {
    id: 'graph-404-mailbox',
    match: { errorCode: ['EGRAPH_404'], step: ['request'] },
    docs: GRAPH_SENDMAIL,
    title: 'The sender mailbox was not found',
    detail:
      'Microsoft Graph does not know this sender (ErrorInvalidUser / ResourceNotFound). Check the sender mailbox: its user principal name or object ID in this tenant, not an alias or a group. A user without an Exchange Online licence has no mailbox either.',
  },
  {
    id: 'graph-400-recipients',
    match: { errorCode: ['EGRAPH_400'], textIncludes: ['ErrorInvalidRecipients'], step: ['request'] },
    docs: GRAPH_SENDMAIL,
    title: 'The recipient was not accepted',
    detail:
      'Microsoft Graph refused the test recipient (ErrorInvalidRecipients). Check the address for typos and send the test to a single valid mailbox.',
  },
  {
    id: 'graph-400-bad-request',
    match: { errorCode: ['EGRAPH_400'], step: ['request'] },
    docs: GRAPH_ERRORS,
    title: 'Microsoft Graph refused the request as invalid',
    detail:
      'The request was malformed for this endpoint (BadRequest); the reason is in the transcript. Check that the endpoint ends with the API version (https://graph.microsoft.com/v1.0), that the sender mailbox is a user principal name or object ID, and that /me is only used with a delegated (signed-in) token.',
  },
  {
    id: 'graph-429-throttled',
    match: { errorCode: ['EGRAPH_429'], step: ['request'] },
    docs: GRAPH_THROTTLING,
    title: 'Microsoft Graph is throttling this app or mailbox',
    detail:
      'Too many requests (429). Wait at least as long as the Retry-After header asks, then test again; if it keeps happening, something else (another system using the same app registration or mailbox) is sending a lot through Graph.',
  },
  {
    id: 'graph-5xx',
    match: { errorCode: ['EGRAPH_5XX'], step: ['request'] },
    docs: GRAPH_ERRORS,
    title: 'Microsoft Graph is unavailable right now',
    detail:
      'The service answered with a server error (5xx, e.g. 503 Service Unavailable): nothing is wrong with the settings as far as can be told. Test again in a few minutes and check the Microsoft 365 service health page.',
  },
  {
    id: 'graph-4xx',
    match: { errorCode: ['EGRAPH_4XX'], step: ['request'] },
    docs: GRAPH_ERRORS,
    title: 'Microsoft Graph refused the request',
    detail:
      "The endpoint answered with a client error; the status and Graph error code are in the transcript. Check the endpoint (https://graph.microsoft.com/v1.0, or your national cloud's) and the sender mailbox.",
  },
  {
    id: 'graph-unexpected',
    match: { errorCode: ['EGRAPH_UNEXPECTED'], step: ['request'] },
    title: 'The endpoint did not answer like Microsoft Graph',
    detail:
      'sendMail answers 202 Accepted; this endpoint answered something else (a redirect, a page or another status), so the message may not have been sent. Check the Graph endpoint: https://graph.microsoft.com/v1.0 (US Government: https://graph.microsoft.us/v1.0, China: https://microsoftgraph.chinacloudapi.cn/v1.0).',
  },
  {
    id: 'graph-endpoint-invalid',
    match: { errorCode: ['EGRAPH_ENDPOINT'] },
    title: 'The Graph endpoint is not a valid https URL',
    detail: 'Enter the endpoint as an https URL with the API version and nothing else, e.g. https://graph.microsoft.com/v1.0.',
  },
  {
    id: 'graph-dns',
    match: { errorCode: ['EGRAPH_DNS'], step: ['resolve'] },
    title: 'The Graph endpoint host could not be resolved',
    detail:
      'DNS has no address for the endpoint host (or the lookup failed). Check the spelling of the endpoint (graph.microsoft.com for the global cloud) and that this server can resolve public names.',
  },
  {
    id: 'graph-network',
    match: { errorCode: ['EGRAPH_NETWORK'], step: ['request'] },
    title: 'Microsoft Graph could not be reached',
    detail:
      'The HTTPS connection to the Graph endpoint failed (refused, reset, unreachable or timed out). Check that this server may make outgoing HTTPS (port 443) connections to the endpoint host, and any proxy or firewall in between.',
  },
  {
    id: 'graph-tls',
    match: { errorCode: ['EGRAPH_TLS'], step: ['request'] },
    title: 'The TLS connection to Microsoft Graph failed',
    detail:
      "The endpoint's certificate is not trusted, is for another host, or the handshake failed. For graph.microsoft.com this usually means a TLS-inspecting proxy: add its CA certificate to this server (NODE_EXTRA_CA_CERTS) or exempt the Graph host from inspection. Check the endpoint URL too.",
  },

  // Destination policy (docs/security.md#destination-policy)
  {
    id: 'policy-port',
    match: { errorCode: ['EPOLICY_PORT'] },
    title: 'This port is not allowed',
    detail:
      'Test Server only connects to the ports in SMTP_ALLOWED_PORTS (default 25, 465, 587, 2525). Use the port your provider documents (usually 587 or 465), or ask the operator of this console to add the port to SMTP_ALLOWED_PORTS.',
  },
  {
    id: 'policy-denied',
    match: { errorCode: ['EPOLICY_DENIED'] },
    title: 'This host is blocked',
    detail:
      "The host or its IP address is on the deny list (SMTP_DENIED_HOSTS) of this console, so no connection was made. Use your provider's public SMTP host; if this server is legitimate, ask the operator to change SMTP_DENIED_HOSTS.",
  },
  {
    id: 'policy-not-allowed',
    match: { errorCode: ['EPOLICY_NOT_ALLOWED'] },
    title: 'This host is not on the allow list',
    detail:
      'This console only connects to the hosts and networks in SMTP_ALLOWED_HOSTS. Check the host name, or ask the operator to add the host (or its IP range) to SMTP_ALLOWED_HOSTS.',
  },
  {
    id: 'policy-config',
    match: { errorCode: ['EPOLICY_CONFIG'] },
    title: 'The destination policy is misconfigured',
    detail:
      'SMTP_ALLOWED_HOSTS or SMTP_DENIED_HOSTS contains an entry that is neither a host name, an IP address nor a CIDR range. Ask the operator to fix it; until then Test Server connects nowhere.',
  },

  // Input
  {
    id: 'invalid-header',
    match: { errorCode: ['EHEADER'] },
    title: 'A field contains a line break or control character',
    detail:
      'Remove line breaks and control characters from the From name, From address, recipient and subject (they could inject extra mail headers). Nothing was sent.',
  },
  {
    id: 'invalid-address',
    match: { errorCode: ['EADDRESS'] },
    title: 'An address is not valid',
    detail: 'Enter a single address like helpdesk@example.com for the sender and for the test recipient. Nothing was sent.',
  },
  {
    id: 'invalid-target',
    match: { errorCode: ['ETARGET'] },
    title: 'The server settings are not valid',
    detail:
      'Check the host (a name like smtp.example.com or an IP address), the port (1–65535) and the EHLO name (a host name or [IP]).',
  },

  // Network
  {
    id: 'dns-not-found',
    match: { errorCode: ['ENOTFOUND', 'ENODATA'] },
    title: 'The host name does not exist',
    detail:
      'DNS has no address for this host. Check the spelling (for Microsoft 365: smtp.office365.com, for Google: smtp.gmail.com) and that this server can resolve public names.',
  },
  {
    id: 'dns-failed',
    match: { errorCode: ['EAI_AGAIN', 'EDNS'] },
    title: 'The host name could not be resolved right now',
    detail: 'The DNS lookup failed temporarily. Check the DNS settings of the server running this console, then test again.',
  },
  {
    id: 'connection-refused',
    match: { errorCode: ['ECONNREFUSED'] },
    title: 'Connection refused',
    detail:
      'The host answered but nothing listens on this port. Check the port (587 for STARTTLS, 465 for TLS, 25 for relays) and that the mail server is running.',
  },
  {
    id: 'unreachable',
    match: { errorCode: ['EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL'] },
    title: 'The host cannot be reached',
    detail:
      'There is no network route to this host. Check the host name and any firewall or proxy between this console and the mail server.',
  },
  {
    id: 'connect-timeout',
    match: { errorCode: ['ETIMEDOUT'], step: ['resolve', 'connect'] },
    title: 'The connection timed out',
    detail:
      'No answer from the host on this port. A firewall is probably dropping the connection — many hosting providers block outgoing ports 25 and 465. Try 587, or ask your network team to allow outgoing connections to this host and port.',
  },
  {
    id: 'no-greeting-implicit-port',
    match: { errorCode: ['ENOGREETING'], port: 465, securityMode: ['starttls', 'none', 'auto'] },
    title: 'Port 465 expects TLS from the first byte',
    detail:
      'The server accepted the connection but waited for a TLS handshake instead of greeting. Set Security mode to "Implicit TLS (SSL/TLS from the first byte)" for port 465, or use port 587 with "STARTTLS required".',
    fix: { label: 'Switch to Implicit TLS on 465', set: { securityMode: 'tls', port: 465 } },
  },
  {
    id: 'no-greeting',
    match: { errorCode: ['ENOGREETING'] },
    title: 'The server accepted the connection but never greeted',
    detail:
      'No "220" greeting arrived. If this port expects TLS from the first byte (usually 465), set Security mode to "Implicit TLS (SSL/TLS from the first byte)". Otherwise the server is overloaded, or a firewall or antivirus proxy holds the connection: check with the mail server\'s admin.',
  },
  {
    id: 'not-smtp',
    match: { errorCode: ['ENOTSMTP'] },
    title: 'This is not an SMTP server',
    detail:
      'Something answered on this host and port, but it is another kind of service (SSH, a web server, a database…). Check the host name and the port: mail servers listen on 587 (STARTTLS), 465 (TLS) or 25.',
  },
  {
    id: 'server-stalled',
    match: { errorCode: ['ESTALLED'] },
    title: 'The server stopped answering',
    detail:
      "The server greeted and then stopped replying in the middle of the conversation. This is usually a filtering proxy or an overloaded server; test again later, or ask the mail server's admin to look at its logs for this connection.",
  },
  {
    id: 'total-timeout',
    match: { errorCode: ['ETOTAL'] },
    title: 'The test took too long',
    detail:
      'The whole test has a 30-second limit and the server was too slow. Test again; if it keeps happening, the mail server or the network to it is overloaded.',
  },
  {
    id: 'connection-closed',
    match: { errorCode: ['ECONNECTION', 'ECONNRESET', 'EPIPE'] },
    title: 'The server closed the connection',
    detail:
      "The server hung up unexpectedly. It may limit connections per client or block this IP address; see the reply in the transcript and the mail server's logs.",
  },
  {
    id: 'cancelled',
    match: { errorCode: ['ECANCELLED'] },
    title: 'The test was cancelled',
    detail: 'The test was stopped before it finished. Nothing more was sent.',
  },

  // TLS
  {
    id: 'tls-on-plain-port',
    match: { errorCode: ['ETLS_WRONG_VERSION'] },
    title: 'This port does not speak TLS from the start',
    detail:
      'The server answered in plain text ("wrong version number"): this port expects STARTTLS, not implicit TLS. Set Security mode to "STARTTLS required" on this port (587 or 25), or keep "Implicit TLS (SSL/TLS from the first byte)" and use port 465.',
    fix: { label: 'Switch to STARTTLS required', set: { securityMode: 'starttls' } },
  },
  {
    id: 'cert-untrusted',
    match: { errorCode: ['ECERT_UNTRUSTED'] },
    title: 'The server certificate is not trusted',
    detail:
      'The certificate is self-signed or issued by an unknown authority. For a public provider this means something intercepts the connection: do not continue. Tick "allow self-signed" only for your own server whose certificate you know.',
  },
  {
    id: 'cert-name-mismatch',
    match: { errorCode: ['ECERT_NAME'] },
    title: 'The certificate is for another host name',
    detail:
      "The server's certificate does not list the host you entered. Enter the host name printed on the certificate (for example smtp.office365.com rather than an IP address or an alias).",
  },
  {
    id: 'cert-expired',
    match: { errorCode: ['ECERT_EXPIRED'] },
    title: 'The server certificate has expired or is not yet valid',
    detail: "Ask the mail server's admin to renew the certificate, and check that the clock of this server is correct.",
  },
  {
    id: 'tls-failed',
    match: { errorCode: ['ETLS'] },
    title: 'The TLS handshake failed',
    detail:
      'The client and server could not agree on an encrypted connection (old TLS version or ciphers, or the server dropped the handshake). Check the security mode and port, and that the server supports TLS 1.2 or later.',
  },
  {
    id: 'starttls-not-offered',
    match: { errorCode: ['ENOSTARTTLS'] },
    title: 'The server does not offer STARTTLS',
    detail:
      'Security mode is "STARTTLS required" but the server did not offer it, so nothing was authenticated. Use port 587 (or 465 with "Implicit TLS (SSL/TLS from the first byte)"); choose "None — unencrypted" only for a relay inside your own network.',
  },
  {
    id: 'plaintext-auth-not-reentered',
    match: { errorCode: ['EPLAINTEXT_AUTH'], securityMode: ['none'] },
    title: 'The password was saved before Security mode was set to "None — unencrypted"',
    detail:
      'A credential entered for an encrypted connection is never sent in clear text. If this server really is a relay inside your own network without TLS, enter the password again (or reconnect OAuth 2.0) and save; otherwise choose "STARTTLS required" or "Implicit TLS (SSL/TLS from the first byte)".',
  },
  {
    id: 'untrusted-auth-not-reentered',
    match: { errorCode: ['EUNTRUSTED_AUTH'] },
    title: 'The password was saved before "Allow self-signed certificate" was ticked',
    detail:
      "The server's certificate is not trusted, and a credential entered while certificates were checked is not sent to it. Install a certificate from a trusted authority on the server, or, if you trust this server, enter the password again (or reconnect OAuth 2.0) and save.",
  },
  {
    id: 'plaintext-auth-refused',
    match: { errorCode: ['EPLAINTEXT_AUTH'] },
    title: 'Credentials were not sent over an unencrypted connection',
    detail:
      'The server offers no encryption on this port, so the password or token was not sent. Use port 587 with "STARTTLS required" or 465 with "Implicit TLS (SSL/TLS from the first byte)". Only choose "None — unencrypted" for a relay inside your own network.',
  },

  // Authentication
  {
    id: 'auth-not-offered',
    match: { errorCode: ['ENOAUTH'] },
    title: 'The server does not offer authentication',
    detail:
      'No AUTH in the EHLO reply. Many servers offer AUTH only on the submission port (587) after STARTTLS. If this is an IP-allowlisted relay, set authentication to None.',
  },
  {
    id: 'xoauth2-not-offered',
    match: { errorCode: ['ENOMECH'], authType: ['oauth2'] },
    title: 'The server does not accept OAuth 2.0 (XOAUTH2)',
    detail:
      'This server does not list XOAUTH2. Check the host (Microsoft 365: smtp.office365.com; Google: smtp.gmail.com), or use Basic authentication if the provider still allows it.',
  },
  {
    id: 'mechanism-not-offered',
    match: { errorCode: ['ENOMECH'] },
    title: 'The server does not offer PLAIN or LOGIN',
    detail:
      'Basic authentication here uses AUTH PLAIN or LOGIN, and the server offers neither (see the EHLO reply in the transcript). Check the port and security mode, or switch to OAuth 2.0 if the provider supports it.',
  },
  {
    id: 'oauth-not-connected',
    match: { errorCode: ['EOAUTH_NOT_CONNECTED'] },
    title: 'OAuth 2.0 is not connected yet',
    detail:
      'This profile uses OAuth 2.0 but holds no token. Click Connect in the OAuth 2.0 section, sign in with the mailbox (or, for client credentials, let Mailroom fetch an app token), then test again.',
  },
  {
    id: 'token-failed',
    match: { errorCode: ['ETOKEN'] },
    title: 'No access token could be obtained',
    detail:
      'The OAuth 2.0 connection could not produce an access token. Open the OAuth settings, check the client ID, secret and tenant, and reconnect the mailbox if asked.',
  },
  {
    id: 'auth-required',
    match: { code: 530 },
    title: 'The server requires authentication',
    detail:
      'The server refuses mail from unauthenticated clients. Set authentication to Basic or OAuth 2.0 with the mailbox that sends the notifications.',
  },
  {
    id: 'auth-failed-oauth',
    match: { code: 535, authType: ['oauth2'] },
    docs: MS_OAUTH,
    title: 'The server rejected the OAuth token',
    detail:
      'Check that the SMTP login user is the mailbox the token belongs to and that the token has the SMTP scope (Google: https://mail.google.com/; Microsoft: SMTP.Send or SMTP.SendAsApp). Reconnect the mailbox to get a fresh token.',
  },
  {
    id: 'auth-failed',
    match: { code: 535 },
    title: 'Wrong username or password',
    detail:
      'The server rejected the credentials. Check the username (often the full address) and password; providers with 2-step verification need an app password, and some (Microsoft 365, Google) want OAuth 2.0 instead.',
  },
  {
    id: 'auth-rejected',
    match: { errorCode: ['EAUTH'] },
    title: 'Authentication failed',
    detail:
      'The server did not accept the login; its reply is in the transcript. Check the username, password or OAuth connection.',
  },

  // Envelope and message
  {
    id: 'relay-denied',
    match: { textIncludes: ['relay'], step: ['mail_from', 'rcpt_to', 'data'] },
    title: 'The server refuses to relay for this client',
    detail:
      "The server will not forward mail to outside recipients for this client. Authenticate (Basic or OAuth 2.0), or ask the mail server's admin to allow this console's IP address to relay.",
  },
  {
    id: 'sender-rejected',
    match: { code: 550, step: ['mail_from'] },
    title: 'The sender address was rejected',
    detail: 'Use a From address that belongs to the authenticated mailbox or to a domain this server sends for.',
  },
  {
    id: 'recipient-rejected',
    match: { code: 550, step: ['rcpt_to'] },
    title: 'The recipient was rejected (mailbox unavailable)',
    detail:
      'The server does not accept this recipient: check the test address for typos, or send the test to a mailbox in your own organisation.',
  },
  {
    id: 'mailbox-unavailable',
    match: { code: 550 },
    title: 'Mailbox unavailable or message refused',
    detail:
      "The server refused the message with 550; its reason is in the reply. Check the sender and recipient addresses and the sender's permissions.",
  },
  {
    id: 'message-too-large',
    match: { code: 552 },
    title: 'Message too large or mailbox full',
    detail:
      "The server refused the size of the message or the recipient's mailbox is over quota. The test message is tiny, so check the recipient's mailbox or the server's size limit.",
  },
  {
    id: 'transaction-failed',
    match: { code: 554 },
    title: 'The server rejected the message',
    detail:
      "The server refused the transaction (554), often for policy or spam reasons: the sender domain's SPF/DKIM, a blocked IP, or a From address the login may not use. Its reason is in the reply.",
  },
  {
    id: 'service-unavailable',
    match: { code: 421 },
    title: 'The server is not available right now',
    detail:
      'The server is closing the connection (421), usually because it is busy or limits connections from this IP address. Test again in a few minutes.',
  },
  {
    id: 'temporary-failure',
    match: { code: 451 },
    title: 'Temporary server error',
    detail: 'The server had a local problem (451) or greylists new senders. Test again in a few minutes.',
  },
  {
    id: 'mailbox-busy',
    match: { code: 450 },
    title: 'The mailbox is not available right now',
    detail:
      'The server deferred the message (450): the mailbox is busy or the sender is being rate-limited. Queued messages are retried automatically.',
  },
  {
    id: 'insufficient-storage',
    match: { code: 452 },
    title: 'The server is short of resources',
    detail:
      'The server deferred the message (452: too many recipients at once, or out of storage). Queued messages are retried automatically.',
  },
  {
    id: 'unexpected-reply',
    match: { errorCode: ['EPROTOCOL'] },
    title: 'Unexpected reply from the server',
    detail: 'The server did not answer like an SMTP server. Check the host and port; another service may be listening there.',
  },
  {
    id: 'unknown',
    match: {},
    title: 'The test failed',
    detail: "See the failed step and the transcript for the server's exact reply.",
  },
];

/** Points per criterion: a provider's enhanced status code says more than a bare reply code. */
const WEIGHT = { enhanced: 4, textIncludes: 3, code: 2, errorCode: 2, step: 1, port: 1, securityMode: 1, authType: 1 } as const;

function score(m: AdviceMatch, f: Failure): number {
  const text = (f.text ?? '').toLowerCase();
  const checks: [keyof typeof WEIGHT, boolean | undefined][] = [
    ['enhanced', m.enhanced === undefined ? undefined : m.enhanced === f.enhanced],
    ['textIncludes', m.textIncludes && m.textIncludes.some((t) => text.includes(t.toLowerCase()))],
    ['code', m.code === undefined ? undefined : m.code === f.code],
    ['errorCode', m.errorCode && f.errorCode !== undefined && m.errorCode.includes(f.errorCode)],
    ['step', m.step && m.step.includes(f.step)],
    ['port', m.port === undefined ? undefined : m.port === f.port],
    ['securityMode', m.securityMode && f.securityMode !== undefined && m.securityMode.includes(f.securityMode)],
    ['authType', m.authType && f.authType !== undefined && m.authType.includes(f.authType)],
  ];
  let total = 0;
  for (const [key, ok] of checks) {
    if (ok === false) return -1;
    if (ok) total += WEIGHT[key];
  }
  return total;
}

/** The most specific entry that fits; earlier entries win ties. Always returns something. */
export function adviseFor(failure: Failure, catalogue: readonly AdviceEntry[] = ADVICE): Advice {
  let best: AdviceEntry | undefined;
  let bestScore = -1;
  for (const entry of catalogue) {
    const s = score(entry.match, failure);
    if (s > bestScore) {
      best = entry;
      bestScore = s;
    }
  }
  const chosen = best ?? ADVICE[ADVICE.length - 1];
  return {
    id: chosen.id,
    title: chosen.title,
    detail: chosen.detail,
    ...(chosen.docs && { docs: chosen.docs }),
    ...(chosen.fix && { fix: chosen.fix }),
  };
}
