/** apimachinery validation helpers: field paths and errors, string formats, IPs, ObjectMeta. */
export * from './field.js';
export * from './formats.js';
export * from './ip.js';
export * from './object-meta.js';
