/** The operator console: see README.md. */
export const consoleVersion = '0.1.0';
