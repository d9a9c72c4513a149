/** Shared by the client forms and the server: no hashing library in the browser bundle. */
export const MIN_PASSWORD_LENGTH = 12;
