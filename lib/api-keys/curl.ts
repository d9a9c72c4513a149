/** Where a key is not shown (any time but right after creating one), the example carries this instead. */
export const KEY_PLACEHOLDER = 'mr_YOUR_API_KEY';

/** A complete send request as a curl command, for the API access tab. */
export function curlExample(endpoint: string, key: string = KEY_PLACEHOLDER): string {
  return [
    `curl -X POST ${endpoint} \\`,
    `  -H "Authorization: Bearer ${key}" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d '{"to": ["user@example.com"], "subject": "Your password expires in 3 days", "text": "Hello,\\n\\nplease change your password."}'`,
  ].join('\n');
}
