// Imports the entry named on the command line, resolved from the test package as a user's would be.
await import(process.argv[2]);
