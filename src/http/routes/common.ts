/**
 * What route declarations share besides the dialects: the auth requirement of each kind of
 * endpoint. Wire shapes, parsing and rendering live in `src/dialects/`.
 */
import type { AuthRequirement } from '../auth.js';

/** A classic-account (v2) trading endpoint needing `permissionName` (40014 names it). */
export const classicTrade = (permissionName: string): AuthRequirement => ({ mode: 'classic', permission: 'trade', permissionName });
/** A classic-account (v2) read endpoint. */
export const classicRead = (permissionName: string): AuthRequirement => ({ mode: 'classic', permission: 'read', permissionName });
/** A unified-account (v3) trading endpoint. */
export const unifiedTrade: AuthRequirement = { mode: 'unified', permission: 'trade', permissionName: 'UTA trade' };
/** A unified-account (v3) read endpoint. */
export const unifiedRead: AuthRequirement = { mode: 'unified', permission: 'read', permissionName: 'UTA read' };
