// The roles of euc.md §4: four cumulative levels (閲覧者 < EUC担当 < 個人一覧 < 管理者). The separate
// 支援措置閲覧 permission is a flag on the user (users.ts), not a role.

export type Role = '閲覧者' | 'EUC担当' | '個人一覧' | '管理者';

/** Each role's level; a role may do everything a lower level may. */
export const ROLE_LEVEL: Record<Role, number> = { 閲覧者: 1, EUC担当: 2, 個人一覧: 3, 管理者: 4 };

/** The roles from lowest to highest. */
export const ROLES: readonly Role[] = ['閲覧者', 'EUC担当', '個人一覧', '管理者'];

/** Romaji aliases accepted on the command line (for terminals where typing Japanese is awkward). */
export const ROLE_ALIASES: Readonly<Record<string, Role>> = {
  viewer: '閲覧者',
  euc: 'EUC担当',
  persons: '個人一覧',
  admin: '管理者',
};

/**
 * The role named by a Japanese role name or a romaji alias (case-insensitive, surrounding spaces
 * and full-width letters tolerated); undefined when it names none.
 * @example parseRole('管理者') // '管理者'
 * @example parseRole('Admin') // '管理者'
 * @example parseRole('ＥＵＣ担当') // 'EUC担当'
 */
export function parseRole(text: string): Role | undefined {
  const t = text.normalize('NFKC').trim();
  const exact = ROLES.find((r) => r === t || r.toLowerCase() === t.toLowerCase());
  return exact ?? ROLE_ALIASES[t.toLowerCase()];
}

/**
 * Whether a role reaches a level (or another role's level).
 * @example hasLevel('個人一覧', 'EUC担当') // true
 * @example hasLevel('閲覧者', 3) // false
 */
export function hasLevel(role: Role, needed: Role | number): boolean {
  return ROLE_LEVEL[role] >= (typeof needed === 'number' ? needed : ROLE_LEVEL[needed]);
}

/** The roles and aliases as a line for help and error messages. */
export function rolesHelp(): string {
  const alias = (r: Role) => Object.entries(ROLE_ALIASES).find(([, v]) => v === r)?.[0];
  return ROLES.map((r) => `${r}（${alias(r)}）`).join('、');
}
