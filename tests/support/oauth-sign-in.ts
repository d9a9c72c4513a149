/** Signs in on the local OAuth server's page as a browser would; returns the redirect back (code, state). */
export async function signInAt(authorizeUrl: string, username: string, action: 'signin' | 'cancel' = 'signin'): Promise<URL> {
  const page = await fetch(authorizeUrl);
  const html = await page.text();
  const txn = /name="txn" value="([^"]+)"/.exec(html)?.[1];
  if (!txn) throw new Error(`no sign-in form (HTTP ${page.status}): ${html.slice(0, 300)}`);
  const res = await fetch(new URL(authorizeUrl).origin + new URL(authorizeUrl).pathname, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ txn, username, action }),
  });
  const location = res.headers.get('location');
  if (!location) throw new Error(`sign-in did not redirect (HTTP ${res.status})`);
  return new URL(location);
}
