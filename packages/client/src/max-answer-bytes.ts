/** The largest answer the client reads by default: 16 MiB. */
export const defaultMaxAnswerBytes = 16 * 1024 * 1024;
