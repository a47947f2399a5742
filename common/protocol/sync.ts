/**
 * The sync protocol's wire (docs/spec/sync-protocol.md), shared by the
 * workstation's sync client and the reference server: one definition of an
 * event, of an upload and its answers, of a change. Imports only zod.
 */
export * from './event';
export * from './upload';
export * from './changes';
export * from './stock';
