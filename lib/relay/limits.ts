/** Recipients per relayed message, as Exchange Online and most submission servers allow at least. */
export const MAX_RELAY_RECIPIENTS = 100;
