/** CR/LF and every other control character: in a header value they would inject headers (docs/security.md#header-injection). */
export const HEADER_CONTROL = /[\u0000-\u001f\u007f]/;
/** A body may have line breaks and tabs, nothing else below 0x20. */
export const BODY_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
