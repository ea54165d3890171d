/** The operator console as an Express router: see README.md. */
export {};
