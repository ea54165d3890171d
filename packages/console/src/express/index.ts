export { consoleRouter } from './console-router.js';
